import FaultlineEngine
import FaultlineIngest
import FaultlineModel
import FaultlineRules
import Foundation
import Testing

/// Builds a rule from the parts that matter to a test; examples are filled in to satisfy the schema.
func rule(
    _ id: String, category: String = "server.5xx", confidence: Double = 0.7, match: [String],
    mode: String = "any", unless: [String] = [], extra: String = "", explains: [String] = []
) throws -> Rule {
    func list(_ items: [String]) -> String {
        items.map { "    - '\($0.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: "\n")
    }
    var yaml = """
        schema: 1
        id: \(id)
        title: Test rule \(id)
        category: \(category)
        severity: error
        confidence: \(confidence)
        match:
          \(mode):
        \(list(match))

        """
    if !unless.isEmpty { yaml += "unless:\n  any:\n\(list(unless))\n" }
    if !explains.isEmpty { yaml += "explains: [\(explains.joined(separator: ", "))]\n" }
    yaml += extra
    yaml += """
        cause: Cause of \(id) with {value}.
        fix:
          - Fix \(id).
        references:
          - https://example.com/\(id)
        examples:
          match:
            - log: x
              line: 1
          no_match:
            - log: y

        """
    var diags = Diagnostics()
    if let r = RuleLoader.load(yaml: yaml, file: "\(id).yaml", origin: .user, diagnostics: &diags) { return r }
    throw TestError(message: diags.all.map(\.formatted).joined(separator: "\n") + "\n" + yaml)
}

struct TestError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Scans `logs` (source name -> text) with `rules` and returns the report.
func scan(_ logs: [(String, String)], rules: [Rule]) throws -> Report {
    let compiled = CompiledRules(rules)
    let session = ScanSession(rules: compiled)
    for (name, text) in logs { session.scan(MemorySource(text), name: name) }
    return ReportBuilder.build(session.result(), rules: compiled)
}

@Suite struct EngineTests {
    @Test func capturesFillTheCauseAndTheEvidenceIsTheMatchingLine() throws {
        let r = try rule("cap", match: [#"code (?<value>\d{3}) from"#])
        let report = try scan([("a.log", "INFO start\nERROR code 503 from upstream\nINFO done\n")], rules: [r])
        let incident = try #require(report.incidents.first)
        #expect(incident.cause == "Cause of cap with 503.")
        #expect(incident.values["value"] == "503")
        #expect(incident.values["status"] == nil || incident.values["status"] == "503")
        #expect(incident.evidence == [Evidence(source: "a.log", line: 2, text: "ERROR code 503 from upstream")])
        #expect(report.stats.lines == 3)
        #expect(report.stats.events == 3)
    }

    @Test func allNeedsEveryPatternInTheSameEvent() throws {
        let r = try rule("both", match: ["InternalServerError", ", in _astream"], mode: "all")
        let traceback = """
            Traceback (most recent call last):
              File "/app/chat.py", line 10, in _astream
                async for chunk in self.client.stream(**params):
            openai.InternalServerError: Error code: 500

            """
        #expect(try scan([("t.log", traceback)], rules: [r]).incidents.count == 1)
        let other = traceback.replacingOccurrences(of: "_astream", with: "_generate")
        #expect(try scan([("t.log", other)], rules: [r]).incidents.isEmpty)
    }

    @Test func unlessVetoesTheEvent() throws {
        let r = try rule("u", match: ["Error code: 429"], unless: ["insufficient_quota"])
        let report = try scan(
            [("q.log", "Error code: 429 - {'error': {'type': 'insufficient_quota'}}\nError code: 429 - rate\n")],
            rules: [r])
        #expect(report.incidents.first?.occurrences == 1)
        #expect(report.incidents.first?.evidence.first?.line == 2)
    }

    @Test func afterRequiresTheEarlierEventWithinTheWindow() throws {
        let first = try rule("throttled", category: "rate-limit", match: ["Status: 429"])
        let then = try rule(
            "retry-401", category: "auth.duplicate-authorization-on-retry", match: ["Status: 401"],
            extra: "correlate:\n  after:\n    rule: throttled\n    within_events: 3\n",
            explains: ["throttled"])
        let rules = [first, then]
        let near = "Status: 429 (Too Many Requests)\ninfo a\nStatus: 401 (Unauthorized)\n"
        let report = try scan([("n.log", near)], rules: rules)
        #expect(report.incidents.map(\.rule) == ["retry-401"])
        #expect(report.incidents.first?.explains.map(\.rule) == ["throttled"])
        #expect(
            report.incidents.first?.signals.contains { $0.text.contains("follows") && $0.text.contains("n.log:1") }
                == true)
        // Too far apart: the 401 is not this cause, and the 429 stands alone.
        let far = "Status: 429 (Too Many Requests)\na\nb\nc\nd\nStatus: 401 (Unauthorized)\n"
        #expect(try scan([("f.log", far)], rules: rules).incidents.map(\.rule) == ["throttled"])
        // The 401 before the 429 does not count.
        let before = "Status: 401 (Unauthorized)\nStatus: 429 (Too Many Requests)\n"
        #expect(try scan([("b.log", before)], rules: rules).incidents.map(\.rule) == ["throttled"])
        // Another file's 429 does not count (same_source defaults to true).
        let split = try scan(
            [("x.log", "Status: 429 (Too Many Requests)\n"), ("y.log", "Status: 401 (Unauthorized)\n")], rules: rules)
        #expect(split.incidents.map(\.rule) == ["throttled"])
    }

    @Test func afterWithSecondsUsesTheLogTimestamps() throws {
        let first = try rule("t429", category: "rate-limit", match: ["Status: 429"])
        let then = try rule(
            "t401", match: ["Status: 401"], extra: "correlate:\n  after:\n    rule: t429\n    within_seconds: 30\n")
        let ok = "2025-01-01 10:00:00 warn Status: 429\n2025-01-01 10:00:20 fail Status: 401\n"
        #expect(try scan([("a.log", ok)], rules: [first, then]).incidents.contains { $0.rule == "t401" })
        let late = "2025-01-01 10:00:00 warn Status: 429\n2025-01-01 10:05:00 fail Status: 401\n"
        #expect(!(try scan([("a.log", late)], rules: [first, then]).incidents.contains { $0.rule == "t401" }))
    }

    @Test func afterWithSecondsComparesInstantsAcrossAnOffsetChange() throws {
        let first = try rule("o429", category: "rate-limit", match: ["Status: 429"])
        let then = try rule(
            "o401", match: ["Status: 401"], extra: "correlate:\n  after:\n    rule: o429\n    within_seconds: 30\n")
        // 10:00:00+02:00 is 08:00:00Z: the 401 comes five seconds later, not two hours earlier.
        let near = "2025-01-01T10:00:00+02:00 warn Status: 429\n2025-01-01T08:00:05Z fail Status: 401\n"
        #expect(try scan([("a.log", near)], rules: [first, then]).incidents.contains { $0.rule == "o401" })
        // Same wall clocks, but 10:00:00-0500 is 15:00:00Z: five hours apart.
        let far = "2025-01-01T10:00:00-0500 warn Status: 429\n2025-01-01T10:00:05Z fail Status: 401\n"
        #expect(!(try scan([("a.log", far)], rules: [first, then]).incidents.contains { $0.rule == "o401" }))
    }

    @Test func afterKeyedByACapturedValue() throws {
        let first = try rule("k429", category: "rate-limit", match: [#"429 on (?<deployment>[\w-]+)"#])
        let then = try rule(
            "k401", match: [#"401 on (?<deployment>[\w-]+)"#],
            extra: "correlate:\n  after:\n    rule: k429\n    key: deployment\n")
        let same = "429 on gpt-4o\n401 on gpt-4o\n"
        #expect(try scan([("a.log", same)], rules: [first, then]).incidents.contains { $0.rule == "k401" })
        let other = "429 on gpt-4o\n401 on embed-small\n"
        #expect(!(try scan([("a.log", other)], rules: [first, then]).incidents.contains { $0.rule == "k401" }))
    }

    @Test func requiredContrastNeedsASucceedingRequestInTheSameSource() throws {
        let r = try rule(
            "stream", category: "streaming.unsupported", match: ["InternalServerError"],
            extra: "correlate:\n  contrast:\n    succeeds: ['HTTP/1.1 200 OK']\n    required: true\n")
        let withSuccess = "INFO HTTP Request: POST /x \"HTTP/1.1 200 OK\"\nopenai.InternalServerError: boom\n"
        let report = try scan([("a.log", withSuccess)], rules: [r])
        #expect(report.incidents.count == 1)
        #expect(report.incidents.first?.signals.contains { $0.effect == "+" && $0.text.contains("a.log:1") } == true)
        #expect(try scan([("a.log", "openai.InternalServerError: boom\n")], rules: [r]).incidents.isEmpty)
        // The success in another file does not satisfy it.
        let split = try scan(
            [("a.log", "openai.InternalServerError: boom\n"), ("b.log", "\"HTTP/1.1 200 OK\"\n")], rules: [r])
        #expect(split.incidents.isEmpty)
    }

    @Test func optionalContrastOnlyMovesConfidence() throws {
        let r = try rule(
            "soft", confidence: 0.6, match: ["InternalServerError"],
            extra: "correlate:\n  contrast:\n    succeeds: ['HTTP/1.1 200 OK']\n")
        let without = try scan([("a.log", "openai.InternalServerError: boom\n")], rules: [r])
        #expect(without.incidents.first?.confidence == 0.5)
        #expect(without.incidents.first?.signals.contains { $0.effect == "-" } == true)
        let with = try scan([("a.log", "\"HTTP/1.1 200 OK\"\nopenai.InternalServerError: boom\n")], rules: [r])
        #expect(with.incidents.first?.confidence == 0.7)
    }

    @Test func explainsFoldsSymptomsOnlyWithinTheSameSource() throws {
        let cause = try rule(
            "cause", category: "auth.unexpanded-env-var", confidence: 0.9, match: [#"key = "\$OPENAI_API_KEY""#],
            explains: ["auth.token-audience-or-expired"])
        let symptom = try rule(
            "symptom", category: "auth.token-audience-or-expired", confidence: 0.35, match: ["Error code: 401"])
        let job1 = "key = \"$OPENAI_API_KEY\"\nError code: 401\nError code: 401\n"
        let job2 = "Error code: 401\n"
        let report = try scan([("job1.log", job1), ("job2.log", job2)], rules: [symptom, cause])
        #expect(report.incidents.map(\.rule) == ["cause", "symptom"])
        #expect(
            report.incidents[0].explains == [
                Symptom(
                    rule: "symptom", category: .authTokenAudienceOrExpired, title: "Test rule symptom", occurrences: 2)
            ])
        #expect(report.incidents[0].confidence == 0.95)
        #expect(report.incidents[1].occurrences == 1)
        #expect(report.incidents[1].evidence.map(\.source) == ["job2.log"])
        #expect(report.incidents.map(\.id) == ["F1", "F2"])
    }

    @Test func rankingPutsTheMostLikelyCauseFirst() throws {
        let generic = try rule("generic", confidence: 0.4, match: ["Error code: 5"])
        let specific = try rule("specific", category: "streaming.unsupported", confidence: 0.8, match: ["stream=True"])
        let report = try scan([("a.log", "Error code: 500\ncall stream=True failed\n")], rules: [generic, specific])
        #expect(report.incidents.map(\.rule) == ["specific", "generic"])
    }

    @Test func aPathologicalPatternEndsInADiagnosticNotAHang() throws {
        let r = try rule("slow", match: [#"start(?:a+a+)+\d"#])
        let line = "start" + String(repeating: "a", count: 5000) + "!\n"
        let report = try scan([("hostile.log", line + "start a1\n")], rules: [r])
        #expect(report.diagnostics.contains { $0.source == "hostile.log" && $0.message.contains("slow") })
    }

    @Test func secretsAreRedactedInValuesEvidenceAndCause() throws {
        let r = try rule("leak", match: [#"api_key=(?<value>\S+)"#])
        let report = try scan(
            [("s.log", "request failed api_key=sk-proj-FAKEfakeFAKE0123456789abcdefFAKE\n")], rules: [r])
        let incident = try #require(report.incidents.first)
        let value = try #require(incident.values["value"])
        let evidence = try #require(incident.evidence.first?.text)
        for text in [incident.cause, value, evidence] {
            #expect(!text.contains("FAKEfakeFAKE0123456789"))
            #expect(text.contains("REDACTED"))
        }
    }

    @Test func placeholdersThatAreNotCapturesStayAsWritten() {
        #expect(
            Template.fill("use ${OPENAI_API_KEY} and {x}", ["x": "1"], groups: ["x"]) == "use ${OPENAI_API_KEY} and 1")
        #expect(Template.fill("{missing} {other}", [:], groups: ["missing"]) == "(not in the log) {other}")
        // A fallback replaces a value the log does not show; an empty one leaves no double space.
        #expect(
            Template.fill("exceeded its {limit|} rate limit.", [:], groups: ["limit"]) == "exceeded its rate limit.")
        #expect(
            Template.fill("under api-version {v|(not shown)}", [:], groups: ["v"]) == "under api-version (not shown)")
        #expect(Template.fill("under {v|x}", ["v": "2024-06-01"], groups: ["v"]) == "under 2024-06-01")
        // Code lines keep their spacing.
        #expect(Template.fill("a {x|} b\n    let  y = 1", [:], groups: ["x"]) == "a b\n    let  y = 1")
        #expect(Template.fill("{ ...opts.defaultHeaders }", [:], groups: []) == "{ ...opts.defaultHeaders }")
    }
}
