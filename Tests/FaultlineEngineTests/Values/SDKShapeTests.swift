import FaultlineModel
import FaultlineRules
import FaultlineShippedRules
import Foundation
import Testing

@testable import FaultlineEngine

@Suite("Values: SDK shapes into fields")
struct ValuesSDKShapeTests {
    @Test("openai-python 0.x key=value error line")
    func openAIPython0x() {
        let values = eventValues(
            "2023-07-03 10:12:01 INFO error_code=invalid_api_key error_message='Incorrect API key provided: sk-v3s3w***************************************bfcr. You can find your API key at https://platform.openai.com/account/api-keys.' error_param=None error_type=invalid_request_error message='OpenAI API error received' stream_error=False"
        )
        #expect(values["error.code"] == "invalid_api_key")
        #expect(values["error.type"] == "invalid_request_error")
        #expect(values["error.param"] == nil)
        #expect(
            values["error.message"]
                == "Incorrect API key provided: [REDACTED]. You can find your API key at https://platform.openai.com/account/api-keys."
        )
        #expect(values["stream"] == nil)
        #expect(!values.values.contains { $0.contains("bfcr") })
        let param = eventValues(
            #"error_code=None error_message="This model's maximum context length is 4097 tokens" error_param=messages error_type=invalid_request_error message='OpenAI API error received' stream_error=False"#
        )
        #expect(param["error.message"] == "This model's maximum context length is 4097 tokens")
        #expect(param["error.param"] == "messages")
        #expect(param["error.code"] == nil)
        #expect(
            eventValues(
                "message='OpenAI API response' path=https://api.openai.com/v1/chat/completions processing_ms=None request_id=None response_code=401"
            )["status"] == "401")
    }

    @Test("An unexpanded key reference in the echo is kept")
    func unexpandedEcho() {
        let values = eventValues(
            "openai.AuthenticationError: Error code: 401 - {'error': {'message': 'Incorrect API key provided: $OPENAI_**_KEY. You can find your API key at https://platform.openai.com/account/api-keys.', 'type': 'invalid_request_error', 'param': None, 'code': 'invalid_api_key'}}"
        )
        #expect(values["error.message"]?.hasPrefix("Incorrect API key provided: $OPENAI_**_KEY.") == true)
        #expect(values["error.code"] == "invalid_api_key")
        #expect(values["status"] == "401")
    }

    @Test("openai-node error printed by util.inspect")
    func openAINode() {
        let values = eventValues(
            """
            2025-03-12 09:14:55 error: [OpenAIClient.chatCompletion] AuthenticationError: 401 Incorrect API key provided: sk-abc****wxyz. You can find your API key at https://platform.openai.com/account/api-keys.
                at APIError.generate (/app/node_modules/openai/error.js:44:20)
                at OpenAI.makeStatusError (/app/node_modules/openai/core.js:302:33) {
              status: 401,
              headers: {
                'content-type': 'application/json; charset=utf-8',
                'x-request-id': 'req_9f8e7d6c5b4a39281706',
                'user-agent': 'OpenAI/JS 4.67.3'
              },
              error: {
                message: 'Incorrect API key provided: sk-abc****wxyz. You can find your API key at https://platform.openai.com/account/api-keys.',
                type: 'invalid_request_error',
                param: null,
                code: 'invalid_api_key'
              },
              code: 'invalid_api_key',
              param: null,
              type: 'invalid_request_error'
            }
            """)
        #expect(values["status"] == "401")
        #expect(values["error.code"] == "invalid_api_key")
        #expect(values["error.type"] == "invalid_request_error")
        #expect(values["request_id"] == "req_9f8e7d6c5b4a39281706")
        #expect(values["user_agent"] == "OpenAI/JS 4.67.3")
        #expect(values["error.message"]?.hasPrefix("Incorrect API key provided: [REDACTED].") == true)
        #expect(values["exception"] == "AuthenticationError")
        #expect(!values.values.contains { $0.contains("wxyz") })
    }

    @Test("openai-node status line without a body: message from `Error: 500 …`")
    func openAINodeMessage() {
        let values = eventValues(
            "error: [OpenAIClient.chatCompletion][stream] Unhandled error type Error: 500 The server had an error while processing your request. Sorry about that!"
        )
        #expect(values["status"] == "500")
        #expect(values["error.message"] == "The server had an error while processing your request. Sorry about that!")
    }

    @Test("Azure.Core event-source request and response: host, path, user agent, retry, status, Retry-After")
    func azureCoreEventSource() {
        let values = eventValues(
            """
            info: Azure.Core[1]
                  Request [6c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f] POST https://contoso-eastus2.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-06-01
                  Accept:application/json
                  x-ms-client-request-id:6c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f
                  x-ms-retry-count:1
                  User-Agent:azsdk-net-AI.OpenAI/2.0.0-beta.2 (.NET 8.0.10; Ubuntu 22.04.5 LTS)
                  Authorization:REDACTED
                  client assembly: Azure.AI.OpenAI
            warn: Azure.Core[8]
                  Error response [6c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f] 429 Too Many Requests (00.2s)
                  Retry-After:14
                  x-ms-region:REDACTED
            """)
        #expect(values["host"] == "contoso-eastus2.openai.azure.com")
        #expect(values["path"] == "/openai/deployments/gpt-4o/chat/completions")
        #expect(values["deployment"] == "gpt-4o")
        #expect(values["api_version"] == "2024-06-01")
        #expect(values["user_agent"] == "azsdk-net-AI.OpenAI/2.0.0-beta.2 (.NET 8.0.10; Ubuntu 22.04.5 LTS)")
        #expect(values["retry_count"] == "1")
        #expect(values["status"] == "429")
        #expect(values["retry_after"] == "14")
        #expect(values["request_id"] == "6c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f")
    }

    @Test("System.ClientModel.ClientResultException: HTTP 404 (: DeploymentNotFound), message after the blank line")
    func clientResultException() {
        let values = eventValues(
            """
            Unhandled exception. System.ClientModel.ClientResultException: HTTP 404 (: DeploymentNotFound)

            The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.
               at Azure.AI.OpenAI.ClientPipelineExtensions.ProcessMessageAsync(ClientPipeline pipeline, PipelineMessage message, RequestOptions options)
            """)
        #expect(values["status"] == "404")
        #expect(values["error.code"] == "DeploymentNotFound")
        #expect(values["error.type"] == nil)
        #expect(values["exception"] == "System.ClientModel.ClientResultException")
        #expect(values["error.message"]?.hasPrefix("The API deployment for this resource does not exist.") == true)
    }

    @Test("Semantic Kernel HttpOperationException with a Service request failed block")
    func semanticKernel() {
        let values = eventValues(
            """
            Microsoft.SemanticKernel.HttpOperationException: Service request failed.
            Status: 401 (Unauthorized)

            Content:
            {"error":{"code":"401","message": "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}}

            Headers:
            apim-request-id: 3f2e1d0c-9b8a-4776-a5b4-c3d2e1f0a9b8
             ---> Azure.RequestFailedException: Service request failed.
            Status: 401 (Unauthorized)
            """)
        #expect(values["status"] == "401")
        #expect(values["error.code"] == "401")
        #expect(values["error.message"]?.hasPrefix("Access denied due to invalid subscription key") == true)
        #expect(
            values["exception"] == "Microsoft.SemanticKernel.HttpOperationException -> Azure.RequestFailedException")
        #expect(values["request_id"] == "3f2e1d0c-9b8a-4776-a5b4-c3d2e1f0a9b8")
    }

    @Test("Rich box-drawn traceback: exception from the line after the box")
    func richTraceback() {
        let values = eventValues(
            """
            ╭─────────────────────────────── Traceback (most recent call last) ────────────────────────────────╮
            │ /srv/app/main.py:41 in summarize                                                                 │
            │                                                                                                  │
            │   40 │   try:                                                                                    │
            │ ❱ 41 │   │   resp = client.chat.completions.create(model="gpt-4o", messages=msgs)               │
            │   42 │   except openai.APIError as e:                                                            │
            │                                                                                                  │
            │ /srv/venv/lib/python3.11/site-packages/openai/_base_client.py:1059 in request                    │
            │                                                                                                  │
            │   1058 │   │   │   │   raise ValueError: not this one                                            │
            ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
            AuthenticationError: Error code: 401 - {'statusCode': 401, 'message': 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.'}
            """)
        #expect(values["exception"] == "AuthenticationError")
        #expect(values["status"] == "401")
        #expect(values["error.message"]?.hasPrefix("Unauthorized. Access token is missing") == true)
        #expect(values["host"] == nil)
    }

    @Test("IPython traceback: `---->` frames, header class and final line")
    func ipythonTraceback() {
        let values = eventValues(
            """
            ---------------------------------------------------------------------------
            NotFoundError                             Traceback (most recent call last)
            Cell In[3], line 1
            ----> 1 client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])

            File ~/.venv/lib/python3.11/site-packages/openai/_base_client.py:1059, in SyncAPIClient.request(self, cast_to, options, stream, stream_cls)
               1057     raise self._make_status_error_from_response(err.response) from None
            -> 1059 raise self._make_status_error_from_response(err.response) from None

            NotFoundError: Error code: 404 - {'error': {'code': 'DeploymentNotFound', 'message': 'The API deployment for this resource does not exist.'}}
            """)
        #expect(values["exception"] == "NotFoundError")
        #expect(values["status"] == "404")
        #expect(values["error.code"] == "DeploymentNotFound")
        #expect(values["error.message"] == "The API deployment for this resource does not exist.")
    }

    @Test("Body fields win over pattern values; patterns fill the keys the body lacks")
    func bodyWins() {
        // A pattern reads the first `'code': …` (the inner ResponsibleAIPolicyViolation comes later
        // anyway); the body keeps outer and inner apart and adds the filter.
        let values = eventValues(
            "Error code: 400 - {'error': {'innererror': {'code': 'ResponsibleAIPolicyViolation', 'content_filter_result': {'hate': {'filtered': True, 'severity': 'high'}}}, 'code': 'content_filter', 'message': 'filtered', 'param': 'prompt', 'type': None}} request_id: 0a1b2c3d4e5f"
        )
        #expect(values["error.code"] == "content_filter")
        #expect(values["error.inner_code"] == "ResponsibleAIPolicyViolation")
        #expect(values["content_filter.category"] == "hate")
        #expect(values["content_filter.severity"] == "high")
        #expect(values["error.param"] == "prompt")
        #expect(values["status"] == "400")
        #expect(values["request_id"] == "0a1b2c3d4e5f")
    }

    @Test("path: URL path without query, JSON-escaped URLs, request lines; none for a bare host")
    func paths() {
        #expect(
            eventValues(
                #"HTTP Request: POST https://x.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-06-01 "HTTP/1.1 404 Not Found""#
            )[
                "path"] == "/openai/deployments/gpt-4o/chat/completions")
        #expect(
            eventValues(
                #"{"url":"https:\/\/x.openai.azure.com\/openai\/deployments\/chat\/embeddings?api-version=1"}"#)["path"]
                == "/openai/deployments/chat/embeddings")
        #expect(
            eventValues("POST https://api.openai.com:443/v1/chat/completions failed.")["path"] == "/v1/chat/completions"
        )
        #expect(
            eventValues(#"INFO: 10.0.3.21:51884 - "POST /v1/chat/completions HTTP/1.1" 400 Bad Request"#)["path"]
                == "/v1/chat/completions")
        #expect(eventValues("endpoint https://x.openai.azure.com/ unreachable")["path"] == nil)
        #expect(eventValues("azure_endpoint=contoso.openai.azure.com")["path"] == nil)
    }

    @Test("user_agent in header, JSON and repr forms")
    func userAgents() {
        #expect(eventValues("User-Agent: OpenAI/Python 1.51.0\nAccept: */*")["user_agent"] == "OpenAI/Python 1.51.0")
        #expect(
            eventValues(#"{"User-Agent": "AsyncOpenAI/Python 1.51.0", "x": 1}"#)["user_agent"]
                == "AsyncOpenAI/Python 1.51.0")
        #expect(eventValues("'user-agent': 'litellm/1.52.0',")["user_agent"] == "litellm/1.52.0")
    }

    @Test(".NET HttpStatusCode names give the status where a status is named, and nowhere else")
    func statusByName() {
        #expect(
            eventValues("Error executing action [attempt 1 of 3]. Reason: TooManyRequests. Will retry")["status"]
                == "429")
        #expect(
            eventValues("HttpOperationException: StatusCode: NotFound, ReasonPhrase: 'Not Found'")["status"] == "404")
        #expect(eventValues("response.StatusCode == HttpStatusCode.Unauthorized")["status"] == "401")
        #expect(eventValues("Status: 'ServiceUnavailable'")["status"] == "503")
        // A name without a status key, or a status key with another word, is no status.
        #expect(eventValues("TooManyRequests is retried by the policy (see docs)")["status"] == nil)
        #expect(eventValues("NotFoundError: the page NotFound was removed")["status"] == nil)
        #expect(eventValues("Status: Active, Reason: Scheduled")["status"] == nil)
        // A number found first wins over a later name.
        #expect(eventValues("Status: 429 (Too Many Requests) Reason: TooManyRequests")["status"] == "429")
    }

    @Test("Every standard name is documented in docs/values.md")
    func standardNamesDocumented() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/values.md")
        let doc = try String(contentsOf: url, encoding: .utf8)
        for name in ValueExtractor.standardNames {
            #expect(doc.contains("| `\(name)` |"), "\(name)")
        }
        #expect(!ValueExtractor.standardNames.contains("error_code"))
    }

    @Test("docs/taxonomy.md decides every category, and every shipped rule's category is one of them")
    func taxonomyCoversEveryCategory() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/taxonomy.md")
        let doc = try String(contentsOf: url, encoding: .utf8)
        let decided = Set(
            doc.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("| `"), let end = line.dropFirst(3).firstIndex(of: "`") else { return nil }
                return String(line[line.index(line.startIndex, offsetBy: 3)..<end])
            })
        #expect(decided == Set(Category.labels))
        var diagnostics = Diagnostics()
        for rule in RuleLoader.load(files: ShippedRules.files, origin: .shipped, diagnostics: &diagnostics) {
            #expect(decided.contains(rule.category.rawValue), "\(rule.id)")
        }
    }
}
