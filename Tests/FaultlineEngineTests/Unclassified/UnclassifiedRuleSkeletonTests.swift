import FaultlineModel
import FaultlineRegex
import FaultlineRules
import FaultlineText
import Testing

@testable import FaultlineEngine

/// One event and what its skeleton should say.
struct UnclassifiedSkeletonCase: Sendable, CustomStringConvertible {
    var name: String
    var lines: [String]
    var id: String
    var description: String { name }
}

let unclassifiedSkeletonCases: [UnclassifiedSkeletonCase] = [
    UnclassifiedSkeletonCase(
        name: "Python chained traceback",
        lines: [
            "2025-02-11 08:41:07.405 | WARNING  | pr_agent.algo.pr_processing:retry_with_fallback_models:331 - Failed to generate prediction with gpt-4o",
            "Traceback (most recent call last):",
            "  File \"/usr/local/lib/python3.12/site-packages/openai/_base_client.py\", line 1610, in _request",
            "    raise self._make_status_error_from_response(err.response) from None",
            "openai.NotFoundError: Error code: 404 - {'error': {'code': 'DeploymentNotFound', 'message': 'The API deployment for this resource does not exist.'}}",
            "",
            "During handling of the above exception, another exception occurred:",
            "",
            "Traceback (most recent call last):",
            "  File \"/usr/local/lib/python3.12/site-packages/litellm/main.py\", line 423, in acompletion",
            "    response = await init_response",
            "litellm.exceptions.NotFoundError: litellm.NotFoundError: AzureException NotFoundError - The API deployment for this resource does not exist. request_id=req_8f3a2b1c9d0e4f56",
        ],
        id: "not-found-error"),
    UnclassifiedSkeletonCase(
        name: ".NET block",
        lines: [
            "fail: Microsoft.KernelMemory.Handlers.GenerateEmbeddingsHandler[0]",
            "      Embedding generation failed, pipeline 'handbooks/hr-handbook-2024', batch 4/26",
            "      System.ClientModel.ClientResultException: HTTP 404 (: DeploymentNotFound)",
            "         at Azure.AI.OpenAI.ClientPipelineExtensions.ProcessMessageAsync(ClientPipeline pipeline)",
        ],
        id: "client-result-exception-deployment-not-found"),
    UnclassifiedSkeletonCase(
        name: "Winston line",
        lines: [
            "2025-03-12 09:14:55 error: [handleAbortError] AI response error; aborting request: 401 status code (no body)",
            "    at OpenAIClient.chatCompletion (/app/api/app/clients/OpenAIClient.js:1205:15)",
        ],
        id: "handle-abort-error-401"),
    UnclassifiedSkeletonCase(
        name: "Jupyter line",
        lines: [
            "[E 2024-11-05 10:03:02.688 AiExtension] Error code: 500 - {'statusCode': 500, 'message': 'Internal server error', 'activityId': 'c2a7e91d-4b3f-4e58-a0d6-93f1b7c2e4a5'}"
        ],
        id: "error-code-500"),
    UnclassifiedSkeletonCase(
        name: "line with secrets",
        lines: [
            "2025-05-07 21:44:03,120 ERROR app.client: request rejected with api-key: 0123456789abcdef0123456789abcdef and Authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2NvZ25pdGl2ZXNlcnZpY2VzLmF6dXJlLmNvbSJ9.c2lnbmF0dXJlc2lnbmF0dXJl"
        ],
        id: "request-rejected-with-api-key"),
]

/// The message line (1-based) the CLI would pass: the one `MessageLine.pick` chooses.
func unclassifiedSkeleton(_ lines: [String]) -> (yaml: String, messageLine: Int) {
    let picked = MessageLine.pick(lines)
    let miner = unclassifiedMine([picked.message])
    let template = miner.clusters.first?.template ?? ""
    let yaml = RuleSkeleton.make(
        eventLines: lines, messageIndex: picked.index + 1, template: template, source: "logs/app.log", line: 120)
    return (yaml, picked.index + 1)
}

/// The value of the first line `key: value` (after indentation) in `yaml`.
func unclassifiedValue(_ key: String, in yaml: String) -> String? {
    for line in yaml.split(separator: "\n") {
        let trimmed = line.drop { $0 == " " }
        if trimmed.hasPrefix(key + ": ") { return String(trimmed.dropFirst(key.count + 2)) }
    }
    return nil
}

@Suite("Unclassified: rule skeleton")
struct UnclassifiedRuleSkeletonTests {
    @Test("structure, id, and a pattern that compiles and matches the example", arguments: unclassifiedSkeletonCases)
    func skeleton(_ example: UnclassifiedSkeletonCase) throws {
        let (yaml, messageLine) = unclassifiedSkeleton(example.lines)
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for expected in [
            "schema: 1", "title: TODO name the cause", "category: TODO", "severity: error", "match:", "  any:",
            "fix:", "  - TODO", "references:", "examples:", "  match:", "  no_match:",
        ] {
            #expect(lines.contains(expected), "missing \(expected)")
        }
        #expect(unclassifiedValue("id", in: yaml) == example.id)
        #expect(unclassifiedValue("line", in: yaml) == String(messageLine))
        #expect(yaml.contains("# category: one of auth.unexpanded-env-var,"))
        #expect(Category.labels.allSatisfy { yaml.contains($0) })
        #expect(yaml.contains("logs/app.log:120"))

        let patternLine = try #require(lines.first { $0.hasPrefix("    - '") })
        let pattern = String(patternLine.dropFirst(7).dropLast()).replacingOccurrences(of: "''", with: "'")
        let regex = try Regex(pattern, options: [.multiline])
        let log = example.lines.map(Redactor.redact).joined(separator: "\n") + "\n"
        let match = try #require(try regex.firstMatch(in: log, using: MatchScratch()))
        let start = try #require(match.range(0)).lowerBound
        #expect(log.utf8.prefix(start).filter { $0 == 0x0A }.count + 1 == messageLine)
        // A literal of 3+ characters: three consecutive unescaped letters or digits.
        #expect(pattern.range(of: "[A-Za-z0-9]{3}", options: .regularExpression) != nil)
        #expect(!pattern.contains(")+") && !pattern.contains(")*"))
    }

    @Test("secrets are redacted in the example and the pattern")
    func secrets() {
        let (yaml, _) = unclassifiedSkeleton(unclassifiedSkeletonCases[4].lines)
        #expect(!yaml.contains("0123456789abcdef0123456789abcdef"))
        #expect(!yaml.contains("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9"))
        #expect(yaml.contains("[REDACTED"))
        // The pattern must match the real log, which holds the secret, not the marker.
        #expect(!yaml.contains("\\[REDACTED"))
    }

    @Test("completed skeletons load and pass `rules test`", arguments: unclassifiedSkeletonCases)
    func completedSkeletonPasses(_ example: UnclassifiedSkeletonCase) throws {
        let (yaml, _) = unclassifiedSkeleton(example.lines)
        let completed =
            yaml
            .replacingOccurrences(of: "category: TODO", with: "category: server.5xx")
            .replacingOccurrences(of: "references:\n  - TODO", with: "references:\n  - https://example.com/issue")
        var diagnostics = Diagnostics()
        let loaded = RuleLoader.load(yaml: completed, file: "skeleton.yaml", origin: .user, diagnostics: &diagnostics)
        let rule = try #require(loaded, "\(diagnostics.all)")
        let results = RuleTester.run(all: [rule])
        #expect(results.allSatisfy { $0.passed }, "\(results.flatMap(\.failures))")
        #expect(results.first?.matchPassed == 1)
    }

    @Test("odd input: empty events, out-of-range lines, control characters, indented first line")
    func oddInput() throws {
        let empty = RuleSkeleton.make(eventLines: [], messageIndex: 5, template: "", source: "x\ny", line: 0)
        #expect(empty.contains("schema: 1"))
        #expect(empty.contains("- 'TODO'"))
        #expect(!empty.contains("x\ny"))

        let odd = RuleSkeleton.make(
            eventLines: ["   indented start: DeploymentNotFound \u{1}\u{7F} here", "tail"], messageIndex: -3,
            template: "<*>", source: "a.log", line: 3)
        #expect(odd.contains("    - log: |2\n"))
        #expect(!odd.contains("\u{1}"))
        #expect(unclassifiedValue("line", in: odd) == "1")
        #expect(unclassifiedValue("id", in: odd) == "indented-start-deployment-not-found")
    }

    @Test("kebab-case ids")
    func kebab() {
        #expect(RuleSkeleton.kebab("DeploymentNotFound") == "deployment-not-found")
        #expect(RuleSkeleton.kebab("APIConnectionError") == "api-connection-error")
        #expect(RuleSkeleton.kebab("content_filter") == "content-filter")
        #expect(RuleSkeleton.kebab("ResponsibleAIPolicyViolation") == "responsible-ai-policy-violation")
        #expect(RuleSkeleton.kebab("--x__Y--") == "x-y")
    }
}
