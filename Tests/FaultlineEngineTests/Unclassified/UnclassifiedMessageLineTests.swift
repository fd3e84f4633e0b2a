import FaultlineModel
import Testing

@testable import FaultlineEngine

@Suite("Unclassified: message line")
struct UnclassifiedMessageLineTests {
    @Test("chained Python traceback: the last traceback's exception line")
    func chainedTraceback() {
        let lines = """
            2025-02-11 08:41:07.405 | WARNING  | pr_agent.algo.pr_processing:retry_with_fallback_models:331 - Failed to generate prediction with gpt-4o
            Traceback (most recent call last):
              File "/usr/local/lib/python3.12/site-packages/openai/_base_client.py", line 1610, in _request
                raise self._make_status_error_from_response(err.response) from None
            openai.AuthenticationError: Error code: 401 - {'statusCode': 401, 'message': 'Unauthorized.'}

            During handling of the above exception, another exception occurred:

            Traceback (most recent call last):
              File "/usr/local/lib/python3.12/site-packages/litellm/main.py", line 423, in acompletion
                response = await init_response
                           ^^^^^^^^^^^^^^^^^^^
            litellm.exceptions.AuthenticationError: litellm.AuthenticationError: AzureException AuthenticationError - Unauthorized. LiteLLM Retried: 1 times

            The above exception was the direct cause of the following exception:

            Traceback (most recent call last):
              File "/usr/local/lib/python3.12/site-packages/tenacity/__init__.py", line 326, in iter
                raise retry_exc from fut.exception()
            tenacity.RetryError: RetryError[<Future at 0x7f3a2c1d4e90 state=finished raised AuthenticationError>]
            """.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let picked = MessageLine.pick(lines)
        #expect(picked.index == lines.count - 1)
        #expect(
            picked.message
                == "tenacity.RetryError: RetryError[<Future at 0x7f3a2c1d4e90 state=finished raised AuthenticationError>]"
        )
    }

    @Test("indented traceback under a Jupyter [E …] line")
    func jupyterTraceback() {
        let lines = [
            "[E 2024-11-05 10:03:02.688 AiExtension] Error code: 500 - {'statusCode': 500, 'message': 'Internal server error'}",
            "    Traceback (most recent call last):",
            "      File \"/opt/conda/lib/python3.11/site-packages/jupyter_ai/chat_handlers/base.py\", line 226, in on_message",
            "        chunk: Output = await asyncio.create_task(",
            "    openai.InternalServerError: Error code: 500 - {'statusCode': 500, 'message': 'Internal server error'}",
        ]
        let picked = MessageLine.pick(lines)
        #expect(picked.index == 4)
        #expect(
            picked.message
                == "openai.InternalServerError: Error code: 500 - {'statusCode': 500, 'message': 'Internal server error'}"
        )
    }

    @Test("a single Jupyter [E …] line loses its bracketed prefix")
    func jupyterLine() {
        let picked = MessageLine.pick([
            "[E 2024-11-05 10:03:02.688 AiExtension] Error code: 500 - {'statusCode': 500, 'message': 'Internal server error'}"
        ])
        #expect(picked.index == 0)
        #expect(picked.message == "Error code: 500 - {'statusCode': 500, 'message': 'Internal server error'}")
    }

    @Test(".NET fail: block with inner exceptions: the outermost exception, with its status")
    func dotnetBlock() {
        let lines = [
            "fail: Microsoft.KernelMemory.Handlers.GenerateEmbeddingsHandler[0]",
            "      Embedding generation failed, pipeline 'handbooks/hr-handbook-2024', batch 4/26",
            "      Microsoft.KernelMemory.AI.AzureOpenAI.AzureOpenAIException: Service request failed.",
            "      Status: 401 (Unauthorized)",
            "",
            "      Content:",
            "      {\"statusCode\": 401, \"message\": \"Unauthorized.\"}",
            "       ---> Microsoft.SemanticKernel.HttpOperationException: Service request failed.",
            "      Status: 401 (Unauthorized)",
            "       ---> System.ClientModel.ClientResultException: Service request failed.",
            "         at Azure.AI.OpenAI.ClientPipelineExtensions.ProcessMessageAsync(ClientPipeline pipeline)",
            "         --- End of inner exception stack trace ---",
        ]
        let picked = MessageLine.pick(lines)
        #expect(picked.index == 2)
        #expect(
            picked.message
                == "Microsoft.KernelMemory.AI.AzureOpenAI.AzureOpenAIException: Service request failed. Status: 401 (Unauthorized)"
        )
    }

    @Test(".NET block without an exception: the line after the bare header")
    func dotnetBareHeader() {
        let picked = MessageLine.pick([
            "fail: Microsoft.KernelMemory.Pipeline.InProcessPipelineOrchestrator[0]",
            "      Handler 'gen_embeddings' failed to process pipeline 'handbooks/hr-handbook-2024'",
        ])
        #expect(picked.index == 1)
        #expect(picked.message == "Handler 'gen_embeddings' failed to process pipeline 'handbooks/hr-handbook-2024'")
    }

    @Test("Winston line with its Node stack: the first line, component name kept")
    func winston() {
        let picked = MessageLine.pick([
            "2025-03-12 09:14:55 error: [handleAbortError] AI response error; aborting request: 401 status code (no body)",
            "    at OpenAIClient.chatCompletion (/app/api/app/clients/OpenAIClient.js:1205:15)",
            "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
        ])
        #expect(picked.index == 0)
        #expect(picked.message == "[handleAbortError] AI response error; aborting request: 401 status code (no body)")
    }

    @Test("loguru line: time, level and module:function:line go")
    func loguru() {
        let picked = MessageLine.pick([
            "2025-02-11 08:41:06.317 | WARNING  | pr_agent.algo.ai_handlers.litellm_ai_handler:chat_completion:229 - Error during LLM inference: litellm.AuthenticationError: AzureException AuthenticationError - Unauthorized."
        ])
        #expect(
            picked.message
                == "Error during LLM inference: litellm.AuthenticationError: AzureException AuthenticationError - Unauthorized."
        )
    }

    @Test(
        "prefixes of common loggers",
        arguments: [
            ("2025-07-08 07:29:55,733 ERROR nightly.report: report 31 failed", "report 31 failed"),
            ("ERROR:root:Request failed", "Request failed"),
            (
                "INFO:httpx:HTTP Request: POST https://x.openai.azure.com/a \"HTTP/1.1 401 Unauthorized\"",
                "HTTP Request: POST https://x.openai.azure.com/a \"HTTP/1.1 401 Unauthorized\""
            ),
            (
                "08:13:02 - LiteLLM Proxy:ERROR: proxy_server.py:3561 - litellm.proxy.proxy_server.chat_completion(): Exception occured",
                "litellm.proxy.proxy_server.chat_completion(): Exception occured"
            ),
            (
                "2025-05-07T21:44:03.120Z error: [OpenAIClient] Unhandled error type Error: 500 The server had an error",
                "[OpenAIClient] Unhandled error type Error: 500 The server had an error"
            ),
            (
                "[18:01:30.133] fail: Microsoft.SemanticKernel.Kernel[0] Function failed. Error: HTTP 429 (429)",
                "Function failed. Error: HTTP 429 (429)"
            ),
            ("[04:30:08 ERR] Embedding request failed", "Embedding request failed"),
            ("<4>19:33:04 fail: Program[0] Something failed", "Something failed"),
            ("21:44:03,123 openai._base_client ERROR Request failed", "Request failed"),
            ("2024-01-02 10:00:00,001 12345 ERROR worker: job failed", "job failed"),
            ("Error: Connection error.", "Error: Connection error."),
            ("   ", ""),
        ])
    func prefixes(line: String, expected: String) {
        #expect(MessageLine.stripPrefix(line) == expected)
    }

    @Test("empty events and prefix-only lines do not trap")
    func edges() {
        #expect(MessageLine.pick([]) == (0, ""))
        #expect(MessageLine.pick(["2025-05-07 21:44:03 error:"]).message == "2025-05-07 21:44:03 error:")
        #expect(MessageLine.pick(["Traceback (most recent call last):"]).index == 0)
    }
}
