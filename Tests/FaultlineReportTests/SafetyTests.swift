import FaultlineModel
import FaultlineReport
import FaultlineText
import Foundation
import Testing

@Suite("Secrets and hostile text")
struct SafetyTests {
    /// Log lines with every kind of planted fake secret, and the reference that must survive.
    static let secretLines = [
        "2024-08-22 10:15:03 | INFO | openai.key = '$OPENAI_API_KEY'",
        "litellm: api_key='\(FakeSecrets.openAI)' base='https://fake.openai.azure.com'",
        "OPENAI_API_KEY=\(FakeSecrets.openAIProject)",
        "client = OpenAI(api_key=\"\(FakeSecrets.openAIServiceAccount)\")",
        "Request headers: {'api-key': '\(FakeSecrets.azureHex)', 'Content-Type': 'application/json'}",
        "AZURE_OPENAI_API_KEY=\(FakeSecrets.azure84)",
        "Authorization: Bearer \(FakeSecrets.jwt)",
        "-H 'Authorization: Bearer \(FakeSecrets.bearer)'",
        "DefaultEndpointsProtocol=https;AccountName=fake;AccountKey=\(FakeSecrets.accountKey);EndpointSuffix=x",
        "Server=db;Password=\(FakeSecrets.password);",
        "HTTPS_PROXY=http://proxyuser:\(FakeSecrets.urlPassword)@proxy.internal:3128",
        "git clone https://\(FakeSecrets.githubClassic)@github.com/o/r",
        "GITHUB_TOKEN: \(FakeSecrets.githubFine)",
        "\"client_secret\": \"\(FakeSecrets.clientSecret)\"",
    ]

    static var redactedReport: Report {
        let evidence = secretLines.enumerated().map { index, line in
            Evidence(source: "ci/job.log", line: index + 1, text: Redactor.redact(line))
        }
        let rawValues = [
            "variable": "$OPENAI_API_KEY", "key": FakeSecrets.azureHex, "api_key": "api_key=\(FakeSecrets.openAI)",
            "authorization": "Bearer \(FakeSecrets.jwt)", "proxy": "http://u:\(FakeSecrets.urlPassword)@p:1",
        ]
        let values = Dictionary(uniqueKeysWithValues: rawValues.map { ($0, Redactor.redact(value: $1, field: $0)) })
        let incident = Incident(
            id: "F1", rule: "r", category: .authUnexpandedEnvVar, severity: .error, confidence: 0.9,
            title: "Unexpanded $OPENAI_API_KEY",
            cause: Redactor.redact("The key sent was $OPENAI_API_KEY, not \(FakeSecrets.openAIProject)."),
            fix: ["Export it."], references: [], occurrences: 1, firstSeen: nil, lastSeen: nil, values: values,
            // All of it must be visible: no evidence cap may hide a leak.
            evidence: Array(evidence.prefix(5)))
        var second = incident
        second.id = "F2"
        second.evidence = Array(evidence.dropFirst(5).prefix(5))
        var third = incident
        third.id = "F3"
        third.evidence = Array(evidence.dropFirst(10))
        return Report(incidents: [incident, second, third], stats: ScanStats(files: 1), diagnostics: [])
    }

    /// A secret and its longest alphanumeric run, so that escaping (`\_`) cannot hide a leak.
    static func fragments(of secret: String) -> [String] {
        let runs = secret.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
        let longest = runs.max(by: { $0.count < $1.count }) ?? secret
        return longest.count >= 10 ? [secret, longest] : [secret]
    }

    @Test("no planted secret survives into any format, and the $VAR reference does", arguments: ReportFormat.allCases)
    func noSecretInAnyFormat(format: ReportFormat) {
        let output = ReportRenderer.render(Self.redactedReport, format: format, options: RenderOptions(width: 200))
        for secret in FakeSecrets.all {
            for fragment in Self.fragments(of: secret) {
                #expect(!output.contains(fragment), "\(format): \(fragment) leaked")
            }
        }
        #expect(output.contains("$OPENAI_API_KEY"))
        #expect(output.contains("REDACTED"))
    }

    // MARK: Hostile text

    static let hostileLine =
        "```\n| a | b |\n<script>alert(1)</script> \u{1B}[2J\u{1B}]0;pwned\u{07} \u{9B}31m \u{202E}txt.exe `x` ~~~ ****"

    static var hostileReport: Report {
        let incident = Incident(
            id: "F1", rule: "r`|<b>", category: .server5xx, severity: .critical, confidence: .nan,
            title: "Title | with ``` and <script>alert(1)</script> \u{1B}[31mred",
            cause: "Cause with <img src=x onerror=alert(1)> and `code` and ```` and | and \u{1B}[2J.\n# not a heading",
            fix: ["1. step\n```\n<script>in fence</script>\n", "    code ``` line\n\u{1B}[2J"],
            references: ["javascript:alert(1)", "https://example.com/a>b", "https://example.com/ok"],
            occurrences: 1, firstSeen: "\u{1B}[2J", lastSeen: nil,
            values: ["k`|": "v```|<script>"],
            candidates: [Candidate(category: .networkTLS, why: "why | <script> \u{07}")],
            signals: [Signal(effect: "+", text: "<script>")],
            explains: [Symptom(rule: "s|", category: .rateLimit, title: "# t | <i>", occurrences: 2)],
            evidence: [
                Evidence(source: "weird`name|.log", line: 1, text: hostileLine),
                Evidence(source: "b.log", line: 2, text: String(repeating: "`", count: 20) + " | <script>"),
            ])
        return Report(
            incidents: [incident], stats: ScanStats(files: 1, lines: 2, events: 1),
            diagnostics: [Diagnostic(severity: .error, source: "x|`.log", line: 1, message: "<script> | \u{1B}[2J")])
    }

    static func controlScalars(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { scalar in
            switch scalar.value {
            case 0x09, 0x0A: false
            case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
            default: false
            }
        }
    }

    @Test("hostile text cannot drive the terminal")
    func textIsInert() {
        let plain = TextRenderer.render(Self.hostileReport, options: RenderOptions())
        #expect(Self.controlScalars(plain).isEmpty)
        #expect(plain.contains("\\x1b[2J"))
        #expect(plain.contains("confidence 0.00"))

        // With colour, the only escapes are our own SGR sequences.
        let coloured = TextRenderer.render(Self.hostileReport, options: RenderOptions(color: true))
        let withoutSGR = coloured.replacing(/\x1B\[[0-9;]*m/, with: "")
        #expect(Self.controlScalars(withoutSGR).isEmpty)
    }

    /// Removes CommonMark code spans (a run of n backticks up to the next run of exactly n).
    static func removingCodeSpans(_ line: String) -> String {
        let characters = Array(line)
        var out = ""
        var i = 0
        while i < characters.count {
            guard characters[i] == "`", i == 0 || characters[i - 1] != "\\" else {
                out.append(characters[i])
                i += 1
                continue
            }
            var n = 0
            while i + n < characters.count && characters[i + n] == "`" { n += 1 }
            var j = i + n
            var closed: Int?
            while j < characters.count {
                var m = 0
                while j + m < characters.count && characters[j + m] == "`" { m += 1 }
                if m == n {
                    closed = j + m
                    break
                }
                j += max(m, 1)
            }
            if let closed {
                out += "<code/>"
                i = closed
            } else {
                out += String(repeating: "`", count: n)
                i += n
            }
        }
        return out
    }

    @Test("hostile text renders inertly in Markdown")
    func markdownIsInert() {
        let markdown = MarkdownRenderer.render(Self.hostileReport, options: RenderOptions())
        #expect(Self.controlScalars(markdown).isEmpty)

        // Walk the fences as CommonMark does: every block we open must close, and outside
        // fences no raw HTML, fence or link to javascript: may appear.
        var fence: Int?
        var fencedLines: [String] = []
        var tableRows: [Substring] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " })
            let ticks = trimmed.prefix(while: { $0 == "`" }).count
            if let open = fence {
                if ticks >= open && trimmed.dropFirst(ticks).allSatisfy(\.isWhitespace) {
                    fence = nil
                } else {
                    fencedLines.append(String(line))
                }
                continue
            }
            if ticks >= 3 {
                fence = ticks
                continue
            }
            let outside = Self.removingCodeSpans(String(line))
            #expect(!outside.contains("<script"), "raw HTML outside code: \(line)")
            #expect(!outside.contains("<img"), "raw HTML outside code: \(line)")
            #expect(!outside.replacing("\\`", with: "").contains("`"), "stray backtick: \(line)")
            #expect(!line.hasPrefix("- # "), "a heading inside a list item: \(line)")
            #expect(!line.contains("<javascript:") && !line.contains("](javascript:"))
            #expect(!line.hasPrefix("# not a heading"))
            #expect(!line.hasPrefix("1. 1. "), "a nested list from log text: \(line)")
            if line.hasPrefix("| ") { tableRows.append(line) }
        }
        #expect(fence == nil, "a fence was left open")
        #expect(fencedLines.contains { $0.contains("<script>alert(1)</script>") }, "evidence not inside a fence")
        #expect(fencedLines.contains { $0.contains("<script>in fence</script>") })
        // Header plus one row, each with exactly 7 unescaped pipes.
        #expect(tableRows.count == 2)
        for row in tableRows {
            var pipes = 0
            var previous: Character = " "
            for character in row {
                if character == "|" && previous != "\\" { pipes += 1 }
                previous = character
            }
            #expect(pipes == 7, "table row broken: \(row)")
        }
    }

    @Test("hostile text stays a valid JSON string and round-trips")
    func jsonIsValid() throws {
        let json = JSONRenderer.render(Self.hostileReport, options: RenderOptions())
        let decoded = try JSONDecoder().decode(Report.self, from: Data(json.utf8))
        #expect(decoded.incidents.first?.evidence.first?.text == Self.hostileLine)
        #expect(decoded.incidents.first?.confidence == 0)
    }
}

@Suite("JSON shape")
struct JSONShapeTests {
    @Test("the output decodes back into the same report, confidence rounded to 2 decimals")
    func roundTrip() throws {
        var report = Fixtures.report
        report.incidents[0].confidence = 0.876_54
        let json = JSONRenderer.render(report, options: RenderOptions())
        let decoded = try JSONDecoder().decode(Report.self, from: Data(json.utf8))
        var expected = report
        expected.incidents[0].confidence = 0.88
        #expect(decoded == expected)
    }

    @Test("every incident key is present, null timestamps included, in sorted order")
    func keys() throws {
        let json = JSONRenderer.render(Fixtures.report, options: RenderOptions())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["version", "incidents", "unclassified", "stats", "diagnostics"])
        let clusters = try #require(object["unclassified"] as? [[String: Any]])
        for cluster in clusters {
            #expect(Set(cluster.keys) == ["template", "count", "first_seen", "last_seen", "example"])
        }
        #expect(clusters.last?["first_seen"] is NSNull)
        let incidents = try #require(object["incidents"] as? [[String: Any]])
        let expectedKeys: Set<String> = [
            "id", "rule", "fingerprint", "category", "severity", "confidence", "title", "cause", "fix", "references",
            "occurrences", "first_seen", "last_seen", "values", "candidates", "signals", "explains", "evidence",
        ]
        for incident in incidents {
            #expect(Set(incident.keys) == expectedKeys)
        }
        #expect(incidents[2]["first_seen"] is NSNull)
        #expect(json.contains("\"last_seen\" : null"))
        #expect(json.contains("\"candidates\" : [],"))
        let stats = try #require(object["stats"] as? [String: Any])
        #expect(Set(stats.keys) == ["files", "lines", "events", "bytes"])
    }
}

@Suite("Formatting helpers")
struct FormattingTests {
    @Test("header counts use thousands separators and singulars")
    func header() {
        let report = Report(
            incidents: Fixtures.report.incidents.prefix(1).map { $0 },
            stats: ScanStats(files: 1, lines: 1_234_567, events: 1), diagnostics: [])
        let text = TextRenderer.render(report, options: RenderOptions())
        #expect(text.hasPrefix("1 incident in 1 file (1,234,567 lines, 1 event)\n"))
    }

    @Test("text wraps prose to the width and trims evidence to it")
    func width() {
        let text = TextRenderer.render(Fixtures.report, options: RenderOptions(width: 60))
        for line in text.split(separator: "\n") where !line.hasPrefix("      https://") {
            // Code lines in fix steps and single over-long words may exceed; nothing else does.
            #expect(line.count <= 60 || line.contains("export") || line.contains("pr-agent"), "\(line)")
        }
    }

    @Test("an empty report with diagnostics says so")
    func emptyWithDiagnostics() {
        let report = Report(
            incidents: [], stats: ScanStats(files: 3, lines: 10, events: 2),
            diagnostics: [Diagnostic(severity: .warning, message: "m")])
        #expect(
            TextRenderer.render(report, options: RenderOptions())
                == "No incidents found in 3 files (10 lines, 2 events).\n\n1 diagnostic (see stderr)\n")
        let markdown = MarkdownRenderer.render(report, options: RenderOptions())
        #expect(markdown.contains("No incidents found in 3 files"))
        #expect(markdown.contains("## Diagnostics\n\n- **warning**: m\n"))
    }

    @Test("evidence beyond the cap is counted, not dropped silently")
    func evidenceCap() {
        var report = Fixtures.report
        report.incidents[0].evidence = (1...8).map { Evidence(source: "a.log", line: $0, text: "line \($0)") }
        #expect(TextRenderer.render(report, options: RenderOptions()).contains("… and 3 more"))
        #expect(MarkdownRenderer.render(report, options: RenderOptions()).contains("… and 3 more"))
    }
}
