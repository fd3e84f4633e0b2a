import FaultlineRegex
import Foundation
import Testing

@testable import FaultlineEngine

/// One extractor for all tests (it is Sendable and immutable).
let valuesExtractor = ValueExtractor()

/// Values of `text`, with a fresh scratch.
func eventValues(_ text: String) -> [String: String] {
    valuesExtractor.values(in: text, using: MatchScratch())
}

/// Versions of `line`, with a fresh scratch.
func lineVersions(_ line: String) -> [String: String] {
    valuesExtractor.versions(inLine: line, using: MatchScratch())
}

@Suite("Values: events from each stack")
struct ValuesEventTests {
    @Test("openai-python traceback: 404 DeploymentNotFound, httpx frames")
    func openAIPythonDeploymentNotFound() {
        let event = """
            2025-04-02 14:03:11,882 ERROR app.summarize: summary failed
            Traceback (most recent call last):
              File "/srv/app/summarize.py", line 41, in summarize
                resp = client.chat.completions.create(model="gpt4o-prod", messages=msgs, stream=False)
              File "/srv/venv/lib/python3.11/site-packages/openai/_utils/_utils.py", line 274, in wrapper
                return func(*args, **kwargs)
              File "/srv/venv/lib/python3.11/site-packages/openai/_base_client.py", line 971, in request
                response = self._client.send(
              File "/srv/venv/lib/python3.11/site-packages/httpx/_client.py", line 914, in send
                response = self._send_handling_auth(
              File "/srv/venv/lib/python3.11/site-packages/httpx/_client.py", line 1015, in _send_single_request
                response = transport.handle_request(request)
              File "/srv/venv/lib/python3.11/site-packages/openai/_base_client.py", line 1059, in request
                raise self._make_status_error_from_response(err.response) from None
            openai.NotFoundError: Error code: 404 - {'error': {'code': 'DeploymentNotFound', 'message': 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.'}}
            """
        let values = eventValues(event)
        #expect(values["status"] == "404")
        #expect(values["error.code"] == "DeploymentNotFound")
        #expect(values["exception"] == "openai.NotFoundError")
        #expect(values["model"] == "gpt4o-prod")
        #expect(values["stream"] == "false")
        for absent in ["host", "deployment", "api_version", "retry_count", "retry_after", "request_id", "error.type"] {
            #expect(values[absent] == nil, "\(absent) = \(values[absent] ?? "")")
        }
    }

    @Test("litellm RateLimitError with retries and Retry-After text")
    func litellmRateLimit() {
        let event = """
            litellm.exceptions.RateLimitError: litellm.RateLimitError: AzureException RateLimitError - Error code: 429 - {'error': {'code': '429', 'message': 'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-06-01 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 17 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.'}} LiteLLM Retried: 2 times, LiteLLM Max Retries: 2
            """
        let values = eventValues(event)
        #expect(values["exception"] == "litellm.exceptions.RateLimitError")
        #expect(values["status"] == "429")
        #expect(values["error.code"] == "429")
        #expect(values["api_version"] == "2024-06-01")
        #expect(values["retry_after"] == "17")
        #expect(values["retry_count"] == "2")
        // aka.ms is a docs link, never the API host
        #expect(values["host"] == nil)
        #expect(values["deployment"] == nil)
        #expect(values["model"] == nil)
    }

    @Test("litellm chained traceback: chain outermost to innermost")
    func litellmChainedTraceback() {
        let event = """
            Traceback (most recent call last):
              File "/usr/local/lib/python3.12/site-packages/litellm/llms/azure.py", line 1089, in acompletion
                response = await azure_client.chat.completions.create(**data, timeout=timeout)
              File "/usr/local/lib/python3.12/site-packages/openai/_base_client.py", line 1610, in _request
                raise self._make_status_error_from_response(err.response) from None
            openai.AuthenticationError: Error code: 401 - {'statusCode': 401, 'message': 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.'}

            During handling of the above exception, another exception occurred:

            Traceback (most recent call last):
              File "/usr/local/lib/python3.12/site-packages/litellm/main.py", line 423, in acompletion
                response = await init_response
            litellm.exceptions.AuthenticationError: litellm.AuthenticationError: AzureException AuthenticationError - Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired. LiteLLM Retried: 1 times
            """
        let values = eventValues(event)
        #expect(values["exception"] == "litellm.exceptions.AuthenticationError -> openai.AuthenticationError")
        #expect(values["status"] == "401")
        #expect(values["retry_count"] == "1")
        // the token audience is not an API host
        #expect(values["host"] == nil)
        #expect(values["error.code"] == nil)
    }

    @Test(".NET fail: block with RequestFailedException, headers and inner exception")
    func dotNetRequestFailed() {
        let event = """
            fail: Microsoft.KernelMemory.Handlers.GenerateEmbeddingsHandler[0]
                  Embedding generation failed for deployment 'text-embedding-3-large'
                  Azure.RequestFailedException: Requests to the Embeddings_Create Operation under Azure OpenAI API version 2024-02-01 have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after 14 seconds.
                  Status: 429 (Too Many Requests)
                  ErrorCode: 429

                  Content:
                  {"error":{"code":"429","message": "Requests to the Embeddings_Create Operation under Azure OpenAI API version 2024-02-01 have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after 14 seconds."}}

                  Headers:
                  Retry-After: 14
                  x-ms-client-request-id: 0e9d8c7b-6a5f-4e4d-9c3b-2a1f0e9d8c7b
                  apim-request-id: 7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d
                  Strict-Transport-Security: REDACTED
                  x-ms-region: REDACTED
                  Date: Wed, 23 Oct 2024 14:05:13 GMT
                  Content-Length: 342
                  Content-Type: application/json

                   ---> System.ClientModel.ClientResultException: HTTP 429 (429)

                  Rate limit is exceeded. Try again in 14 seconds.
                     at Azure.AI.OpenAI.ClientPipelineExtensions.ProcessMessageAsync(ClientPipeline pipeline, PipelineMessage message, RequestOptions options)
                     --- End of inner exception stack trace ---
                     at Microsoft.KernelMemory.AI.AzureOpenAI.AzureOpenAITextEmbeddingGenerator.GenerateEmbeddingBatchAsync(IEnumerable`1 textList, CancellationToken cancellationToken)
            """
        let values = eventValues(event)
        #expect(values["exception"] == "Azure.RequestFailedException -> System.ClientModel.ClientResultException")
        #expect(values["status"] == "429")
        #expect(values["error.code"] == "429")
        #expect(values["api_version"] == "2024-02-01")
        #expect(values["retry_after"] == "14")
        #expect(values["request_id"] == "0e9d8c7b-6a5f-4e4d-9c3b-2a1f0e9d8c7b")
        #expect(values["deployment"] == "text-embedding-3-large")
        #expect(values["host"] == nil)
        #expect(values["retry_count"] == nil)
        #expect(values["model"] == nil)
        #expect(values["stream"] == nil)
    }

    @Test("Kernel Memory fail: block (seed 002): three-level .NET chain, repeated Status blocks")
    func kernelMemoryChain() {
        let event = """
            fail: Microsoft.KernelMemory.Handlers.GenerateEmbeddingsHandler[0]
                  Embedding generation failed, pipeline 'handbooks/hr-handbook-2024', batch 4/26
                  Microsoft.KernelMemory.AI.AzureOpenAI.AzureOpenAIException: Service request failed.
                  Status: 401 (Unauthorized)

                  Content:
                  {"statusCode": 401, "message": "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired."}

                  Headers:
                  apim-request-id: 2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e
                  Strict-Transport-Security: REDACTED
                  Date: Wed, 23 Oct 2024 14:05:27 GMT
                  Content-Length: 159
                  Content-Type: application/json

                   ---> Microsoft.SemanticKernel.HttpOperationException: Service request failed.
                  Status: 401 (Unauthorized)

                   ---> System.ClientModel.ClientResultException: Service request failed.
                  Status: 401 (Unauthorized)

                     at Azure.AI.OpenAI.ClientPipelineExtensions.ProcessMessageAsync(ClientPipeline pipeline, PipelineMessage message, RequestOptions options)
                     --- End of inner exception stack trace ---
                     --- End of inner exception stack trace ---
            """
        let values = eventValues(event)
        #expect(
            values["exception"]
                == "Microsoft.KernelMemory.AI.AzureOpenAI.AzureOpenAIException -> Microsoft.SemanticKernel.HttpOperationException -> System.ClientModel.ClientResultException"
        )
        #expect(values["status"] == "401")
        #expect(values["request_id"] == "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e")
        #expect(values["host"] == nil)
        #expect(values["error.code"] == nil)
        #expect(values["deployment"] == nil)
    }

    @Test("Bind-all and docs addresses are not hosts; localhost proxies are")
    func bindAddresses() {
        #expect(eventValues("INFO:     Uvicorn running on http://0.0.0.0:4000 (Press CTRL+C to quit)")["host"] == nil)
        #expect(
            eventValues("openai.APIConnectionError: Connection error. base_url=http://localhost:4000/v1")["host"]
                == "localhost")
    }

    @Test("Semantic Kernel HttpOperationException: HTTP 401 (: PermissionDenied)")
    func semanticKernelPermissionDenied() {
        let event = """
            fail: Contoso.Assistant.Api.ChatController[0]
                  Chat completion failed
                  Microsoft.SemanticKernel.HttpOperationException: HTTP 401 (: PermissionDenied)

                  The principal `6f1c2d3e-0000-4a5b-9c8d-7e6f5a4b3c2d` lacks the required data action `Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action` to perform `POST /openai/deployments/{deployment-id}/chat/completions` operation.
                   ---> System.ClientModel.ClientResultException: HTTP 401 (: PermissionDenied)
                     at Azure.AI.OpenAI.ClientPipelineExtensions.ProcessMessageAsync(ClientPipeline pipeline, PipelineMessage message, RequestOptions options)
                     --- End of inner exception stack trace ---
            """
        let values = eventValues(event)
        #expect(
            values["exception"]
                == "Microsoft.SemanticKernel.HttpOperationException -> System.ClientModel.ClientResultException")
        #expect(values["status"] == "401")
        #expect(values["error.code"] == "PermissionDenied")
        #expect(values["error.type"] == nil)
        // `{deployment-id}` is a template, not a deployment name
        #expect(values["deployment"] == nil)
        #expect(values["host"] == nil)
    }

    @Test("OpenAI .NET HTTP <status> (<type>: <code>)")
    func openAIDotNetTypeAndCode() {
        let values = eventValues(
            "System.ClientModel.ClientResultException: HTTP 403 (invalid_request_error: model_not_found)")
        #expect(values["status"] == "403")
        #expect(values["error.code"] == "model_not_found")
        #expect(values["error.type"] == "invalid_request_error")
        #expect(values["exception"] == "System.ClientModel.ClientResultException")
    }

    @Test("LibreChat Winston line with a Node stack")
    func libreChatWinston() {
        let event = """
            2025-03-12 09:14:55 error: [OpenAIClient.chatCompletion][stream] Unhandled error type Error: 401 status code (no body)
                at APIError.generate (/app/node_modules/openai/error.js:66:20)
                at OpenAI.makeStatusError (/app/node_modules/openai/core.js:297:33)
                at OpenAI.makeRequest (/app/node_modules/openai/core.js:341:30)
                at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
            """
        let values = eventValues(event)
        #expect(values["status"] == "401")
        #expect(values["exception"] == nil)
        #expect(values["error.code"] == nil)
        #expect(values["host"] == nil)
    }

    @Test("LibreChat handleAbortError with an HTTP 401 JSON body")
    func libreChatAbort() {
        let event = """
            2024-01-10 12:00:01 error: [handleAbortError] AI response error; aborting request: Failed to send message. HTTP 401 - { "statusCode": 401, "message": "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired." }
            """
        let values = eventValues(event)
        #expect(values["status"] == "401")
        #expect(values["host"] == nil)
    }

    @Test("httpx INFO request line")
    func httpxRequestLine() {
        let event = """
            2025-04-02 14:03:11,204 INFO httpx: HTTP Request: POST https://x.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-06-01 "HTTP/1.1 429 Too Many Requests"
            """
        let values = eventValues(event)
        #expect(values["status"] == "429")
        #expect(values["host"] == "x.openai.azure.com")
        #expect(values["deployment"] == "gpt-4o")
        #expect(values["api_version"] == "2024-06-01")
        #expect(values["model"] == nil)
        #expect(values["error.code"] == nil)
        #expect(values["exception"] == nil)
    }

    @Test("openai retry log lines: retry count, retry-after-ms, request id")
    func openAIRetryLines() {
        let event = """
            2025-04-02 14:03:11,882 INFO openai._base_client: Retrying request to /chat/completions in 0.482 seconds (attempt 2)
            2025-04-02 14:03:11,882 DEBUG openai._base_client: response headers: retry-after-ms: 1500, x-request-id: req_7f3a9c1e2b4d5f60a1b2c3d4e5f6a7b8
            """
        let values = eventValues(event)
        #expect(values["retry_count"] == "2")
        #expect(values["retry_after"] == "1.5")
        #expect(values["request_id"] == "req_7f3a9c1e2b4d5f60a1b2c3d4e5f6a7b8")
    }

    @Test("litellm o1 stream unsupported: model, model group, error type, stream")
    func litellmStreamUnsupported() {
        let event = """
            11:21:41 - LiteLLM Router:INFO: router.py:915 - litellm.acompletion(model=azure/o1) Exception litellm.BadRequestError: AzureException BadRequestError - Error code: 400 - {'error': {'message': "Unsupported value: 'stream' does not support true with this model. Supported values are: false.", 'type': 'invalid_request_error', 'param': 'stream', 'code': 'unsupported_value'}} Received Model Group=o1
            """
        let values = eventValues(event)
        #expect(values["model"] == "azure/o1")
        #expect(values["deployment"] == "o1")
        #expect(values["status"] == "400")
        #expect(values["error.code"] == "unsupported_value")
        #expect(values["error.type"] == "invalid_request_error")
        #expect(values["exception"] == "litellm.BadRequestError")
        // "'stream' does not support true" is not a stream setting
        #expect(values["stream"] == nil)
        #expect(values["model"] != "o1")
    }

    @Test("Model Group alone")
    func modelGroup() {
        #expect(eventValues("No deployments available for selected model, Received Model Group=o1")["model"] == "o1")
    }

    @Test("Jupyter AI indented traceback: 500 with activityId")
    func jupyterAI() {
        let event = """
            [E 2024-11-05 10:03:02.688 AiExtension] Error code: 500 - {'statusCode': 500, 'message': 'Internal server error', 'activityId': 'c2a7e91d-4b3f-4e58-a0d6-93f1b7c2e4a5'}
                Traceback (most recent call last):
                  File "/opt/conda/lib/python3.11/site-packages/openai/_base_client.py", line 1843, in post
                    return await self.request(cast_to, opts, stream=stream, stream_cls=stream_cls)
                  File "/opt/conda/lib/python3.11/site-packages/openai/_base_client.py", line 1638, in _request
                    raise self._make_status_error_from_response(err.response) from None
                openai.InternalServerError: Error code: 500 - {'statusCode': 500, 'message': 'Internal server error', 'activityId': 'c2a7e91d-4b3f-4e58-a0d6-93f1b7c2e4a5'}
            """
        let values = eventValues(event)
        #expect(values["status"] == "500")
        #expect(values["request_id"] == "c2a7e91d-4b3f-4e58-a0d6-93f1b7c2e4a5")
        #expect(values["exception"] == "openai.InternalServerError")
        // `stream=stream` in a frame is source code, not a setting
        #expect(values["stream"] == nil)
    }

    @Test("Azure.Core event-source lines: status, request id, host")
    func azureCoreResponse() {
        let event = """
            warn: Azure.Core[8]
                  Error response [0e9d8c7b-6a5f-4e4d-9c3b-2a1f0e9d8c7b] 429 Too Many Requests (00.1s)
                  Retry-After:14
                  apim-request-id:7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d
                  x-ms-retry-count: 1
            """
        let values = eventValues(event)
        #expect(values["status"] == "429")
        #expect(values["retry_after"] == "14")
        #expect(values["request_id"] == "0e9d8c7b-6a5f-4e4d-9c3b-2a1f0e9d8c7b")
        #expect(values["retry_count"] == "1")
    }

    @Test("Azure.Core request line: host, deployment, api-version; no secrets")
    func azureCoreRequest() {
        let event = """
            info: Azure.Core[1]
                  Request [6c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f] POST https://contoso-eastus2.openai.azure.com/openai/deployments/text-embedding-3-large/embeddings?api-version=2024-06-01
                  Accept:application/json
                  Authorization:REDACTED
                  User-Agent:azsdk-net-AI.OpenAI/2.0.0-beta.2 (.NET 8.0.10; Ubuntu 22.04.5 LTS)
            """
        let values = eventValues(event)
        #expect(values["host"] == "contoso-eastus2.openai.azure.com")
        #expect(values["deployment"] == "text-embedding-3-large")
        #expect(values["api_version"] == "2024-06-01")
        #expect(values["request_id"] == "6c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f")
        #expect(values["status"] == nil)
        #expect(!values.values.contains { $0.contains("REDACTED") })
    }

    @Test("Host: the API host wins over docs links and credentials are never read")
    func hostPreference() {
        let event = """
            openai.AuthenticationError: Error code: 401 - see https://learn.microsoft.com/azure/ai-services/openai/reference and https://aka.ms/oai/access; endpoint https://user:s3cr3tpassw0rd@proxy.contoso.example:8443/ then https://Contoso-WestEU.OpenAI.Azure.com/openai/deployments/chat-prod/chat/completions
            """
        let values = eventValues(event)
        #expect(values["host"] == "contoso-westeu.openai.azure.com")
        #expect(values["deployment"] == "chat-prod")
        #expect(!values.values.contains { $0.contains("s3cr3t") })
    }

    @Test("Host: another https host when no API host is present; docs-only gives none")
    func hostFallback() {
        #expect(
            eventValues("ConnectError: POST https://llm-gw.contoso.example/v1/chat failed")["host"]
                == "llm-gw.contoso.example")
        #expect(eventValues("see https://aka.ms/oai/quotaincrease and https://learn.microsoft.com/x")["host"] == nil)
        #expect(
            eventValues("azure_endpoint=contoso.openai.azure.com api_version=2024-02-01")["host"]
                == "contoso.openai.azure.com")
    }

    @Test("Settings dumps: deployment_id, api_version, model, stream")
    func settingsDump() {
        let values = eventValues(
            """
            litellm.acompletion(model='azure/gpt-4o-review', messages=[...], api_version='2024-06-01', deployment_id="gpt-4o-review", stream=True)
            """)
        #expect(values["deployment"] == "gpt-4o-review")
        #expect(values["api_version"] == "2024-06-01")
        #expect(values["model"] == "azure/gpt-4o-review")
        #expect(values["stream"] == "true")

        let json = eventValues(#"{"model": "gpt-4o", "stream": true, "Deployment": "chat-eu"}"#)
        #expect(json["model"] == "gpt-4o")
        #expect(json["stream"] == "true")
        #expect(eventValues("Deployment: chat-eu\nStatus: 404 (Not Found)")["deployment"] == "chat-eu")
        #expect(eventValues("  modelOptions.stream: true,")["stream"] == "true")
    }

    @Test("Content filter: the outer code wins over the inner one")
    func contentFilter() {
        let values = eventValues(
            """
            openai.BadRequestError: Error code: 400 - {'error': {'message': "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.", 'type': None, 'param': 'prompt', 'code': 'content_filter', 'status': 400, 'innererror': {'code': 'ResponsibleAIPolicyViolation', 'content_filter_result': {'hate': {'filtered': True, 'severity': 'high'}}}}}
            """)
        #expect(values["error.code"] == "content_filter")
        #expect(values["status"] == "400")
        #expect(values["error.type"] == nil)
    }

    @Test("Quota, invalid key and context length codes")
    func providerCodes() {
        let quota = eventValues(
            "openai.RateLimitError: Error code: 429 - {'error': {'message': 'You exceeded your current quota, please check your plan and billing details.', 'type': 'insufficient_quota', 'param': None, 'code': 'insufficient_quota'}}"
        )
        #expect(quota["error.code"] == "insufficient_quota")
        #expect(quota["error.type"] == "insufficient_quota")
        let key = eventValues(
            """
                  Status: 401 (Unauthorized)
                  ErrorCode: invalid_api_key

                  Content:
                  {"error": {"message": "Incorrect API key provided: github_p****zyNF.", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}
            """)
        #expect(key["status"] == "401")
        #expect(key["error.code"] == "invalid_api_key")
        #expect(key["error.type"] == "invalid_request_error")
        #expect(!key.values.contains { $0.contains("****") })
        let context = eventValues(
            #"openai.BadRequestError: Error code: 400 - {'error': {'message': "This model's maximum context length is 128000 tokens.", 'type': 'invalid_request_error', 'param': 'messages', 'code': 'context_length_exceeded'}}"#
        )
        #expect(context["error.code"] == "context_length_exceeded")
    }

    @Test("Status keywords: node, python kwargs, retry wording; first wins")
    func statusShapes() {
        #expect(eventValues("  status: 401,\n  headers: {}")["status"] == "401")
        #expect(eventValues("{'statusCode': 401, 'message': 'x'}")["status"] == "401")
        #expect(eventValues("AzureOpenAIError(status_code=500, message='boom')")["status"] == "500")
        #expect(eventValues("Retrying due to status code 503")["status"] == "503")
        #expect(eventValues("Error: 500 The server had an error while processing your request.")["status"] == "500")
        #expect(eventValues("Status: 429 (Too Many Requests)\nlater Status: 401 (Unauthorized)")["status"] == "429")
        #expect(
            eventValues(#"INFO:     10.0.3.21:51884 - "POST /v1/chat/completions HTTP/1.1" 400 Bad Request"#)["status"]
                == "400")
    }

    @Test("No status from numbers that are not statuses")
    func noFalseStatus() {
        let values = eventValues(
            """
            Content-Length: 404
            Tokens: 6214, total tokens under limit: 32000
            listening on http://localhost:4000 after 401 ms; batch 429/500
            """)
        #expect(values["status"] == nil)
        #expect(values["retry_after"] == nil)
        #expect(values["retry_count"] == nil)
    }

    @Test("Retries: the largest count; Azure tries become retries")
    func retryCounts() {
        #expect(eventValues("Retry attempt 1 ...\nRetry attempt 3 ...")["retry_count"] == "3")
        #expect(eventValues("Azure.RequestFailedException: Retry failed after 4 tries.")["retry_count"] == "3")
    }

    @Test("Retry-After shapes")
    func retryAfterShapes() {
        #expect(eventValues("Rate limit reached for gpt-4o. Please try again in 20s.")["retry_after"] == "20")
        #expect(eventValues("Please try again in 6ms.")["retry_after"] == "0.006")
        #expect(
            eventValues("HTTP 429 (429)\n\nRate limit is exceeded. Try again in 40 seconds.")["retry_after"] == "40")
        #expect(eventValues(#"headers: {"retry-after": "7"}"#)["retry_after"] == "7")
    }

    @Test("Request ids: OpenAI request ID sentence, Request ID label")
    func requestIDs() {
        #expect(
            eventValues("(Please include the request ID req_0a1b2c3d4e5f in your message.)")["request_id"]
                == "req_0a1b2c3d4e5f")
        #expect(
            eventValues("Request ID: 9f1c2d3e-4b5a-6978-8695-a4b3c2d1e0f9")["request_id"]
                == "9f1c2d3e-4b5a-6978-8695-a4b3c2d1e0f9")
        #expect(eventValues("request id should be logged")["request_id"] == nil)
    }

    @Test("Exception classes mid-line, JSON-escaped .NET stacks, generic names")
    func exceptionShapes() {
        #expect(
            eventValues(
                "2025-02-11 08:41:06.317 | WARNING  | pr_agent.algo.ai_handlers.litellm_ai_handler:chat_completion:229 - Error during LLM inference: litellm.AuthenticationError: AzureException AuthenticationError - Unauthorized."
            )["exception"] == "litellm.AuthenticationError")
        #expect(
            eventValues(
                #"{"level":"error","message":"failed","stack":"Azure.RequestFailedException: Service request failed.\n ---> System.Net.Http.HttpRequestException: Connection refused\n   at X.Y()"}"#
            )["exception"] == "Azure.RequestFailedException -> System.Net.Http.HttpRequestException")
        #expect(
            eventValues("Error: 401 status code (no body)\n    at APIError.generate (error.js:66:20)")["exception"]
                == nil)
        #expect(
            eventValues("AuthenticationError: 401 Incorrect API key provided")["exception"] == "AuthenticationError")
    }

    @Test("A healthy line yields nothing worth reporting")
    func healthyLine() {
        let values = eventValues("2025-03-12 09:10:36 debug: [OpenAIClient] Convo Title: Q1 Refund Policy Summary")
        #expect(values.isEmpty)
    }
}

@Suite("Values: versions per line")
struct ValuesVersionLineTests {
    static let cases: [(String, [String: String])] = [
        (
            "      User-Agent:azsdk-net-AI.OpenAI/2.0.0-beta.2 (.NET 8.0.10; Ubuntu 22.04.5 LTS)",
            ["version.Azure.AI.OpenAI": "2.0.0-beta.2"]
        ),
        (
            "User-Agent: azsdk-net-AI.OpenAI/2.1.0 azsdk-net-Core/1.44.1 (.NET 8.0.14; Linux)",
            ["version.Azure.AI.OpenAI": "2.1.0", "version.Azure.Core": "1.44.1"]
        ),
        ("User-Agent: OpenAI/2.0.0 (.NET 8.0.10; Microsoft Windows 10.0.22631)", ["version.OpenAI": "2.0.0"]),
        ("'User-Agent': 'AsyncOpenAI/Python 1.51.0'", ["version.openai": "1.51.0"]),
        ("openai==1.51.0", ["version.openai": "1.51.0"]),
        ("openai                    1.51.0", ["version.openai": "1.51.0"]),
        (
            "Successfully installed litellm-1.52.0 openai-1.51.0 langchain-openai-0.2.3",
            ["version.litellm": "1.52.0", "version.openai": "1.51.0", "version.langchain-openai": "0.2.3"]
        ),
        ("litellm==1.52.0", ["version.litellm": "1.52.0"]),
        ("LiteLLM: Current Version = 1.52.0", ["version.litellm": "1.52.0"]),
        ("litellm version 1.52.0", ["version.litellm": "1.52.0"]),
        ("INFO:     LiteLLM Proxy: Starting server v1.52.0", ["version.litellm": "1.52.0"]),
        ("langchain-openai==0.2.3", ["version.langchain-openai": "0.2.3"]),
        ("jupyter_ai                2.28.2", ["version.jupyter_ai": "2.28.2"]),
        ("jupyter-ai==2.28.2", ["version.jupyter_ai": "2.28.2"]),
        ("[I 2024-11-05 10:01:58.412 AiExtension] Jupyter AI v2.28.2", ["version.jupyter_ai": "2.28.2"]),
        ("jupyter-ai-magics==2.28.2", [:]),
        ("2025-03-12 09:02:09 info: LibreChat v0.7.7", ["version.LibreChat": "0.7.7"]),
        (
            #"{"level":"info","message":"Server listening","service":"LibreChat","version":"v0.7.7"}"#,
            ["version.LibreChat": "0.7.7"]
        ),
        (#"  "version": "1.2.1","#, [:]),
        (
            "  Installed Microsoft.KernelMemory.Core 0.90.241021.1 from https://api.nuget.org/v3/index.json",
            ["version.Microsoft.KernelMemory": "0.90.241021.1"]
        ),
        (
            "      Starting Kernel Memory service, version 0.90.241021.1",
            ["version.Microsoft.KernelMemory": "0.90.241021.1"]
        ),
        ("Kernel Memory v0.90.241021.1", ["version.Microsoft.KernelMemory": "0.90.241021.1"]),
        (
            #"    <PackageReference Include="Microsoft.SemanticKernel.Connectors.OpenAI" Version="1.25.0" />"#,
            ["version.Microsoft.SemanticKernel": "1.25.0"]
        ),
        (
            #"    <PackageReference Include="Azure.AI.OpenAI" Version="2.0.0-beta.2" />"#,
            ["version.Azure.AI.OpenAI": "2.0.0-beta.2"]
        ),
        ("   > Azure.AI.OpenAI      2.0.0-beta.5   2.0.0-beta.5", ["version.Azure.AI.OpenAI": "2.0.0-beta.5"]),
        ("x-stainless-lang: js User-Agent: OpenAI/JS 4.67.3", ["version.openai-node": "4.67.3"]),
        ("added openai@4.67.3", ["version.openai-node": "4.67.3"]),
        ("pr-agent==0.24", ["version.pr-agent": "0.24"]),
        ("Downloading openai-1.51.0-py3-none-any.whl (383 kB)", ["version.openai": "1.51.0"]),
        ("litellm==1.52.0.post1", ["version.litellm": "1.52.0.post1"]),
        // Not versions
        ("info: Microsoft.KernelMemory.Service[0]", [:]),
        ("warn: Azure.Core[8]", [:]),
        ("Azure OpenAI 2024-06-01 is the api-version", [:]),
        ("OpenAI 4.0 models are great", [:]),
        ("litellm-1   | INFO: request ok", [:]),
        ("LiteLLM Retried: 2 times, LiteLLM Max Retries: 2", [:]),
        ("2025-03-12 09:10:36 debug: [OpenAIClient] Convo Title", [:]),
    ]

    @Test("Version lines", arguments: cases)
    func versionLine(line: String, expected: [String: String]) {
        #expect(lineVersions(line) == expected, "\(line)")
    }

    @Test("Every line with a version contains one of the version literals")
    func literalsCoverCases() {
        let literals = valuesExtractor.versionLiterals.map { $0.lowercased() }
        for (line, expected) in Self.cases where !expected.isEmpty {
            let lowered = line.lowercased()
            #expect(literals.contains { lowered.contains($0) }, "\(line)")
        }
    }
}

@Suite("Values: pattern tables")
struct ValuesPatternTableTests {
    @Test("Every pattern compiles and has a value group")
    func allCompile() {
        #expect(valuesExtractor.compiledPatternCount == ValueExtractor.tablePatternCount)
    }

    @Test("Every event pattern yields a literal prefilter")
    func eventLiterals() {
        for spec in ValuePatterns.event {
            #expect(LiteralExtractor.required(pattern: spec.pattern, options: spec.options) != nil, "\(spec.pattern)")
        }
    }

    @Test("Every version pattern yields a literal prefilter")
    func versionLiterals() {
        for spec in ValuePatterns.versions {
            #expect(LiteralExtractor.required(pattern: spec.pattern, options: spec.options) != nil, "\(spec.pattern)")
        }
    }

    @Test("Every version pattern names one of versionLiterals")
    func versionLiteralsNamed() {
        let literals = ValuePatterns.versionLiterals.map { $0.lowercased() }
        for spec in ValuePatterns.versions {
            let pattern = spec.pattern.lowercased().replacingOccurrences(of: "\\", with: "")
                .replacingOccurrences(of: "[-_]", with: "-").replacingOccurrences(of: " ?", with: " ")
            #expect(literals.contains { pattern.contains($0) }, "\(spec.pattern)")
        }
    }

    @Test("Milliseconds become seconds")
    func milliseconds() {
        #expect(ValueExtractor.seconds(fromMilliseconds: 14000) == "14")
        #expect(ValueExtractor.seconds(fromMilliseconds: 1500) == "1.5")
        #expect(ValueExtractor.seconds(fromMilliseconds: 6) == "0.006")
        #expect(ValueExtractor.seconds(fromMilliseconds: 1050) == "1.05")
    }
}

@Suite("Values: hostile input")
struct ValuesHostileInputTests {
    @Test("Long lines, repeated near-matches and invalid UTF-8 end quickly and find the real value")
    func hostile() {
        var bytes: [UInt8] = []
        let filler = Array(
            "https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb Status: 4x HTTP/1.1 \"".utf8)
        for _ in 0..<4_000 { bytes += filler }
        bytes += [0xFF, 0xFE, 0xC3, 0x28, 0x0A]
        bytes += Array(String(repeating: "a", count: 200_000).utf8) + [0x0A]
        bytes += Array(String(repeating: "Foo.", count: 5_000).utf8) + Array("BarError: x\n".utf8)
        bytes += Array("openai.NotFoundError: Error code: 404 - {'error': {'code': 'DeploymentNotFound'}}\n".utf8)
        let scratch = MatchScratch()
        let clock = ContinuousClock()
        var values: [String: String] = [:]
        let elapsed = clock.measure {
            values = bytes.withUnsafeBufferPointer { valuesExtractor.values(in: $0, using: scratch) }
        }
        #expect(values["status"] == "404")
        #expect(values["error.code"] == "DeploymentNotFound")
        #expect(values["exception"] == "openai.NotFoundError")
        #expect(elapsed < .seconds(10), "took \(elapsed)")
        let versions = bytes.withUnsafeBufferPointer { valuesExtractor.versions(inLine: $0, using: scratch) }
        #expect(versions.isEmpty)
    }
}
