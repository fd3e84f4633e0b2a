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
    .init(
        file: "context-length-then-typeerror.log",
        top: ("context-length-exceeded", "context-length-exceeded", 9), folded: ["none-response-typeerror"]),
    .init(
        file: "intermittent-401.log",
        top: ("auth.token-audience-or-expired", "azure-401-access-token-undetermined", 24), lowConfidence: true),
    .init(
        file: "litellm-retries-fallback-deployment-not-found.log",
        top: ("azure.deployment-not-found", "deployment-not-found", 16), folded: ["litellm-retries-and-fallbacks"]),
    .init(file: "unknown-error.log", top: nil),
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
        var files = 0
        let root = CLIRunner.packageRoot.appendingPathComponent("samples")
        if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker
            where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                files += 1
            }
        }
        #expect(stats["files"] as? Int == files)
        let incidents = try #require(json["incidents"] as? [[String: Any]])
        let categories = Set(incidents.compactMap { $0["category"] as? String })
        for e in expectations {
            if let top = e.top { #expect(categories.contains(top.category)) }
        }
    }
}

/// The root-cause reasoning on the samples: folding, config files as evidence, intermittency,
/// unclassified errors, versions, fingerprints.
@Suite struct ReasoningSamplesTests {
    func report(_ path: String) throws -> [String: Any] {
        let r = try CLIRunner.run(["scan", CLIRunner.sample(path), "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try CLIRunner.json(r.stdout)
    }

    func incidents(_ json: [String: Any]) -> [[String: Any]] { json["incidents"] as? [[String: Any]] ?? [] }

    @Test func retriesAndFallbacksFoldIntoOneIncident() throws {
        let list = incidents(try report("litellm-retries-fallback-deployment-not-found.log"))
        #expect(list.count == 1)
        let explains = list.first?["explains"] as? [[String: Any]] ?? []
        let retries = explains.first { $0["rule"] as? String == "litellm-retries-and-fallbacks" }
        #expect((retries?["occurrences"] as? Int ?? 0) >= 2)
        #expect((list.first?["values"] as? [String: String])?["deployment"] == "gpt4o-prod")
    }

    @Test func aConfigFileInTheArtifactFolderIsTheCauseOfThePipelines401() throws {
        let json = try report("bitbucket-artifacts")
        let list = incidents(json)
        let top = try #require(list.first)
        #expect(top["category"] as? String == "auth.unexpanded-env-var")
        let evidence = try #require((top["evidence"] as? [[String: Any]])?.first)
        #expect((evidence["source"] as? String)?.hasSuffix("bitbucket-artifacts/.pr_agent.toml") == true)
        #expect(evidence["line"] as? Int == 11)
        #expect((evidence["text"] as? String)?.contains("$OPENAI_API_KEY") == true)
        let folded = (top["explains"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        #expect(folded.contains("azure-401-access-token-undetermined"))
        #expect(!list.contains { $0["rule"] as? String == "azure-401-access-token-undetermined" })
    }

    @Test func configMistakesAreFindingsOfTheirOwn() throws {
        let list = incidents(try report("config-litellm"))
        let found = Set(list.compactMap { $0["category"] as? String })
        #expect(found == ["litellm.provider-not-provided", "azure.wrong-endpoint"])
        for incident in list {
            let e = (incident["evidence"] as? [[String: Any]])?.first
            #expect((e?["source"] as? String)?.hasSuffix("config-litellm/config.yaml") == true)
        }
    }

    @Test func intermittentFailuresGiveTheRatioAndWhatDiffers() throws {
        let top = try #require(incidents(try report("intermittent-401.log")).first)
        let signals = (top["signals"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        let line = try #require(signals.first { $0.hasPrefix("intermittent:") })
        #expect(line.contains("5 of 8 requests"))
        #expect(line.contains("'runner-b'"))
        // The span of the requests, earliest to latest (it was lost when outcomes were summed).
        #expect(line.hasSuffix("between 2025-06-03 14:00:05,902 and 2025-06-03 14:00:31,770"))
        #expect((top["values"] as? [String: String])?["success_ratio"] == "5/8")
    }

    @Test func anUnknownErrorLandsInUnclassifiedWithItsTemplate() throws {
        let json = try report("unknown-error.log")
        #expect(incidents(json).isEmpty)
        let clusters = try #require(json["unclassified"] as? [[String: Any]])
        #expect(clusters.count == 1)
        #expect(clusters.first?["count"] as? Int == 3)
        let template = try #require(clusters.first?["template"] as? String)
        #expect(template.hasPrefix("ValueError: Unknown tool call format:"))
        #expect(template.contains("<*>"))
        let example = try #require(clusters.first?["example"] as? [String: Any])
        #expect(example["line"] as? Int == 14)
        let text = try CLIRunner.run(["scan", CLIRunner.sample("unknown-error.log")]).stdout
        #expect(text.contains("Unclassified errors"))
        let md = try CLIRunner.run(["scan", CLIRunner.sample("unknown-error.log"), "--format", "markdown"]).stdout
        #expect(md.contains("## Unclassified errors"))
    }

    @Test func theSDKVersionDecidesTheDuplicatedHeaderCause() throws {
        let top = try #require(incidents(try report("seed-002-kernel-memory-429-then-401.log")).first)
        let signals = (top["signals"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        #expect(signals.contains { $0.hasPrefix("your Azure.AI.OpenAI 2.0.0-beta.2 is affected") })
        #expect((top["values"] as? [String: String])?["version.Azure.AI.OpenAI"] == "2.0.0-beta.2")
        #expect((top["confidence"] as? Double ?? 0) > 0.9)
    }

    @Test func fingerprintsAreStableAcrossRunsAndPlaces() throws {
        let a = incidents(try report("lookalike-deployment-not-found.log")).first?["fingerprint"] as? String
        let b = incidents(try report("lookalike-deployment-not-found.log")).first?["fingerprint"] as? String
        #expect(a == b)
        #expect(a?.count == 16)
        // The same cause in another file of another stack has the same fingerprint when the
        // grouping values agree, and another one when they do not.
        let c =
            incidents(try report("litellm-retries-fallback-deployment-not-found.log")).first?["fingerprint"] as? String
        #expect(c != nil && c != a)
    }

    @Test func explainShowsTheEventTheValuesAndEachRulesVerdict() throws {
        let r = try CLIRunner.run(["explain", CLIRunner.sample("lookalike-deployment-not-found.log") + ":9"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("MATCH  deployment-not-found"))
        #expect(r.stdout.contains("error.code = DeploymentNotFound"))
        #expect(r.stdout.contains("     9 > "))
        let bad = try CLIRunner.run(["explain", CLIRunner.sample("lookalike-deployment-not-found.log") + ":99999"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("the file has only"))
    }

    @Test func rulesNewPrintsASkeletonWithTheExample() throws {
        let r = try CLIRunner.run(["rules", "new", "--from", CLIRunner.sample("unknown-error.log") + ":14"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("schema: 1"))
        #expect(r.stdout.contains("Unknown tool call format"))
        #expect(r.stdout.contains("line: 8"))
    }
}
