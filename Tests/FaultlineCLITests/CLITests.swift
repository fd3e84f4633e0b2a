import Foundation
import Testing

private let fakeKey = "sk-proj-FAKEfakeFAKEfake0123456789abcdefFAKE"
private let fakeJWT =
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2NvZ25pdGl2ZXNlcnZpY2VzLmF6dXJlLmNvbSJ9.FAKEsignatureFAKEsignature"

/// A pr-agent style log: the key in the printed config is a literal `$OPENAI_API_KEY`, then the 401.
private let unexpandedLog = """
    2024-08-22 10:15:02.991 | INFO     | pr_agent.git_providers.bitbucket_provider:__init__:52 - Bitbucket PR https://bitbucket.org/acme/payments-api/pull-requests/17
    2024-08-22 10:15:03.120 | DEBUG    | pr_agent.algo.ai_handlers.litellm_ai_handler:__init__:61 - openai.key = '$OPENAI_API_KEY', api_base = 'https://contoso-eastus2.openai.azure.com', api_version = '2024-02-15-preview'
    2024-08-22 10:15:04.533 | WARNING  | pr_agent.algo.ai_handlers.litellm_ai_handler:chat_completion:231 - Error during LLM inference: litellm.AuthenticationError: AzureException AuthenticationError - Error code: 401 - {'statusCode': 401, 'message': 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.'}
    2024-08-22 10:15:04.540 | DEBUG    | pr_agent.tools.pr_reviewer:run:112 - Authorization: Bearer \(fakeJWT) key=\(fakeKey)

    """

@Suite struct CLITests {
    @Test func helpExplainsWithExamplesAndExitsZero() throws {
        let r = try CLIRunner.run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("EXAMPLES:"))
        #expect(r.stdout.contains("faultline scan"))
        let scan = try CLIRunner.run(["scan", "--help"])
        #expect(scan.status == 0)
        #expect(scan.stdout.contains("--fail-on"))
    }

    @Test func usageErrorsExitTwoWithAMessage() throws {
        let r = try CLIRunner.run(["scan", "--format", "xml"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("xml"))
        let unknown = try CLIRunner.run(["scan", "--no-such-flag"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--no-such-flag"))
    }

    @Test func healthyStdinYieldsNoIncident() throws {
        let log = """
            2025-05-07 21:44:03 info: Server listening on all interfaces at port 3080. Use http://localhost:3080 to access it
            INFO:httpx:HTTP Request: POST https://contoso-eastus2.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-06-01 "HTTP/1.1 200 OK"

            """
        let r = try CLIRunner.run(["--format", "json"], stdin: Data(log.utf8))
        #expect(r.status == 0)
        let json = try CLIRunner.json(r.stdout)
        #expect((json["incidents"] as? [Any])?.count == 0)
        let stats = json["stats"] as? [String: Any]
        #expect(stats?["lines"] as? Int == 2)
        #expect(stats?["files"] as? Int == 1)
    }

    @Test func unexpandedKeyIsTheTopCauseAndSecretsAreRedactedInEveryFormat() throws {
        for format in ["text", "markdown", "json"] {
            let r = try CLIRunner.run(["scan", "-", "--format", format], stdin: Data(unexpandedLog.utf8))
            #expect(r.status == 0, "\(format): \(r.stderr)")
            #expect(!r.stdout.contains(fakeKey), "\(format) leaks the API key")
            #expect(!r.stdout.contains("FAKEsignatureFAKEsignature"), "\(format) leaks the JWT")
            #expect(r.stdout.contains("$OPENAI_API_KEY"), "\(format) must keep the unexpanded reference")
            #expect(r.stdout.contains("auth.unexpanded-env-var"))
        }
        let r = try CLIRunner.run(["--format", "json"], stdin: Data(unexpandedLog.utf8))
        let incidents = try #require(try CLIRunner.json(r.stdout)["incidents"] as? [[String: Any]])
        let top = try #require(incidents.first)
        #expect(top["category"] as? String == "auth.unexpanded-env-var")
        let evidence = try #require((top["evidence"] as? [[String: Any]])?.first)
        #expect(evidence["source"] as? String == "<stdin>")
        #expect(evidence["line"] as? Int == 2)
    }

    @Test func failOnGatesTheExitCode() throws {
        let hit = try CLIRunner.run(["--fail-on", "error"], stdin: Data(unexpandedLog.utf8))
        #expect(hit.status == 1)
        // The unexpanded key is critical: every request fails until the config is fixed.
        let critical = try CLIRunner.run(["--fail-on", "critical"], stdin: Data(unexpandedLog.utf8))
        #expect(critical.status == 1)
        // A throttling incident is a warning: below --fail-on error.
        let throttled = """
            openai.RateLimitError: Error code: 429 - {'error': {'code': '429', 'message': 'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-06-01 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 7 seconds.'}}

            """
        let warning = try CLIRunner.run(["--fail-on", "error"], stdin: Data(throttled.utf8))
        #expect(warning.status == 0)
        let warningGate = try CLIRunner.run(["--fail-on", "warning"], stdin: Data(throttled.utf8))
        #expect(warningGate.status == 1)
        let healthy = try CLIRunner.run(["--fail-on", "info"], stdin: Data("all good\n".utf8))
        #expect(healthy.status == 0)
    }

    @Test func missingPathIsADiagnosticAndTheRestIsScanned() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "faultline-missing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("app.log")
        try Data(unexpandedLog.utf8).write(to: log)
        let r = try CLIRunner.run(["scan", dir.appendingPathComponent("nope.log").path, log.path, "--format", "json"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("nope.log"))
        let json = try CLIRunner.json(r.stdout)
        #expect(((json["incidents"] as? [Any])?.count ?? 0) >= 1)
        let diags = json["diagnostics"] as? [[String: Any]]
        #expect(diags?.contains { ($0["source"] as? String)?.hasSuffix("nope.log") == true } == true)
    }

    @Test func brokenUserRuleExitsTwoButShippedRulesStillWork() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("schema: 1\nid: mine\nseverty: error\n".utf8).write(to: dir.appendingPathComponent("mine.yaml"))
        let r = try CLIRunner.run(["--rules", dir.path, "--format", "json"], stdin: Data(unexpandedLog.utf8))
        #expect(r.status == 2)
        #expect(r.stderr.contains("mine.yaml:3:1"))
        #expect(r.stderr.contains("did you mean 'severity'?"))
        let incidents = try CLIRunner.json(r.stdout)["incidents"] as? [[String: Any]]
        #expect(incidents?.first?["category"] as? String == "auth.unexpanded-env-var")
    }

    @Test func outputFileIsWritten() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("incident.md")
        let r = try CLIRunner.run(["--format", "markdown", "-o", out.path], stdin: Data(unexpandedLog.utf8))
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
        let text = try String(contentsOf: out, encoding: .utf8)
        #expect(text.hasPrefix("# faultline report"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(leftovers == ["incident.md"])
    }

    @Test func closedStdoutEndsQuietly() throws {
        var big = ""
        for _ in 0..<200 { big += unexpandedLog }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-pipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("big.log")
        try Data(big.utf8).write(to: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "'\(CLIRunner.binary.path)' scan '\(log.path)' | head -c 10 > /dev/null; echo done"]
        let err = Pipe()
        let out = Pipe()
        process.standardError = err
        process.standardOutput = out
        try process.run()
        process.waitUntilExit()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(errText.isEmpty)
    }

    @Test func rulesTestPassesOnTheShippedRules() throws {
        let r = try CLIRunner.run(["rules", "test"])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.contains(" 0 failed"))
        #expect(r.stdout.contains("PASS"))
    }

    @Test func rulesListShowsEveryShippedRule() throws {
        let r = try CLIRunner.run(["rules", "list", "--format", "json"])
        #expect(r.status == 0)
        let list = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        #expect((list?.count ?? 0) >= 12)
    }
}

@Suite struct RuleToolsTests {
    func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "faultline-ruletools-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    static let sloppy = """
        schema: 1
        id: sloppy
        title: Error 401 from the API
        category: auth.invalid-key
        severity: error
        confidence: 0.3
        match:
          any:
            - '.*Unauthorized'
        cause: c
        fix: [f]
        references: ['https://example.com']
        examples:
          match:
            - log: 'Unauthorized'
              line: 1
          no_match:
            - log: 'ok'
          known_false_negative:
            - log: 'HTTP 401'
              note: the status alone is not enough
        """

    @Test func lintNamesEachProblemAtItsLineAndStrictFails() throws {
        let dir = try folder(["sloppy.yaml": Self.sloppy])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLIRunner.run(["rules", "lint", dir.path])
        #expect(r.status == 0)
        #expect(r.stdout.contains("sloppy.yaml:9:7: warning: sloppy: pattern starts with '.*'"))
        #expect(r.stdout.contains("names a symptom"))
        #expect(r.stdout.contains("lists no candidates"))
        #expect(r.stdout.contains("has 1 'match' example(s)"))
        let strict = try CLIRunner.run(["rules", "lint", "--strict", dir.path])
        #expect(strict.status == 1)
    }

    @Test func shippedRulesAreLintClean() throws {
        let r = try CLIRunner.run(["rules", "lint", "--strict"])
        #expect(r.status == 0, "\(r.stdout)")
    }

    @Test func rulesTestReportsTheMatrixAndKnownGapsWithoutFailing() throws {
        let dir = try folder(["sloppy.yaml": Self.sloppy])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLIRunner.run(["rules", "test", dir.path])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.contains("PASS  sloppy  TP 1 FN 0 FP 0 TN 1  known gaps 1"))
        #expect(r.stdout.contains("known_false_negative at"))
        #expect(r.stdout.contains("1 known gaps reported"))
    }

    @Test func theCatalogueIsGeneratedFromTheRules() throws {
        let r = try CLIRunner.run(["rules", "list", "--format", "markdown"])
        #expect(r.status == 0)
        let committed = try String(
            contentsOf: CLIRunner.packageRoot.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        #expect(r.stdout == committed, "docs/rules.md is stale")
    }
}

@Suite struct ScanModesTests {
    @Test func theReportDoesNotDependOnTheNumberOfWorkers() throws {
        let samples = CLIRunner.packageRoot.appendingPathComponent("samples").path
        for format in ["json", "markdown", "text"] {
            let one = try CLIRunner.run(["scan", samples, "--format", format, "--jobs", "1"])
            let many = try CLIRunner.run(["scan", samples, "--format", format, "--jobs", "4"])
            #expect(one.status == 0 && many.status == 0)
            #expect(one.stdout == many.stdout, "\(format) differs between --jobs 1 and --jobs 4")
            #expect(one.stdout.count > 1000)
        }
    }

    @Test func liveModePrintsIncidentsAsTheyComeThenTheReport() throws {
        let log = try String(
            contentsOfFile: CLIRunner.sample("seed-002-kernel-memory-429-then-401.log"), encoding: .utf8)
        let r = try CLIRunner.run(["scan", "-", "--live"], stdin: Data(log.utf8))
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let firstLive = try #require(lines.firstIndex { $0.hasPrefix("● ") })
        let report = try #require(lines.firstIndex { $0.hasPrefix("1 incident in 1 file") })
        #expect(firstLive < report)
        #expect(lines.contains { $0.hasPrefix("● ") && $0.contains("auth.duplicate-authorization-on-retry") })
    }

    @Test func progressGoesToStderrOnlyWhenAsked() throws {
        let quiet = try CLIRunner.run(["scan", CLIRunner.sample("seed-000-pr-agent-unexpanded-key.log")])
        #expect(quiet.stderr.isEmpty)
        let jobsZero = try CLIRunner.run([
            "scan", "--jobs", "0", CLIRunner.sample("seed-000-pr-agent-unexpanded-key.log"),
        ])
        #expect(jobsZero.status == 2)
        #expect(jobsZero.stderr.contains("--jobs must be at least 1"))
    }
}

@Suite struct ArtifactFolderTests {
    @Test func archivesAreReadInPlaceAndEvidenceNamesTheMember() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "faultline-artifacts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("logs"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let seed = try Data(
            contentsOf: URL(fileURLWithPath: CLIRunner.sample("seed-002-kernel-memory-429-then-401.log")))
        try seed.write(to: dir.appendingPathComponent("logs/app.log"))
        try Data("node_modules noise\n".utf8).write(to: dir.appendingPathComponent("logs/skip.txt"))
        let script = """
            import zipfile, tarfile, gzip, shutil
            z = zipfile.ZipFile('artifact.zip', 'w', zipfile.ZIP_DEFLATED); z.write('logs/app.log'); z.close()
            with tarfile.open('job.tgz', 'w:gz') as t: t.add('logs/app.log')
            with open('logs/app.log', 'rb') as i, gzip.open('app.log.gz', 'wb') as o: shutil.copyfileobj(i, o)
            open('broken.zip', 'wb').write(open('artifact.zip', 'rb').read()[:200])
            """
        let py = Process()
        py.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        py.arguments = ["python3", "-c", script]
        py.currentDirectoryURL = dir
        try py.run()
        py.waitUntilExit()
        try #require(py.terminationStatus == 0)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("logs"))
        let r = try CLIRunner.run(["scan", dir.path, "--format", "json"])
        #expect(r.status == 2, "the broken archive is an input error")
        #expect(r.stderr.contains("broken.zip"))
        let json = try CLIRunner.json(r.stdout)
        let top = try #require((json["incidents"] as? [[String: Any]])?.first)
        #expect(top["category"] as? String == "auth.duplicate-authorization-on-retry")
        let sources = Set(((top["evidence"] as? [[String: Any]]) ?? []).compactMap { $0["source"] as? String })
        #expect(sources.contains("\(dir.path)/artifact.zip!logs/app.log"))
        let only = try CLIRunner.run(["scan", dir.path, "--include", "*.gz", "--format", "json"])
        let stats = try CLIRunner.json(only.stdout)["stats"] as? [String: Any]
        #expect(stats?["files"] as? Int == 1)
    }
}

@Suite struct MergeAndCIFormatsTests {
    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func mergingShardReportsEqualsScanningEverything() throws {
        let a = ["seed-000-pr-agent-unexpanded-key.log", "seed-001-librechat-serverless-vision.log"].map(
            CLIRunner.sample)
        let b = ["seed-002-kernel-memory-429-then-401.log", "seed-003-jupyter-ai-streaming.log", "unknown-error.log"]
            .map(
                CLIRunner.sample)
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pa = dir.appendingPathComponent("part-a.json").path
        let pb = dir.appendingPathComponent("part-b.json").path
        #expect(try CLIRunner.run(["scan"] + a + ["--format", "json", "-o", pa]).status == 0)
        #expect(try CLIRunner.run(["scan"] + b + ["--format", "json", "-o", pb]).status == 0)
        let whole = try CLIRunner.run(["scan"] + a + b + ["--format", "json"])
        let merged = try CLIRunner.run(["merge", pa, pb, "--format", "json"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == whole.stdout)
        // The order of the shards does not matter.
        let reversed = try CLIRunner.run(["merge", pb, pa, "--format", "json"])
        #expect(reversed.stdout == whole.stdout)
    }

    @Test func overlappingShardsAddTheirCounts() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sample = CLIRunner.sample("lookalike-429-recovers.log")
        let copy = dir.appendingPathComponent("again.log")
        try FileManager.default.copyItem(atPath: sample, toPath: copy.path)
        let p1 = dir.appendingPathComponent("1.json").path
        let p2 = dir.appendingPathComponent("2.json").path
        _ = try CLIRunner.run(["scan", sample, "--format", "json", "-o", p1])
        _ = try CLIRunner.run(["scan", copy.path, "--format", "json", "-o", p2])
        let one = try CLIRunner.json(try CLIRunner.run(["merge", p1, "--format", "json"]).stdout)
        let two = try CLIRunner.json(try CLIRunner.run(["merge", p1, p2, "--format", "json"]).stdout)
        let n1 = (one["incidents"] as? [[String: Any]])?.first?["occurrences"] as? Int ?? 0
        let n2 = (two["incidents"] as? [[String: Any]])?.first?["occurrences"] as? Int ?? 0
        #expect(n1 > 0 && n2 == 2 * n1)
        #expect((two["stats"] as? [String: Any])?["files"] as? Int == 2)
    }

    @Test func aBaselineHidesKnownIncidentsAndSaysHowMany() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = dir.appendingPathComponent("base.json").path
        _ = try CLIRunner.run([
            "scan", CLIRunner.sample("seed-000-pr-agent-unexpanded-key.log"), "--format", "json", "-o", base,
        ])
        let paths = [
            CLIRunner.sample("seed-000-pr-agent-unexpanded-key.log"),
            CLIRunner.sample("lookalike-deployment-not-found.log"),
        ]
        let r = try CLIRunner.run(["scan"] + paths + ["--baseline", base, "--format", "json"])
        let incidents = try CLIRunner.json(r.stdout)["incidents"] as? [[String: Any]] ?? []
        #expect(incidents.map { $0["category"] as? String } == ["azure.deployment-not-found"])
        let text = try CLIRunner.run(["scan"] + paths + ["--baseline", base])
        #expect(text.stdout.contains("1 known incident"))
        let bad = try CLIRunner.run(["scan"] + paths + ["--baseline", paths[0]])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("not a faultline JSON report"))
    }

    @Test func sarifAndGitHubAnnotationsFromAScan() throws {
        let path = CLIRunner.sample("seed-002-kernel-memory-429-then-401.log")
        let sarif = try CLIRunner.run(["scan", path, "--format", "sarif"])
        #expect(sarif.status == 0)
        let doc = try CLIRunner.json(sarif.stdout)
        #expect(doc["version"] as? String == "2.1.0")
        let run = try #require((doc["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.first?["ruleId"] as? String == "duplicate-authorization-on-retry")
        let gh = try CLIRunner.run(["scan", path, "--format", "github"])
        #expect(gh.stdout.contains("::error file=\(path),line=63,title="))
        let md = try CLIRunner.run([
            "scan", CLIRunner.packageRoot.appendingPathComponent("samples").path, "--format", "markdown", "--max-bytes",
            "20000",
        ])
        #expect(md.stdout.utf8.count <= 20000)
        #expect(md.stdout.contains("## 1. "))
        #expect(md.stdout.contains("not shown"))
    }

    @Test func mergeNamesABrokenReport() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.json")
        try Data("{\"version\": 1}".utf8).write(to: bad)
        let r = try CLIRunner.run(["merge", bad.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.json: not a faultline JSON report"))
    }
}

@Suite struct LiveInterruptTests {
    @Test func ctrlCInLiveModeEndsWithTheFullReport() throws {
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = ["--live", "--color", "never"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let log = try String(contentsOfFile: CLIRunner.sample("lookalike-deployment-not-found.log"), encoding: .utf8)
        input.fileHandleForWriting.write(Data(log.utf8))
        // Keep stdin open, as `tail -f` does; give the scan time to read, then press Ctrl-C.
        Thread.sleep(forTimeInterval: 1.5)
        process.interrupt()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        let text = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(text.contains("● ERROR  azure.deployment-not-found"))
        #expect(text.contains("(interrupted: the report covers what was read)"))
        #expect(text.contains("1 incident in 1 file"))
    }
}
