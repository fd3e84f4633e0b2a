import Foundation
import Testing

/// What each sample under `samples/` must yield (samples/README.md says the same in prose).
struct SampleExpectation: Sendable, CustomStringConvertible {
    let file: String
    /// The top incident's category and rule, and its first evidence line; nil for healthy logs.
    let top: (category: String, rule: String, line: Int)?
    /// Rules that must be folded under the top incident, not listed on their own.
    var folded: [String] = []
    /// The top incident's confidence must be below 0.5 (a bare symptom) or at least 0.5.
    var lowConfidence = false

    var description: String { file }
}

private let expectations: [SampleExpectation] = [
    .init(
        file: "seed-000-pr-agent-unexpanded-key.log",
        top: ("auth.unexpanded-env-var", "unexpanded-env-var-in-config", 23),
        folded: ["azure-401-access-token-undetermined"]),
    .init(
        file: "seed-001-librechat-serverless-vision.log",
        top: ("auth.header-dropped", "librechat-serverless-api-key-header-dropped", 107)),
    .init(
        file: "seed-002-kernel-memory-429-then-401.log",
        top: ("auth.duplicate-authorization-on-retry", "duplicate-authorization-on-retry", 63),
        folded: ["azure-429-retry-after"]),
    .init(
        file: "seed-003-jupyter-ai-streaming.log",
        top: ("streaming.unsupported", "stream-5xx-while-nonstream-works", 57), folded: ["azure-5xx-generic"]),
    .init(
        file: "lookalike-bare-401-access-token.log",
        top: ("auth.token-audience-or-expired", "azure-401-access-token-undetermined", 19), lowConfidence: true),
    .init(
        file: "lookalike-dotnet-401-without-429.log",
        top: ("auth.token-audience-or-expired", "azure-401-access-token-undetermined", 13), lowConfidence: true),
    .init(
        file: "lookalike-invalid-subscription-key.log", top: ("auth.invalid-key", "azure-401-invalid-key", 6)),
    .init(
        file: "lookalike-aad-token-expired.log",
        top: ("auth.token-audience-or-expired", "aad-token-expired-or-wrong-audience", 16)),
    .init(file: "lookalike-429-recovers.log", top: ("rate-limit", "azure-429-retry-after", 4)),
    .init(
        file: "lookalike-server-500-nonstreaming.log", top: ("server.5xx", "azure-5xx-generic", 2),
        lowConfidence: true),
    .init(
        file: "lookalike-deployment-not-found.log",
        top: ("azure.deployment-not-found", "deployment-not-found", 9)),
    .init(
        file: "lookalike-o1-stream-unsupported.log",
        top: ("streaming.unsupported", "stream-param-unsupported-value", 4)),
    .init(file: "healthy-pr-agent-litellm.log", top: nil),
    .init(file: "healthy-librechat.log", top: nil),
    .init(file: "healthy-kernel-memory-ingest.log", top: nil),
]

/// End to end: the built CLI on every sample, as a user would run it.
@Suite struct SamplesTests {
    @Test func everySampleHasAnExpectation() throws {
        let files = try FileManager.default.contentsOfDirectory(
            atPath: CLIRunner.packageRoot.appendingPathComponent("samples").path
        ).filter { $0.hasSuffix(".log") }
        #expect(Set(files) == Set(expectations.map(\.file)))
    }

    @Test(arguments: expectations)
    func sampleYieldsItsCause(_ e: SampleExpectation) throws {
        let path = CLIRunner.sample(e.file)
        let r = try CLIRunner.run(["scan", path, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLIRunner.json(r.stdout)
        let incidents = try #require(json["incidents"] as? [[String: Any]])
        guard let top = e.top else {
            #expect(incidents.isEmpty, "healthy sample yielded \(incidents.map { $0["rule"] ?? "" })")
            return
        }
        let first = try #require(incidents.first)
        #expect(first["category"] as? String == top.category)
        #expect(first["rule"] as? String == top.rule)
        let evidence = try #require((first["evidence"] as? [[String: Any]])?.first)
        #expect(evidence["source"] as? String == path)
        #expect(evidence["line"] as? Int == top.line)
        let folded = (first["explains"] as? [[String: Any]])?.compactMap { $0["rule"] as? String } ?? []
        for rule in e.folded {
            #expect(folded.contains(rule), "\(rule) should be folded under \(top.rule)")
            #expect(!incidents.contains { $0["rule"] as? String == rule }, "\(rule) listed separately")
        }
        let confidence = try #require(first["confidence"] as? Double)
        if e.lowConfidence {
            #expect(confidence < 0.5)
            #expect(!((first["candidates"] as? [Any]) ?? []).isEmpty || top.category == "server.5xx")
        } else {
            #expect(confidence >= 0.5)
        }
        #expect(!(first["fix"] as? [String] ?? []).isEmpty)
        #expect(!(first["references"] as? [String] ?? []).isEmpty)
    }

    @Test func allFormatsRenderEverySample() throws {
        for e in expectations {
            for format in ["text", "markdown"] {
                let r = try CLIRunner.run(["scan", CLIRunner.sample(e.file), "--format", format])
                #expect(r.status == 0)
                if e.top == nil {
                    #expect(r.stdout.contains("No incidents"), "\(e.file) \(format)")
                } else {
                    #expect(r.stdout.contains(e.top?.category ?? "?"), "\(e.file) \(format)")
                }
            }
        }
    }

    @Test func aFolderIsWalkedAndEvidenceNamesEachFile() throws {
        let r = try CLIRunner.run([
            "scan", CLIRunner.packageRoot.appendingPathComponent("samples").path, "--format", "json",
        ])
        #expect(r.status == 0)
        let json = try CLIRunner.json(r.stdout)
        let stats = try #require(json["stats"] as? [String: Any])
        #expect(stats["files"] as? Int == expectations.count + 1)  // + samples/README.md
        let incidents = try #require(json["incidents"] as? [[String: Any]])
        let categories = Set(incidents.compactMap { $0["category"] as? String })
        for e in expectations {
            if let top = e.top { #expect(categories.contains(top.category)) }
        }
    }
}
