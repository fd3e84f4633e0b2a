import FaultlineEngine
import FaultlineModel
import FaultlineRules
import FaultlineShippedRules
import Foundation
import Testing

private let shipped = RuleLoader.load(files: ShippedRules.files, origin: .shipped)

/// Every example of every shipped rule replayed once (in every variant, and checked against every
/// other rule once), shared by the per-rule tests below: a lazily initialised global, so the
/// replay runs once however many tests read it.
private let shippedResults: [String: RuleTester.RuleResult] = Dictionary(
    RuleTester.run(all: shipped.rules).map { ($0.rule, $0) }, uniquingKeysWith: { a, _ in a })

/// Every shipped rule's examples, replayed by the same runner as `faultline rules test`.
@Suite struct ShippedRulesTests {
    @Test func shippedRulesLoadWithoutDiagnostics() {
        #expect(shipped.diagnostics.map(\.formatted) == [])
        #expect(ShippedRules.files.count == shipped.rules.count)
        let validated = RuleLoader.validate(shipped.rules)
        #expect(validated.diagnostics.map(\.formatted) == [])
    }

    @Test func eachRuleCarriesEnoughExamplesAndAReference() {
        for rule in shipped.rules {
            #expect(rule.matchExamples.count >= 2, "\(rule.id) needs 2+ match examples")
            #expect(rule.noMatchExamples.count >= 2, "\(rule.id) needs 2+ no_match examples")
            #expect(!rule.references.isEmpty, "\(rule.id) needs a reference")
            #expect(rule.file == "rules/\(rule.file.split(separator: "/").dropFirst().joined(separator: "/"))")
            #expect(rule.file.hasSuffix("/\(rule.id).yaml"), "\(rule.file): file name must be the rule id")
        }
    }

    @Test(arguments: shipped.rules.map(\.id))
    func examplesBehaveAsDeclared(ruleID: String) throws {
        let rule = try #require(shipped.rules.first { $0.id == ruleID })
        let result = try #require(shippedResults[rule.id])
        #expect(result.failures.map(\.description) == [])
        #expect(result.matchPassed == rule.matchExamples.count)
        #expect(result.noMatchPassed == rule.noMatchExamples.count)
        #expect(result.outranked.map { "\($0.example) by \($0.by)" } == [], "a rule of another category ranks first")
    }
}

@Suite struct EmbeddedRulesTests {
    /// SwiftPM plans the embedding step once; a rule file added later is only embedded after a re-plan.
    @Test func embeddedRulesMatchTheRulesFolder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let rulesDir = root.appendingPathComponent("rules")
        var onDisk: [String] = []
        if let walker = FileManager.default.enumerator(at: rulesDir, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where ["yaml", "yml"].contains(url.pathExtension) {
                onDisk.append(
                    "rules/" + url.standardizedFileURL.path.dropFirst(rulesDir.standardizedFileURL.path.count + 1))
            }
        }
        #expect(
            ShippedRules.files.map(\.path) == onDisk.sorted(),
            "the binary embeds a different rule set than rules/ holds: run `swift package clean` and rebuild")
    }
}
