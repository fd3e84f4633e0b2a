import FaultlineModel

/// Hand-built reports the golden files are rendered from.
enum Fixtures {
    /// Three incidents: one with folded symptoms and a code snippet in its fix, one with captured
    /// values, one ambiguous with candidates, low confidence and no timestamps; two diagnostics.
    static let report = Report(
        incidents: [
            Incident(
                id: "F1", rule: "litellm-unexpanded-env-var-key", fingerprint: "0337cf56338fada0",
                category: .authUnexpandedEnvVar, severity: .error,
                confidence: 0.9, title: "The API key is an unexpanded \"$VAR\" reference",
                cause: """
                    The key sent to the API is the literal text $OPENAI_API_KEY: the config file that holds it \
                    was never passed through variable substitution, so every request (and every fallback \
                    model) fails with 401.

                    Runs that succeed read the key from a step where the variable was exported.
                    """,
                fix: [
                    "Generate the config in a pipeline step with `envsubst` before the tool runs.",
                    "Or let the application read the key from the environment, for example:\n"
                        + "    export OPENAI__KEY=\"$OPENAI_API_KEY\"\n    pr-agent --pr_url \"$PR_URL\" review\n",
                    "Never hard-code the key in `.pr_agent.toml`.",
                ],
                references: [
                    "https://github.com/The-PR-Agent/pr-agent/issues/1169",
                    "https://github.com/a8m/envsubst",
                ],
                occurrences: 4, firstSeen: "2024-08-22 10:15:03.120", lastSeen: "2024-08-22 10:17:44.002",
                values: ["variable": "$OPENAI_API_KEY", "field": "openai.key"],
                signals: [
                    Signal(effect: "+", text: "the key value starts with `$`"),
                    Signal(effect: "+", text: "a 401 follows within 5 s on the same host"),
                ],
                explains: [
                    Symptom(
                        rule: "azure-401-access-token-undetermined", category: .authTokenAudienceOrExpired,
                        title: "401 Unauthorized: access token missing, invalid or expired", occurrences: 3),
                    Symptom(
                        rule: "litellm-fallback-failed", category: .authInvalidKey,
                        title: "The fallback model failed the same way", occurrences: 1),
                ],
                evidence: [
                    Evidence(
                        source: "artifacts/pipeline.log", line: 42,
                        text: "2024-08-22 10:15:03.120 | INFO     | pr_agent.config_loader:get_settings:40 - "
                            + "openai.key = '$OPENAI_API_KEY'"),
                    Evidence(
                        source: "artifacts/pipeline.log", line: 97,
                        text: "openai.AuthenticationError: Error code: 401 - {'statusCode': 401, 'message': "
                            + "'Unauthorized. Access token is missing, invalid, audience is incorrect "
                            + "(https://cognitiveservices.azure.com), or have expired.'}"),
                ]),
            Incident(
                id: "F2", rule: "azure-streaming-unsupported", fingerprint: "9f1c2d3e4a5b6c7d",
                category: .streamingUnsupported, severity: .error,
                confidence: 0.75, title: "The deployment does not support streaming",
                cause: "Requests to deployment gpt-4o-mini on fake-resource.openai.azure.com "
                    + "(api-version 2023-05-15) fail with InternalServerError only when stream=True.",
                fix: [
                    "Disable streaming for this provider.",
                    "Or pin jupyter-ai 2.11, which does not stream.",
                    "Or move the deployment to an api-version that supports streaming.",
                ],
                references: ["https://github.com/jupyterlab/jupyter-ai/issues/"],
                occurrences: 12, firstSeen: "2024-03-10 16:17:26.978", lastSeen: "2024-03-10 16:17:26.978",
                values: [
                    "deployment": "gpt-4o-mini", "host": "fake-resource.openai.azure.com",
                    "api_version": "2023-05-15", "stream": "true",
                ],
                evidence: [
                    Evidence(
                        source: "jupyter.log", line: 7,
                        text: "W 2024-03-10 16:17:26.978 ServerApp] openai.InternalServerError: Error code: 500"),
                    Evidence(source: "jupyter.log", line: 9, text: "\tstream=True, model='gpt-4o-mini'"),
                ]),
            Incident(
                id: "F3", rule: "azure-401-access-token-undetermined", fingerprint: "5e6f7a8b9c0d1e2f",
                category: .authInvalidKey, severity: .warning,
                confidence: 0.35, title: "401 Unauthorized with no decisive signal",
                cause: "The service rejected the credentials; the log does not say which of several causes it is.",
                fix: ["Check the candidates below in order."],
                references: [], occurrences: 1, firstSeen: nil, lastSeen: nil,
                candidates: [
                    Candidate(
                        category: .authInvalidKey, why: "The key belongs to another resource or was rotated."),
                    Candidate(
                        category: .authHeaderDropped, why: "A custom baseURL or proxy dropped the `api-key` header."),
                    Candidate(
                        category: .authDuplicateAuthorizationOnRetry,
                        why: "A 429 preceded it: a retry may send the Authorization header twice."),
                ],
                signals: [Signal(effect: "-", text: "no key value or header dump in the log")],
                evidence: [
                    Evidence(source: "<stdin>", line: 3, text: "HTTP/1.1 401 Unauthorized")
                ]),
        ],
        unclassified: [
            UnclassifiedCluster(
                template: "ValueError: Unknown tool call format: <*> (call_id=<*>)", count: 3,
                firstSeen: "2025-06-01 10:00:01", lastSeen: "2025-06-01 10:04:09",
                example: Evidence(
                    source: "artifacts/agent.log", line: 41,
                    text: "ValueError: Unknown tool call format: '<tool_call>{\"name\": \"get_invoice\"' (call_id=c-81)"
                )),
            UnclassifiedCluster(
                template: "Qdrant | error | `timeout` <*>", count: 1, firstSeen: nil, lastSeen: nil,
                example: Evidence(source: "artifacts/km.log", line: 7, text: "Qdrant | error | `timeout` after 30s")),
        ],
        stats: ScanStats(files: 2, lines: 1234, events: 56, bytes: 98_765),
        diagnostics: [
            Diagnostic(
                severity: .warning, source: "artifacts/big.log", line: 88, message: "line truncated at 1 MiB"),
            Diagnostic(severity: .note, source: "artifacts/app.bin", message: "binary file skipped"),
        ])

    /// Nothing found.
    static let empty = Report(
        incidents: [], stats: ScanStats(files: 1, lines: 1, events: 0, bytes: 12), diagnostics: [])
}
