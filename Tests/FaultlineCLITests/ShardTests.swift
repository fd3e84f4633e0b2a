import FaultlineEngine
import FaultlineIngest
import FaultlineModel
import FaultlineReport
import FaultlineRules
import FaultlineShippedRules
import Foundation
import Testing

/// Scans in-process, as `faultline scan … --format json` and `faultline merge … --format json`
/// do (the shipped rules, default options): 210 pairs through the binary would take minutes in
/// a debug build. `inProcessScanIsTheCommandLineScan` checks that the two agree.
private enum InProcess {
    static let rules: CompiledRules = {
        var diagnostics = Diagnostics()
        let loaded = RuleLoader.load(files: ShippedRules.files, origin: .shipped, diagnostics: &diagnostics)
        return CompiledRules(RuleLoader.validate(loaded, diagnostics: &diagnostics))
    }()

    static func scan(_ paths: [String]) -> String {
        var walked = Diagnostics()
        let files = InputWalker.expand(paths, options: WalkOptions(), diagnostics: &walked)
        let result = ParallelScan.run(files: files, rules: rules, options: ScanOptions(), jobs: 1, prelude: walked)
        return JSONRenderer.render(ReportBuilder.build(result, rules: rules), options: RenderOptions())
    }

    static func merge(_ reports: [String]) throws -> String {
        let decoded = try reports.map { try JSONDecoder().decode(Report.self, from: Data($0.utf8)) }
        return JSONRenderer.render(ReportMerger.merge(decoded), options: RenderOptions())
    }

    static func fingerprints(_ json: String) throws -> Set<String> {
        Set(try JSONDecoder().decode(Report.self, from: Data(json.utf8)).incidents.map(\.fingerprint))
    }
}

/// The files and folders directly under samples/ (not the README, not the shapes folder).
private let topLevelSamples: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: CLIRunner.sample(""))) ?? []
    return names.filter { $0 != "README.md" && $0 != "shapes" }.sorted().map(CLIRunner.sample)
}()

@Suite struct ShardTests {
    /// docs/scale.md: `scan(A + B)` equals `merge(scan A, scan B)` when no rule correlates
    /// across files; an incident's fingerprint does not depend on what else was scanned.
    @Test func scanningAPairEqualsMergingTheirScans() throws {
        #expect(topLevelSamples.count >= 20)
        let alone = topLevelSamples.map { InProcess.scan([$0]) }
        var pairs = 0
        for i in topLevelSamples.indices {
            for j in topLevelSamples.indices where j > i {
                let a = topLevelSamples[i]
                let b = topLevelSamples[j]
                let both = InProcess.scan([a, b])
                let merged = try InProcess.merge([alone[i], alone[j]])
                #expect(both == merged, "scan \(a) \(b) differs from merging their scans")
                let union = try InProcess.fingerprints(alone[i]).union(try InProcess.fingerprints(alone[j]))
                #expect(try InProcess.fingerprints(both) == union, "fingerprints of \(a) + \(b)")
                let reversed = InProcess.scan([b, a])
                #expect(try InProcess.fingerprints(reversed) == union, "fingerprints of \(b) + \(a)")
                pairs += 1
            }
        }
        #expect(pairs == topLevelSamples.count * (topLevelSamples.count - 1) / 2)
    }

    @Test func inProcessScanIsTheCommandLineScan() throws {
        let paths = [CLIRunner.sample("intermittent-401.log"), CLIRunner.sample("lookalike-bare-401-access-token.log")]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-shards-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let both = try CLIRunner.run(["scan"] + paths + ["--format", "json"])
        #expect(both.stdout == InProcess.scan(paths))
        var parts: [String] = []
        for (k, path) in paths.enumerated() {
            let part = dir.appendingPathComponent("part-\(k).json").path
            #expect(try CLIRunner.run(["scan", path, "--format", "json", "-o", part]).status == 0)
            parts.append(part)
        }
        let merged = try CLIRunner.run(["merge"] + parts + ["--format", "json"])
        #expect(merged.stdout == both.stdout)
        // One incident, seen in both files: combined, not re-fingerprinted.
        let incidents = try CLIRunner.json(both.stdout)["incidents"] as? [[String: Any]] ?? []
        let sources = Set(
            incidents.flatMap { ($0["evidence"] as? [[String: Any]] ?? []).compactMap { $0["source"] } }
                .compactMap { $0 as? String })
        #expect(incidents.count == 1 && sources == Set(paths))
    }

    /// A baseline made of A's scan hides every incident of A, whatever is scanned with it.
    @Test(arguments: [
        ("context-length-then-typeerror.log", "../eval/logs/context-length-exceeded/compose_litellm_contextwindow.log"),
        ("context-length-then-typeerror.log", "../eval/logs/context-length-exceeded/km_dotnet_ask_context_length.log"),
        ("context-length-then-typeerror.log", "lookalike-deployment-not-found.log"),
        ("intermittent-401.log", "lookalike-dotnet-401-without-429.log"),
        ("lookalike-deployment-not-found.log", "litellm-retries-fallback-deployment-not-found.log"),
        ("config-litellm", "seed-000-pr-agent-unexpanded-key.log"),
    ])
    func aBaselineHidesItsIncidentsWhateverElseIsScanned(_ a: String, _ b: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-shards-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = dir.appendingPathComponent("base.json").path
        #expect(try CLIRunner.run(["scan", CLIRunner.sample(a), "--format", "json", "-o", base]).status == 0)
        let known = try InProcess.fingerprints(
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: base)), as: UTF8.self))
        try #require(!known.isEmpty, "\(a) has incidents")
        // A first or B first: the order of the inputs does not matter either.
        for paths in [[CLIRunner.sample(a), CLIRunner.sample(b)], [CLIRunner.sample(b), CLIRunner.sample(a)]] {
            let json = try CLIRunner.run(["scan"] + paths + ["--baseline", base, "--format", "json"])
            #expect(try InProcess.fingerprints(json.stdout).isDisjoint(with: known), "\(paths)")
            let text = try CLIRunner.run(["scan"] + paths + ["--baseline", base, "--color", "never"])
            let noun = known.count == 1 ? "known incident" : "known incidents"
            #expect(text.stdout.contains("\(known.count) \(noun) hidden by the baseline"), "\(paths): \(text.stdout)")
        }
    }
}
