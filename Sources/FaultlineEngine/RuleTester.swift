import FaultlineIngest
import FaultlineModel
import FaultlineRules
import FaultlineText
import Foundation

/// Replays every rule's examples through the real pipeline (reader, wrappers, assembler,
/// matcher), plain and behind the wrappers real logs come in, from memory (no temporary files).
///
/// `faultline rules test` and the test suite run this same runner.
public enum RuleTester {
    /// A way of wrapping an example log, as CI systems, containers and Windows do, or of reading
    /// it (a tiny read buffer splits every line across refills).
    public enum Variant: String, CaseIterable, Sendable {
        case plain
        case githubTimestamp = "github-timestamp"
        case gitlabTimestamp = "gitlab-timestamp"
        case composePrefix = "compose-prefix"
        case dockerJSON = "docker-json"
        case cri
        case ansi
        case crlf
        case utf8BOM = "utf8-bom"
        case utf16LE = "utf16le"
        case utf16BE = "utf16be"
        case buffer1 = "1-byte-buffer"
        case buffer7 = "7-byte-buffer"
        case buffer4096 = "4096-byte-buffer"

        /// The wrappers the ingest layer of this build peels: the variants `rules test` runs.
        public static let standard: [Variant] = allCases

        /// The example as this wrapper would deliver it, as bytes.
        public func bytes(_ log: String) -> [UInt8] {
            let lines = log.split(separator: "\n", omittingEmptySubsequences: false)
            let body = log.hasSuffix("\n") ? lines.dropLast() : lines[...]
            func each(_ f: (Substring) -> String) -> String { body.map(f).joined(separator: "\n") + "\n" }
            switch self {
            case .plain, .buffer1, .buffer7, .buffer4096: return Array(each { String($0) }.utf8)
            case .githubTimestamp: return Array(each { "2025-01-02T03:04:05.1234567Z " + $0 }.utf8)
            case .gitlabTimestamp: return Array(each { "2025-01-02T03:04:05.123456Z 00O " + $0 }.utf8)
            case .composePrefix: return Array(each { "app-1  | " + $0 }.utf8)
            case .dockerJSON:
                return Array(
                    each {
                        #"{"log":""# + JSONString.escaped($0 + "\n")
                            + #"","stream":"stderr","time":"2025-01-02T03:04:05.123456789Z"}"#
                    }
                    .utf8)
            case .cri: return Array(each { "2025-01-02T03:04:05.123456789Z stderr F " + $0 }.utf8)
            case .ansi:
                return Array(each { $0.isEmpty ? "" : "\u{1B}[2m\u{1B}[0m" + colorFirstWord($0) + "\u{1B}[0m" }.utf8)
            case .crlf: return Array((body.map(String.init).joined(separator: "\r\n") + "\r\n").utf8)
            case .utf8BOM: return [0xEF, 0xBB, 0xBF] + Array(each { String($0) }.utf8)
            case .utf16LE, .utf16BE:
                let text = body.map(String.init).joined(separator: "\r\n") + "\r\n"
                var out: [UInt8] = self == .utf16LE ? [0xFF, 0xFE] : [0xFE, 0xFF]
                for unit in text.utf16 {
                    let hi = UInt8(unit >> 8)
                    let lo = UInt8(unit & 0xFF)
                    out += self == .utf16LE ? [lo, hi] : [hi, lo]
                }
                return out
            }
        }

        /// The example text as this wrapper would deliver it (UTF-16 variants as their UTF-8 text).
        public func apply(_ log: String) -> String { String(decoding: bytes(log), as: UTF8.self) }

        private func colorFirstWord(_ line: Substring) -> String {
            guard let space = line.firstIndex(of: " "), space != line.startIndex else { return "\u{1B}[31m" + line }
            return "\u{1B}[1;31m" + line[..<space] + "\u{1B}[0m" + line[space...]
        }

        var readerOptions: ReaderOptions {
            var o = ReaderOptions()
            switch self {
            case .buffer1: o.bufferSize = 1
            case .buffer7: o.bufferSize = 7
            case .buffer4096: o.bufferSize = 4096
            default: break
            }
            return o
        }
    }

    /// One example that did not behave as declared.
    public struct Failure: Sendable, CustomStringConvertible {
        /// The id of the rule whose example failed.
        public let rule: String
        /// Where the example is written in the rule file.
        public let location: SourceLocation
        /// The wrapper or reading it failed in (only the first failing one is recorded).
        public let variant: Variant
        /// What went wrong: no match, the evidence at another line, a value that differs, or a match
        /// where none was expected.
        public let message: String
        /// `file:line:col: rule [variant]: message`.
        public var description: String { "\(location): \(rule) [\(variant.rawValue)]: \(message)" }
    }

    /// Per-rule outcome.
    public struct RuleResult: Sendable {
        /// The rule's id.
        public let rule: String
        /// The rule file, as shown in messages.
        public let file: String
        /// Match examples that passed in every variant.
        public var matchPassed = 0
        /// Match examples replayed.
        public var matchTotal = 0
        /// No-match examples on which the rule found nothing in every variant.
        public var noMatchPassed = 0
        /// No-match examples replayed.
        public var noMatchTotal = 0
        /// Each failing example, with the first variant it failed in, in example order.
        public var failures: [Failure] = []
        /// `true` when no example failed.
        public var passed: Bool { failures.isEmpty }
        /// Other rules' examples (match or no_match) this rule also matches, by that rule's id:
        /// overlaps that surface when every example is checked against every rule.
        public var alsoMatches: [String: Int] = [:]
        /// This rule's match examples on which another rule, of another category, ranks first in
        /// the report (a specific rule should outrank a generic one).
        public var outranked: [(example: SourceLocation, by: String)] = []
        /// Known gaps (`known_false_negative` / `known_false_positive`) that still reproduce
        /// (replayed plain).
        public var gapsOpen: [KnownGap] = []
        /// Known gaps that no longer reproduce (to be turned into ordinary examples).
        public var gapsClosed: [KnownGap] = []

        /// True positives over this rule's own examples: match examples that passed in every
        /// variant (every variant must pass for an example to count as passed).
        public var truePositives: Int { matchPassed }
        /// False negatives: match examples that failed in some variant.
        public var falseNegatives: Int { matchTotal - matchPassed }
        /// False positives: no-match examples the rule matched in some variant.
        public var falsePositives: Int { noMatchTotal - noMatchPassed }
        /// True negatives: no-match examples on which the rule found nothing in every variant.
        public var trueNegatives: Int { noMatchPassed }
    }

    /// Runs all examples of `only` (default: every rule) against the whole rule set `all`, so that
    /// correlation rules find the rules they refer to.
    public static func run(all: [Rule], only: [Rule]? = nil, variants: [Variant] = Variant.standard) -> [RuleResult] {
        let compiled = CompiledRules(all)
        var results: [RuleResult] = []
        for rule in only ?? all {
            guard let index = compiled.indexByID[rule.id] else { continue }
            var result = RuleResult(rule: rule.id, file: rule.file)
            for example in rule.matchExamples {
                result.matchTotal += 1
                var ok = true
                for variant in variants {
                    let found = scan(example.log, variant: variant, rules: compiled, rule: index)
                    if let problem = checkMatch(found, example: example) {
                        ok = false
                        result.failures.append(
                            Failure(rule: rule.id, location: example.location, variant: variant, message: problem))
                        break
                    }
                }
                if ok { result.matchPassed += 1 }
            }
            for example in rule.noMatchExamples {
                result.noMatchTotal += 1
                var ok = true
                for variant in variants {
                    let found = scan(example.log, variant: variant, rules: compiled, rule: index)
                    if !found.findings.isEmpty {
                        ok = false
                        let lines = found.findings.flatMap(\.lines).map { String($0.line) }.joined(separator: ", ")
                        result.failures.append(
                            Failure(
                                rule: rule.id, location: example.location, variant: variant,
                                message: "expected no match, but the rule matched at line(s) \(lines)"))
                        break
                    }
                }
                if ok { result.noMatchPassed += 1 }
            }
            for gap in rule.knownGaps {
                let found = scan(gap.log, variant: .plain, rules: compiled, rule: index)
                let stillOpen = gap.kind == .falseNegative ? found.findings.isEmpty : !found.findings.isEmpty
                if stillOpen { result.gapsOpen.append(gap) } else { result.gapsClosed.append(gap) }
            }
            results.append(result)
        }
        crossCheck(all: all, compiled: compiled, results: &results)
        return results
    }

    /// Checks every example of every rule against every rule (plain variant), recording which
    /// rules match other rules' examples and which rule ranks first on each match example.
    private static func crossCheck(
        all: [Rule], compiled: CompiledRules, results: inout [RuleResult]
    ) {
        let resultIndex = Dictionary(uniqueKeysWithValues: results.enumerated().map { ($0.element.rule, $0.offset) })
        for owner in all {
            let logs =
                owner.matchExamples.map { ($0.log, $0.location, true) }
                + owner.noMatchExamples.map { ($0.log, $0.location, false) }
            for (log, location, isMatch) in logs {
                let session = ScanSession(rules: compiled)
                session.scan(MemorySource(Variant.plain.bytes(log)), name: exampleSourceName(for: owner))
                let result = session.result()
                for id in Set(result.findings.map { compiled.rules[$0.rule].id }) where id != owner.id {
                    if let ri = resultIndex[id] { results[ri].alsoMatches[owner.id, default: 0] += 1 }
                }
                guard isMatch, let ri = resultIndex[owner.id] else { continue }
                let report = ReportBuilder.build(result, rules: compiled)
                if let top = report.incidents.first, top.rule != owner.id, top.category != owner.category,
                    !top.explains.contains(where: { $0.rule == owner.id })
                {
                    results[ri].outranked.append((location, top.rule))
                }
            }
        }
    }

    private struct Outcome {
        /// The rule's findings (one per grouping), empty when it did not match.
        var findings: [RuleFindings]
        var diagnostics: [Diagnostic]
    }

    private static func scan(_ log: String, variant: Variant, rules: CompiledRules, rule: Int) -> Outcome {
        let session = ScanSession(rules: rules, options: ScanOptions(reader: variant.readerOptions))
        let name = exampleSourceName(for: rules.rules[rule])
        session.scan(MemorySource(variant.bytes(log)), name: name)
        let result = session.result()
        var found = result.findings.filter { $0.rule == rule }
        if let contrast = rules.rules[rule].correlate?.contrast, contrast.required,
            result.contrast[FindingKey(rule: rule, source: name)] == nil
        {
            found = []
        }
        return Outcome(findings: found, diagnostics: result.diagnostics)
    }

    /// The file name an example is replayed under: `example.log`, or for a config-file rule its
    /// first `files:` glob with `*` removed (`appsettings*.json` → `appsettings.json`).
    public static func exampleSourceName(for rule: Rule) -> String {
        guard let glob = rule.files.first else { return "example.log" }
        let name = glob.replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "?", with: "x")
        return name.isEmpty ? "example" : name
    }

    private static func checkMatch(_ outcome: Outcome, example: MatchExample) -> String? {
        guard !outcome.findings.isEmpty else {
            let extra = outcome.diagnostics.first.map { " (\($0.message))" } ?? ""
            return "expected a match at line \(example.line), but the rule did not match\(extra)"
        }
        guard let f = outcome.findings.first(where: { $0.lines.contains { $0.line == example.line } }) else {
            let lines = outcome.findings.flatMap(\.lines).map { String($0.line) }.joined(separator: ", ")
            return "expected the evidence at line \(example.line), but the rule matched at line(s) \(lines)"
        }
        for (key, expected) in example.values.sorted(by: { $0.key < $1.key }) {
            let got = f.values[key]
            if got != expected {
                return "expected value \(key) = '\(expected)', got \(got.map { "'\($0)'" } ?? "nothing")"
            }
        }
        return nil
    }
}

extension RuleTester.RuleResult {
    /// The outcome as a value the report layer renders (`faultline rules test`).
    public var outcome: RuleTestOutcome {
        var o = RuleTestOutcome(rule: rule)
        o.truePositives = truePositives
        o.falseNegatives = falseNegatives
        o.falsePositives = falsePositives
        o.trueNegatives = trueNegatives
        o.failures = failures.map {
            RuleTestOutcome.Failure(location: "\($0.location)", variant: $0.variant.rawValue, message: $0.message)
        }
        o.alsoMatches = alsoMatches
        o.outranked = outranked.map { RuleTestOutcome.Outranked(example: "\($0.example)", by: $0.by) }
        let gap = { (g: KnownGap) in RuleTestOutcome.Gap(kind: g.kind.rawValue, location: "\(g.location)", note: g.note)
        }
        o.gapsOpen = gapsOpen.map(gap)
        o.gapsClosed = gapsClosed.map(gap)
        return o
    }
}
