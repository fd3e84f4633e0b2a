import FaultlineEngine
import FaultlineIngest
import FaultlineModel
import FaultlineRules
import FaultlineShippedRules
import Foundation
import Testing

private let shippedRules: [Rule] = {
    var diagnostics = Diagnostics()
    return RuleLoader.load(files: ShippedRules.files, origin: .shipped, diagnostics: &diagnostics)
}()
private let compiledShipped = CompiledRules(shippedRules)

private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Every file under samples/ (folders walked, archives and config files included).
private let sampleFiles: [InputFile] = {
    var diagnostics = Diagnostics()
    return InputWalker.expand([repositoryRoot.appendingPathComponent("samples").path], diagnostics: &diagnostics)
        .filter { !$0.path.hasSuffix(".md") }
}()

/// The rule ids whose findings in `source` have an evidence line within `lines`.
private func rulesFound(in result: ScanResult, source: String, lines: ClosedRange<Int>) -> Set<String> {
    var ids: Set<String> = []
    for f in result.findings where f.lines.contains(where: { $0.source == source && lines.contains($0.line) }) {
        ids.insert(compiledShipped.rules[f.rule].id)
    }
    return ids
}

/// Checks, for every event a session explained, that the rules its verdicts call matched are
/// the rules the same scan recorded findings for on that event.
private func expectExplanationsAgree(_ session: ScanSession, _ what: String) {
    let result = session.result()
    for e in session.explanations {
        let found = rulesFound(in: result, source: e.source, lines: e.firstLine...e.lastLine)
        #expect(Set(e.matchedRules) == found, "\(what) \(e.source):\(e.firstLine)-\(e.lastLine)")
    }
}

@Suite("Pipeline: explain and scan agree; sinks stop; bytes in, report out")
struct PipelineTests {
    @Test("explain's verdicts agree with scan's findings on every event of every sample")
    func explainAgreesOnSamples() throws {
        #expect(sampleFiles.count > 20)
        for file in sampleFiles {
            let session = ScanSession(rules: compiledShipped)
            session.explain = .everyEvent
            session.scan(file)
            #expect(session.explanations.count == session.result().stats.events, "\(file.path)")
            expectExplanationsAgree(session, file.path)
        }
    }

    @Test("every value extracted from every sample event has a standard name (ValueName, version.*)")
    func extractedValuesUseTheVocabulary() {
        var names: Set<String> = []
        for file in sampleFiles {
            let session = ScanSession(rules: compiledShipped)
            session.explain = .everyEvent
            session.scan(file)
            for e in session.explanations { names.formUnion(e.values.keys) }
        }
        #expect(names.count > 10)
        #expect(names.filter { !ValueName.isStandard($0) }.sorted() == [])
    }

    @Test("explain's verdicts agree with scan's findings on every event of every rule example")
    func explainAgreesOnRuleExamples() {
        var events = 0
        for rule in shippedRules {
            let logs = rule.matchExamples.map(\.log) + rule.noMatchExamples.map(\.log)
            for log in logs {
                let session = ScanSession(rules: compiledShipped)
                session.explain = .everyEvent
                session.scan(MemorySource(log), name: RuleTester.exampleSourceName(for: rule))
                events += session.explanations.count
                expectExplanationsAgree(session, rule.id)
            }
        }
        #expect(events > 500)
    }

    @Test("explain FILE:LINE gives the verdicts the full scan gives that event, and stops after it")
    func explainOneLineEqualsTheScansView() throws {
        for file in sampleFiles where !file.path.contains(".zip") && !file.path.contains(".gz") {
            let full = ScanSession(rules: compiledShipped)
            full.explain = .everyEvent
            full.scan(file)
            let all = full.explanations
            // A few events per file, spread over it: each one a fresh scan up to that line.
            let step = max(1, all.count / 6)
            for e in stride(from: 0, to: all.count, by: step).map({ all[$0] }) {
                let one = ScanSession(rules: compiledShipped)
                one.explain = .line(e.lastLine)
                one.scan(file)
                let got = try #require(one.explanation, "\(file.path):\(e.lastLine)")
                #expect(got.firstLine == e.firstLine)
                #expect(got.verdicts.map(\.rule) == e.verdicts.map(\.rule))
                #expect(got.verdicts.map(\.steps) == e.verdicts.map(\.steps), "\(file.path):\(e.lastLine)")
                #expect(one.isStopped)
            }
        }
    }

    @Test("a file scanned as bytes from memory reports what the file scan reports")
    func memoryEqualsFile() throws {
        for file in sampleFiles where file.path.hasSuffix(".log") {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file.path))
            let a = ScanSession(rules: compiledShipped)
            a.scan(file)
            let b = ScanSession(rules: compiledShipped)
            b.scan(MemorySource(Array(bytes)), name: file.path)
            let ra = ReportBuilder.build(a.result(), rules: compiledShipped)
            let rb = ReportBuilder.build(b.result(), rules: compiledShipped)
            #expect(ra == rb, "\(file.path)")
        }
    }

    @Test("a finding sink that says stop ends the scan after that event; the result covers what was read")
    func findingSinkStops() throws {
        final class StopAtFirst: FindingSink {
            var seen = 0
            func finding(_ finding: RuleFindings, isNew: Bool) -> SinkAction {
                seen += 1
                return .stop
            }
        }
        let path = repositoryRoot.appendingPathComponent("samples/seed-002-kernel-memory-429-then-401.log").path
        let full = ScanSession(rules: compiledShipped)
        full.explain = .everyEvent
        full.scan(InputFile(path: path, explicit: true))
        let firstMatched = try #require(full.explanations.first { !$0.matchedRules.isEmpty })
        let sink = StopAtFirst()
        let session = ScanSession(rules: compiledShipped)
        session.findingSink = sink
        #expect(session.scan(InputFile(path: path, explicit: true)) == .stop)
        // The event that produced the first finding is finished (each rule it matched is
        // recorded), and nothing after it is read.
        let stopped = session.result()
        #expect(sink.seen == stopped.findings.count)
        #expect(Set(stopped.findings.map { compiledShipped.rules[$0.rule].id }) == Set(firstMatched.matchedRules))
        #expect(stopped.findings.allSatisfy { $0.occurrences == 1 })
        #expect(stopped.stats.lines < full.result().stats.lines)
        #expect(full.result().findings.count > stopped.findings.count)
    }

    @Test("a cancelled session reads no further than the first event")
    func cancellationStops() {
        let flag = Cancellation()
        flag.cancel()
        let session = ScanSession(rules: compiledShipped)
        session.cancellation = flag
        let text = (1...200).map { "2025-01-02 03:04:05 error: line \($0)" }.joined(separator: "\n")
        #expect(session.scan(MemorySource(text), name: "c.log") == .stop)
        #expect(session.result().stats.events == 1)
    }
}
