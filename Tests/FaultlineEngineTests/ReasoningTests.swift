import FaultlineEngine
import FaultlineModel
import FaultlineRules
import FaultlineText
import Foundation
import Testing

@Suite struct ReasoningTests {
    @Test func configRulesOnlyReadFilesSoNamed() throws {
        let r = try rule(
            "toml-var", category: "auth.unexpanded-env-var", match: [#"key = "\$\w+""#], extra: "files: ['*.toml']\n")
        let text = "key = \"$OPENAI_API_KEY\"\n"
        #expect(try scan([("ci/.pr_agent.toml", text)], rules: [r]).incidents.count == 1)
        #expect(try scan([("ci/job.log", text)], rules: [r]).incidents.isEmpty)
        #expect(Glob.matches("appsettings*.json", "appsettings.Production.json"))
        #expect(!Glob.matches("appsettings*.json", "settings.json"))
        #expect(Glob.matches(".env", ".env") && !Glob.matches(".env", "x.env"))
    }

    @Test func aConfigCauseExplainsSymptomsInItsFolderOnly() throws {
        let cause = try rule(
            "toml-var", category: "auth.unexpanded-env-var", confidence: 0.9, match: [#"key = "\$\w+""#],
            extra: "files: ['*.toml']\n", explains: ["auth.token-audience-or-expired"])
        let symptom = try rule(
            "s401", category: "auth.token-audience-or-expired", confidence: 0.35, match: ["Error code: 401"])
        let report = try scan(
            [
                ("job1/.pr_agent.toml", "key = \"$OPENAI_API_KEY\"\n"), ("job1/logs/run.log", "Error code: 401\n"),
                ("job2/run.log", "Error code: 401\n"),
            ], rules: [symptom, cause])
        #expect(report.incidents.map(\.rule) == ["toml-var", "s401"])
        #expect(report.incidents[0].explains.first?.occurrences == 1)
        #expect(report.incidents[1].evidence.map(\.source) == ["job2/run.log"])
    }

    @Test func symptomRulesFoldUnderTheCauseOrBecomeUnclassified() throws {
        let cause = try rule("dnf", category: "azure.deployment-not-found", match: ["DeploymentNotFound"])
        let retry = try rule("retried", match: [#"LiteLLM Retried: \d+ times"#], extra: "symptom: true\n")
        let withCause = try scan(
            [("a.log", "litellm.NotFoundError: DeploymentNotFound\nlitellm.NotFoundError LiteLLM Retried: 2 times\n")],
            rules: [cause, retry])
        #expect(withCause.incidents.map(\.rule) == ["dnf"])
        #expect(withCause.incidents.first?.explains.map(\.rule) == ["retried"])
        // The symptom's own confidence bonus is not given: a retry proves nothing about the cause.
        #expect(withCause.incidents.first?.confidence == 0.7)
        let alone = try scan([("b.log", "ERROR LiteLLM Retried: 2 times\n")], rules: [cause, retry])
        #expect(alone.incidents.isEmpty)
        #expect(alone.unclassified.count == 1)
        #expect(alone.unclassified.first?.template.contains("retried") == true)
        #expect(alone.unclassified.first?.count == 1)
    }

    @Test func signalsRaiseAndMissingSignalsLowerConfidence() throws {
        let r = try rule(
            "sig", confidence: 0.6, match: ["Status: 401"],
            extra: """
                signals:
                  - pattern: 'x-ms-retry-count: [1-9]'
                    weight: 0.2
                    seen: the retried request is logged
                    missing: no request log
                  - pattern: 'Authorization: \\S+\\s+Authorization:'
                    scope: event
                    weight: 0.1
                    seen: two Authorization headers

                """)
        let seen = try scan([("a.log", "x-ms-retry-count: 1\nStatus: 401 (Unauthorized)\n")], rules: [r])
        let incident = try #require(seen.incidents.first)
        #expect(incident.confidence == 0.8)
        #expect(incident.signals.contains { $0.effect == "+" && $0.text == "the retried request is logged (a.log:1)" })
        let missing = try scan([("a.log", "Status: 401 (Unauthorized)\n")], rules: [r])
        #expect(missing.incidents.first?.confidence == 0.4)
        #expect(missing.incidents.first?.signals.contains { $0.effect == "-" && $0.text == "no request log" } == true)
    }

    @Test func theLoggedVersionDecides() throws {
        let r = try rule(
            "gated", confidence: 0.7, match: ["Status: 401"],
            extra: """
                versions:
                  - package: Azure.AI.OpenAI
                    affected: '>=2.0.0-beta.2, <2.1.0-beta.2'
                    fixed_in: 2.1.0-beta.2

                """)
        let ua =
            "Request [1] POST https://x.openai.azure.com/openai/deployments/e/embeddings\nUser-Agent:azsdk-net-AI.OpenAI/"
        let affected = try scan(
            [("a.log", ua + "2.0.0-beta.2 (.NET 8.0.10)\nStatus: 401 (Unauthorized)\n")], rules: [r])
        let a = try #require(affected.incidents.first)
        #expect(a.confidence == 0.8)
        #expect(
            a.signals.contains { $0.text == "your Azure.AI.OpenAI 2.0.0-beta.2 is affected; fixed in 2.1.0-beta.2" })
        #expect(a.values["version.Azure.AI.OpenAI"] == "2.0.0-beta.2")
        let fixed = try scan([("a.log", ua + "2.1.0 (.NET 8.0.10)\nStatus: 401 (Unauthorized)\n")], rules: [r])
        #expect(fixed.incidents.first?.confidence == 0.4)
        let unknown = try scan([("a.log", "Status: 401 (Unauthorized)\n")], rules: [r])
        #expect(unknown.incidents.first?.signals.contains { $0.text.hasPrefix("the log does not show") } == true)
        #expect(unknown.incidents.first?.confidence == 0.7)
    }

    @Test func badVersionRangesAreLoadErrors() {
        let yaml = """
            schema: 1
            id: v
            title: t
            category: server.5xx
            severity: error
            match: {any: ['Status: 5']}
            versions:
              - package: X
                affected: 'around 2'
            cause: c
            fix: [f]
            references: ['https://example.com']
            examples: {match: [{log: 'Status: 500', line: 1}], no_match: [{log: 'ok'}]}
            """
        var diags = Diagnostics()
        let rule = RuleLoader.load(yaml: yaml, file: "v.yaml", origin: .user, diagnostics: &diags)
        #expect(rule == nil)
        #expect(diags.all.contains { $0.message.contains("'affected' is not a version range") && $0.line == 9 })
    }

    @Test func incidentsSplitByGroupingValuesButNotByMissingOnes() throws {
        let r = try rule("dnf", category: "azure.deployment-not-found", match: ["DeploymentNotFound"])
        let log = """
            2025-01-01 10:00:00 ERROR POST https://x.openai.azure.com/openai/deployments/gpt-4o/chat/completions DeploymentNotFound
            2025-01-01 10:00:01 ERROR openai.NotFoundError: Error code: 404 - {'error': {'code': 'DeploymentNotFound'}}
            2025-01-01 10:00:02 ERROR POST https://x.openai.azure.com/openai/deployments/embed/embeddings DeploymentNotFound

            """
        let report = try scan([("a.log", log)], rules: [r])
        #expect(report.incidents.count == 2)
        #expect(report.incidents.map(\.occurrences) == [2, 1])
        #expect(Set(report.incidents.compactMap { $0.values["deployment"] }) == ["gpt-4o", "embed"])
        #expect(report.incidents[0].fingerprint != report.incidents[1].fingerprint)
        let again = try scan([("b.log", log)], rules: [r])
        #expect(again.incidents.map(\.fingerprint) == report.incidents.map(\.fingerprint))
    }

    @Test func unmatchedErrorEventsAreClusteredAndHealthyLinesAreNot() throws {
        let r = try rule("dnf", match: ["DeploymentNotFound"])
        let log = """
            2025-01-01 10:00:00 INFO request done in 120ms
            2025-01-01 10:00:01 ERROR Qdrant request failed: timeout after 30s (collection=docs-17)
            2025-01-01 10:00:02 ERROR Qdrant request failed: timeout after 31s (collection=docs-18)
            2025-01-01 10:00:03 ERROR Error code: 401 - unauthorized
            2025-01-01 10:00:04 ERROR Error code: 429 - too many requests
            2025-01-01 10:00:05 WARNING retrying soon

            """
        let report = try scan([("a.log", log)], rules: [r])
        #expect(report.incidents.isEmpty)
        #expect(report.unclassified.map(\.count).sorted() == [1, 1, 2])
        let qdrant = try #require(report.unclassified.first)
        #expect(qdrant.count == 2)
        #expect(qdrant.firstSeen == "2025-01-01 10:00:01")
        #expect(qdrant.lastSeen == "2025-01-01 10:00:02")
        #expect(qdrant.example.line == 2)
        #expect(report.unclassified.contains { $0.template.contains("401") })
        #expect(report.unclassified.contains { $0.template.contains("429") })
    }
}

@Suite struct FieldTestTests {
    @Test func fieldTestsRunOnExtractedValuesAndRecordFields() throws {
        let r = try rule(
            "ctx", category: "context-length-exceeded", match: ["Operation aborted"],
            extra: "where:\n  error.code: context_length_exceeded\n")
        let record =
            #"{"level":"error","message":"[AgentClient] Operation aborted","cause":{"status":400,"code":"context_length_exceeded"},"timestamp":"2025-05-07T21:44:03.512Z"}"#
        let other =
            #"{"level":"error","message":"[AgentClient] Operation aborted","cause":{"status":429,"code":"rate_limit_exceeded"},"timestamp":"2025-05-07T21:44:04.512Z"}"#
        let report = try scan([("a.log", record + "\n" + other + "\n")], rules: [r])
        let incident = try #require(report.incidents.first)
        #expect(incident.occurrences == 1)
        #expect(incident.values["error.code"] == "context_length_exceeded")
        #expect(incident.firstSeen == "2025-05-07T21:44:03.512Z")
    }

    @Test func aWhereOnlyRuleMatchesOnFields() throws {
        let yaml = """
            schema: 1
            id: azure-401
            title: t
            category: auth.invalid-key
            severity: error
            where:
              status: 401
              host: '*.openai.azure.com'
            cause: c {host}
            fix: [f]
            references: ['https://example.com']
            examples: {match: [{log: 'x', line: 1}], no_match: [{log: 'y'}]}
            """
        var diags = Diagnostics()
        let loaded = RuleLoader.load(yaml: yaml, file: "w.yaml", origin: .user, diagnostics: &diags)
        #expect(diags.isEmpty)
        let w = try #require(loaded)
        let log = """
            INFO:httpx:HTTP Request: POST https://contoso.openai.azure.com/openai/deployments/d/chat/completions "HTTP/1.1 401 Unauthorized"
            INFO:httpx:HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 401 Unauthorized"
            INFO:httpx:HTTP Request: POST https://contoso.openai.azure.com/openai/deployments/d/chat/completions "HTTP/1.1 200 OK"

            """
        let report = try scan([("a.log", log)], rules: [w])
        #expect(report.incidents.map(\.occurrences) == [1])
        #expect(report.incidents.first?.cause == "c contoso.openai.azure.com")
        #expect(report.incidents.first?.evidence.first?.line == 1)
    }
}

@Suite struct ServiceScopeTests {
    @Test func inADockerComposeStreamACauseOnlyExplainsItsOwnService() throws {
        let cause = try rule(
            "var", category: "auth.unexpanded-env-var", confidence: 0.9, match: [#"api_key='\$\w+'"#],
            explains: ["auth.token-audience-or-expired"])
        let symptom = try rule(
            "s401", category: "auth.token-audience-or-expired", confidence: 0.35, match: ["Error code: 401"])
        let log = """
            worker-1    | DEBUG api_key='$OPENAI_API_KEY'
            worker-1    | ERROR openai.AuthenticationError: Error code: 401
            librechat-1 | ERROR openai.AuthenticationError: Error code: 401

            """
        let report = try scan([("compose.log", log)], rules: [cause, symptom])
        #expect(report.incidents.map(\.rule) == ["var", "s401"])
        #expect(report.incidents[0].explains.first?.occurrences == 1)
        #expect(report.incidents[1].evidence.first?.line == 3)
    }
}
