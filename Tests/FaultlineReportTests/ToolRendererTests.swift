import FaultlineModel
import FaultlineReport
import Testing

/// Fixtures for the tool pages: an explanation, rule-test outcomes, rule sheets, live lines.
private enum ToolFixtures {
    static let explanation = Explanation(
        source: "logs/app.log", firstLine: 11, lastLine: 13, level: .error, timestamp: "2025-05-07T21:44:03Z",
        lines: [
            (11, "Traceback (most recent call last):"), (12, "  File \"app.py\", line 8, in <module>"),
            (13, "openai.RateLimitError: Error code: 429 - {'error': {'code': '429'}}"),
        ],
        values: ["status": "429", "exception": "openai.RateLimitError"],
        verdicts: [
            .init(
                rule: "azure-429-retry-after", matched: true,
                steps: [
                    .fieldsMatch("status=429"),
                    .pattern(index: 0, source: #"Error code: 429"#, matched: true),
                ]),
            .init(
                rule: "duplicate-authorization-on-retry", matched: false,
                steps: [
                    .pattern(index: 0, source: #"401"#, matched: true),
                    .sequenceUnmet(
                        rule: "azure-429-retry-after", withinEvents: 20, withinSeconds: 120, key: nil,
                        sameSource: true),
                ]),
            .init(
                rule: "content-filter", matched: false,
                steps: [.fieldMismatch(field: "error.code", expected: "content_filter", actual: "429")]),
            .init(
                rule: "config-only", matched: false, steps: [.onlyFiles(["librechat.yaml"])]),
            .init(
                rule: "tls-verify", matched: false,
                steps: [.literalsAbsent(pattern: 0, source: "CERTIFICATE_VERIFY_FAILED", literals: ["certificate"])]),
        ])

    static var outcomes: [RuleTestOutcome] {
        var a = RuleTestOutcome(rule: "azure-429-retry-after")
        a.truePositives = 3
        a.trueNegatives = 2
        a.alsoMatches = ["rate-limit-generic": 2, "azure-5xx-generic": 1]
        var b = RuleTestOutcome(rule: "content-filter")
        b.truePositives = 1
        b.falseNegatives = 1
        b.trueNegatives = 2
        b.failures = [
            .init(
                location: "rules/content/content-filter.yaml:40:9", variant: "docker-json",
                message: "expected a match at line 2, but the rule did not match")
        ]
        b.gapsOpen = [
            .init(kind: "known_false_negative", location: "rules/content/content-filter.yaml:60:9", note: "curly quote")
        ]
        var c = RuleTestOutcome(rule: "tls-verify")
        c.truePositives = 2
        c.trueNegatives = 2
        c.gapsClosed = [.init(kind: "known_false_positive", location: "rules/network/tls-verify.yaml:70:9", note: "x")]
        c.outranked = [.init(example: "rules/network/tls-verify.yaml:30:9", by: "connection-error")]
        return [a, b, c]
    }

    static var sheets: [RuleSheet] {
        var a = RuleSheet(
            id: "azure-429-retry-after", title: "Azure OpenAI throttled the deployment (429, Retry-After)",
            category: .rateLimit, severity: .warning, confidence: 0.9, file: "rules/rate/azure-429-retry-after.yaml",
            matchMode: "any", matchPatterns: [#"Status: 429 \("#, #"Error code: 429"#],
            cause: "The deployment {deployment} hit its tokens-per-minute limit. Requests wait | retry. Third sentence."
        )
        a.fix = ["Wait for Retry-After.", "Raise the quota:\naz cognitiveservices account deployment update"]
        a.references = ["https://learn.microsoft.com/azure/ai-services/openai/quotas-limits"]
        a.matchExamples = [.init(log: "line one\nStatus: 429 (Too Many Requests)", line: 2)]
        a.noMatchExampleCount = 2
        a.explains = ["rate-limit-generic"]
        var b = RuleSheet(
            id: "dup-auth", title: "The retry sends the Authorization header twice",
            category: .authDuplicateAuthorizationOnRetry,
            severity: .error, confidence: 0.8, file: "rules/auth/dup-auth.yaml", matchMode: "all",
            matchPatterns: ["401"], cause: "A <retried> request carries two headers.")
        b.unlessMode = "any"
        b.unlessPatterns = ["RBAC"]
        b.after = .init(rule: "azure-429-retry-after", withinEvents: 50, withinSeconds: 300)
        b.contrastRequired = false
        b.contrastPatterns = ["HTTP/1.1 200"]
        b.candidates = [.init(category: .authInvalidKey, why: "no 429 before it")]
        b.references = ["https://github.com/Azure/azure-sdk-for-net/issues/1"]
        b.versions = ["Azure.AI.OpenAI <2.1.0-beta.2"]
        b.symptom = true
        b.files = []
        return [a, b]
    }
}

@Suite("Tool pages: explain, rules test, rules list/show, catalogue, live lines")
struct ToolRendererTests {
    @Test("explain shows the event, its values, and the verdicts of rules that matched or came close")
    func explain() {
        let page = ExplanationRenderer.render(ToolFixtures.explanation, line: 13, all: false)
        Golden.check(page, against: "explain.txt")
        #expect(page.contains("  … 2 rules with no matching pattern (--all lists them)"))
        Golden.check(
            ExplanationRenderer.render(ToolFixtures.explanation, line: 12, all: true), against: "explain-all.txt")
    }

    @Test("rules test: counts, failures, overlaps, gaps; quiet keeps failures, closed gaps and the summary")
    func rulesTest() {
        Golden.check(RuleTestRenderer.render(ToolFixtures.outcomes, quiet: false), against: "rules-test.txt")
        let quiet = RuleTestRenderer.render(ToolFixtures.outcomes, quiet: true)
        Golden.check(quiet, against: "rules-test-quiet.txt")
        #expect(!quiet.contains("azure-429-retry-after"))
        #expect(quiet.hasSuffix("rules: 2 passed, 1 failed (1 known gaps reported)\n"))
    }

    @Test("rules list (text, JSON), rules show, and the catalogue")
    func rulePages() {
        Golden.check(RulePagesRenderer.list(ToolFixtures.sheets), against: "rules-list.txt")
        Golden.check(RulePagesRenderer.listJSON(ToolFixtures.sheets), against: "rules-list.json")
        Golden.check(RulePagesRenderer.page(ToolFixtures.sheets[1]), against: "rule-show.txt")
        Golden.check(RulePagesRenderer.catalogue(ToolFixtures.sheets), against: "rules-catalogue.md")
    }

    @Test("live lines: a new incident, a count update, the interruption note")
    func live() {
        let evidence = Evidence(source: "<stdin>", line: 42, text: "x")
        let lines =
            LiveRenderer.newIncident(severity: .error, category: .rateLimit, title: "Throttled", evidence: evidence)
            + LiveRenderer.update(category: .rateLimit, occurrences: 7, evidence: evidence)
            + LiveRenderer.newIncident(severity: .critical, category: .server5xx, title: "No evidence", evidence: nil)
            + LiveRenderer.interrupted
        Golden.check(lines, against: "live.txt")
    }
}
