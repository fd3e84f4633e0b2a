import FaultlineModel
import FaultlineReport
import Testing

@Suite("GitHub annotations")
struct GitHubAnnotationsTests {
    static func lines(
        _ report: Report, options: RenderOptions = RenderOptions(), limits: GitHubAnnotationsRenderer.Limits = .github
    )
        -> [Substring]
    {
        GitHubAnnotationsRenderer.render(report, options: options, limits: limits)
            .split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    }

    static func count(_ lines: [Substring], _ level: String) -> Int {
        lines.filter { $0.hasPrefix("::\(level) ") || $0.hasPrefix("::\(level)::") }.count
    }

    @Test("one annotation per incident at its first evidence line, message = cause + first fix step")
    func annotation() {
        let lines = Self.lines(Fixtures.report)
        #expect(lines.count == 4)
        #expect(lines[0] == "faultline: 3 incidents in 2 files (1,234 lines, 56 events).")
        #expect(
            lines[1].hasPrefix(
                "::error file=artifacts/pipeline.log,line=42,title=The API key is an unexpanded \"$VAR\" reference::"
                    + "The key sent to the API is the literal text $OPENAI_API_KEY"))
        #expect(
            lines[1].hasSuffix(
                "%0A%0ARuns that succeed read the key from a step where the variable was exported."
                    + "%0A%0AFix: Generate the config in a pipeline step with `envsubst` before the tool runs."))
        #expect(lines[2].hasPrefix("::error file=jupyter.log,line=7,title=The deployment does not support streaming::"))
        #expect(lines[3].hasPrefix("::warning file=<stdin>,line=3,title=401 Unauthorized with no decisive signal::"))
    }

    @Test("severity maps to the command: critical/error → error, warning → warning, info → notice")
    func levels() {
        #expect(GitHubAnnotationsRenderer.command(for: .critical) == "error")
        #expect(GitHubAnnotationsRenderer.command(for: .error) == "error")
        #expect(GitHubAnnotationsRenderer.command(for: .warning) == "warning")
        #expect(GitHubAnnotationsRenderer.command(for: .info) == "notice")
    }

    @Test("GitHub's escaping: data %, CR, LF; properties also : and ,")
    func escaping() {
        var incident = Generated.incident(0)
        incident.title = "50% of calls: 429, then 401\nretry"
        incident.cause = "a\r\nb 100% c: d, e"
        incident.fix = []
        incident.evidence = [Evidence(source: "C:\\ci,logs\\a.zip!x/y.log", line: 9, text: "x")]
        let lines = Self.lines(Report(incidents: [incident], stats: ScanStats(), diagnostics: []))
        #expect(
            lines[1]
                == "::error file=C%3A\\ci%2Clogs\\a.zip!x/y.log,line=9,title=50%25 of calls%3A 429%2C then 401%0Aretry"
                + "::a%0D%0Ab 100%25 c: d, e")
        let literal = Self.lines(Report(incidents: [Generated.incident(0)], stats: ScanStats(), diagnostics: []))
        #expect(!literal[1].contains("%%"))
    }

    @Test("hostile text gives exactly one line per command and cannot start another command")
    func hostile() {
        let output = GitHubAnnotationsRenderer.render(SafetyTests.hostileReport, options: RenderOptions())
        let lines = output.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].hasPrefix("::error file=weird`name|.log,line=1,title="))
        #expect(SafetyTests.controlScalars(output).isEmpty)
    }

    @Test("no incident: a plain summary line and no annotation")
    func empty() {
        #expect(Self.lines(Fixtures.empty) == ["faultline: no incidents found in 1 file (1 line, 0 events)."])
    }

    @Test(
        "at most 10 annotations per level, greedily in rank order, then a notice counting the rest",
        arguments: [
            // (errors, warnings, infos) → (annotated errors, warnings, notices incl. trailer, omitted)
            ([10, 0, 0], [10, 0, 0], 0), ([11, 0, 0], [10, 0, 1], 1), ([0, 10, 0], [0, 10, 0], 0),
            ([0, 11, 0], [0, 10, 1], 1), ([0, 0, 10], [0, 0, 10], 0), ([0, 0, 11], [0, 0, 10], 2),
            ([12, 12, 12], [10, 10, 10], 7),
        ])
    func perLevel(counts: [Int], expected: [Int], omitted: Int) {
        let severities =
            Array(repeating: Severity.error, count: counts[0]) + Array(repeating: .warning, count: counts[1])
            + Array(repeating: .info, count: counts[2])
        var report = Generated.report(incidents: severities.count)
        for index in report.incidents.indices { report.incidents[index].severity = severities[index] }
        let lines = Self.lines(report)
        #expect([Self.count(lines, "error"), Self.count(lines, "warning"), Self.count(lines, "notice")] == expected)
        if omitted > 0 {
            let noun = omitted == 1 ? "incident" : "incidents"
            #expect(lines.last == "::notice::\(omitted) more \(noun) not annotated; see the full report")
        } else {
            #expect(!lines.contains { $0.contains("not annotated") })
        }
    }

    @Test("a lower-ranked incident of a level with room is annotated after a full level is skipped")
    func greedyByRank() {
        var report = Generated.report(incidents: 12)
        report.incidents[11].severity = .warning
        let lines = Self.lines(report)
        #expect(Self.count(lines, "error") == 10)
        #expect(lines[11].hasPrefix("::warning ") && lines[11].contains("title=Title 11::"))
        #expect(lines.last == "::notice::1 more incident not annotated; see the full report")
    }

    @Test(
        "at most 50 annotations per job, the notice included",
        arguments: [(50, 50, false), (51, 50, true), (49, 49, false)])
    func perJob(incidents: Int, annotations: Int, trailer: Bool) {
        let lines = Self.lines(
            Generated.report(incidents: incidents), limits: GitHubAnnotationsRenderer.Limits(perLevel: 100, perJob: 50))
        #expect(lines.dropFirst().count == annotations)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("::") })
        #expect((lines.last?.contains("not annotated") ?? false) == trailer)
        if trailer {
            #expect(lines.last == "::notice::\(incidents - 49) more incidents not annotated; see the full report")
        }
    }

    @Test("the baseline notice is reserved out of the notice budget")
    func baseline() {
        var report = Generated.report(incidents: 10)
        for index in report.incidents.indices { report.incidents[index].severity = .info }
        let lines = Self.lines(report, options: RenderOptions(hiddenByBaseline: 3))
        #expect(Self.count(lines, "notice") == 10)
        #expect(
            lines.suffix(2) == [
                "::notice::2 more incidents not annotated; see the full report",
                "::notice::3 known incidents hidden by the baseline",
            ])
        let clean = Self.lines(Fixtures.report, options: RenderOptions(hiddenByBaseline: 1))
        #expect(clean.last == "::notice::1 known incident hidden by the baseline")
        #expect(clean.count == 5)
    }
}
