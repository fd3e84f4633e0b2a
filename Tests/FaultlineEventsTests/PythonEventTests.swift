import FaultlineEvents
import FaultlineModel
import Testing

@Suite("Python tracebacks")
struct PythonEventTests {
    static let site = "/usr/local/lib/python3.12/site-packages"
    static let azure401 =
        "{'statusCode': 401, 'message': 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.'}"

    /// pr-agent with litellm (loguru), openai error re-raised by litellm: a chained traceback
    /// announced by a WARNING line.
    static let chained = log(
        "2025-05-14 10:51:07.801 | INFO     | pr_agent.tools.pr_reviewer:run:112 - Reviewing PR: https://bitbucket.org/acme/payments-api/pull-requests/42",
        "2025-05-14 10:51:07.817 | WARNING  | pr_agent.algo.ai_handlers.litellm_ai_handler:chat_completion:318 - Error during LLM inference: litellm.AuthenticationError: AzureException AuthenticationError - Error code: 401 - \(azure401)",
        "Traceback (most recent call last):",
        "  File \"\(site)/litellm/llms/azure/azure.py\", line 627, in completion",
        "    response = azure_client.chat.completions.create(**data, timeout=timeout)",
        "  File \"\(site)/openai/_base_client.py\", line 1064, in _request",
        "    raise self._make_status_error_from_response(err.response) from None",
        "openai.AuthenticationError: Error code: 401 - \(azure401)",
        "",
        "During handling of the above exception, another exception occurred:",
        "",
        "Traceback (most recent call last):",
        "  File \"/app/pr_agent/algo/ai_handlers/litellm_ai_handler.py\", line 311, in chat_completion",
        "    response = await acompletion(**kwargs)",
        "  File \"\(site)/litellm/utils.py\", line 1237, in wrapper_async",
        "    raise e",
        "litellm.exceptions.AuthenticationError: litellm.AuthenticationError: AzureException AuthenticationError - Error code: 401 - \(azure401)",
        "",
        "2025-05-14 10:51:07.902 | WARNING  | pr_agent.algo.pr_processing:retry_with_fallback_models:331 - Failed to generate prediction with azure/gpt-4o"
    )

    @Test("a chained traceback joins its announcing log line", arguments: bufferSizes)
    func chainedWithAnnouncement(bufferSize: Int) throws {
        let events = try assemble(Self.chained, bufferSize: bufferSize)
        #expect(events.map { [$0.first, $0.last] } == [[1, 1], [2, 17], [19, 19]])
        let tb = events[1]
        #expect(tb.numbers == Array(2...17))
        #expect(tb.level == .warning)
        #expect(tb.timestamp == "2025-05-14 10:51:07.817")
        #expect(tb.lineTexts[8] == "During handling of the above exception, another exception occurred:")
        #expect(
            tb.lineTexts.last?.hasPrefix("litellm.exceptions.AuthenticationError: litellm.AuthenticationError") == true)
        #expect(!tb.text.hasSuffix("\n"))
        #expect(events[0].level == .info)
    }

    /// Python `logging` default format, `raise ... from e` chain, litellm exception mapping.
    static let directCause = log(
        "ERROR:root:Failed to generate prediction with azure/gpt-4o",
        "Traceback (most recent call last):",
        "  File \"\(site)/litellm/main.py\", line 1123, in completion",
        "    response = azure_chat_completions.completion(",
        "               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
        "  File \"\(site)/litellm/llms/azure/azure.py\", line 622, in completion",
        "    raise AzureOpenAIError(",
        "litellm.llms.azure.common_utils.AzureOpenAIError: Error code: 401 - \(azure401)",
        "",
        "The above exception was the direct cause of the following exception:",
        "",
        "Traceback (most recent call last):",
        "  File \"\(site)/litellm/main.py\", line 3056, in completion",
        "    raise exception_type(",
        "  File \"\(site)/litellm/litellm_core_utils/exception_mapping_utils.py\", line 2201, in exception_type",
        "    raise e",
        "litellm.exceptions.AuthenticationError: litellm.AuthenticationError: AzureException AuthenticationError - Error code: 401 - \(azure401)",
        "INFO:httpx:HTTP Request: POST https://contoso-eastus2.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-06-01 \"HTTP/1.1 200 OK\""
    )

    @Test("a litellm traceback chained with 'direct cause' ends at the litellm exception", arguments: bufferSizes)
    func litellmDirectCause(bufferSize: Int) throws {
        let events = try assemble(Self.directCause, bufferSize: bufferSize)
        #expect(events.map { [$0.first, $0.last] } == [[1, 17], [18, 18]])
        #expect(events[0].level == .error)
        #expect(events[0].timestamp == nil)
        #expect(
            events[0].lineTexts.last
                == "litellm.exceptions.AuthenticationError: litellm.AuthenticationError: AzureException AuthenticationError - Error code: 401 - \(Self.azure401)"
        )
        #expect(events[1].level == .info)
    }

    @Test("exception message continuation lines join until a new record", arguments: bufferSizes)
    func messageContinuation(bufferSize: Int) throws {
        let text = log(
            "2025-05-14 11:02:10.004 | WARNING  | pr_agent.algo.ai_handlers.litellm_ai_handler:chat_completion:318 - Failed to generate prediction with gpt4o-prod",
            "Traceback (most recent call last):",
            "  File \"\(Self.site)/litellm/litellm_core_utils/get_llm_provider_logic.py\", line 313, in get_llm_provider",
            "    raise litellm.exceptions.BadRequestError(  # type: ignore",
            "litellm.exceptions.BadRequestError: litellm.BadRequestError: LLM Provider NOT provided. Pass in the LLM provider you are trying to call. You passed model=gpt4o-prod",
            " Pass model as E.g. For 'Huggingface' inference endpoints pass in `completion(model='huggingface/starcoder',..)` Learn more: https://docs.litellm.ai/docs/providers",
            "2025-05-14 11:02:10.010 | INFO     | pr_agent.tools.pr_reviewer:run:140 - Done",
            "Traceback (most recent call last):",
            "  File \"/app/settings.py\", line 40, in load",
            "    return Settings()",
            "pydantic_core._pydantic_core.ValidationError: 2 validation errors for Settings",
            "openai_api_key",
            "  Field required [type=missing, input_value={'azure_endpoint': 'https://contoso-eastus2.openai.azure.com'}, input_type=dict]",
            "    For further information visit https://errors.pydantic.dev/2.7/v/missing",
            "api_version",
            "  Field required [type=missing, input_value={'azure_endpoint': 'https://contoso-eastus2.openai.azure.com'}, input_type=dict]",
            "    For further information visit https://errors.pydantic.dev/2.7/v/missing",
            "[2025-05-14 11:02:11,000] INFO in app: shutting down"
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(events.map { [$0.first, $0.last] } == [[1, 6], [7, 7], [8, 17], [18, 18]])
        #expect(events[2].level == .error)
        #expect(events[3].level == .info)
    }

    @Test("a healthy INFO line before a traceback is not its announcement", arguments: bufferSizes)
    func infoLineDoesNotAnnounce(bufferSize: Int) throws {
        let text = log(
            "2025-05-14 10:16:47,123 - httpx - INFO - HTTP Request: POST https://acme-oai-swc.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-06-01 \"HTTP/1.1 200 OK\"",
            "Traceback (most recent call last):",
            "  File \"/app/main.py\", line 12, in <module>",
            "    client.chat.completions.create(model=\"gpt-4o\", messages=msgs)",
            "openai.APIConnectionError: Connection error."
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(events.map { [$0.first, $0.last] } == [[1, 1], [2, 5]])
        #expect(events[1].level == .error)
    }

    @Test("Jupyter server: [E ...] line then an all-indented traceback", arguments: bufferSizes)
    func jupyterIndented(bufferSize: Int) throws {
        let text = log(
            "[I 2024-03-10 16:17:25.101 ServerApp] 200 GET /api/ai/chats (9f1c@127.0.0.1) 1.23ms",
            "[E 2024-03-10 16:17:26.978 ServerApp] Uncaught exception GET /api/ai/chats (127.0.0.1)",
            "    HTTPServerRequest(protocol='http', host='localhost:8888', method='GET', uri='/api/ai/chats', version='HTTP/1.1', remote_ip='127.0.0.1')",
            "    Traceback (most recent call last):",
            "      File \"/opt/conda/lib/python3.11/site-packages/jupyter_ai/chat_handlers/base.py\", line 226, in on_message",
            "        await self.process_message(message)",
            "      File \"/opt/conda/lib/python3.11/site-packages/openai/_base_client.py\", line 1064, in _request",
            "        raise self._make_status_error_from_response(err.response) from None",
            "    openai.InternalServerError: Error code: 500 - {'error': {'message': 'The server had an error while processing your request. Sorry about that!', 'type': 'server_error', 'param': None, 'code': None}}",
            "[W 2024-03-10 16:17:27.002 ServerApp] 404 GET /api/contents/untitled.ipynb?content=0 (127.0.0.1) 3.10ms"
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(events.map { [$0.first, $0.last] } == [[1, 1], [2, 9], [10, 10]])
        #expect(events.map(\.level) == [.info, .error, .warning])
        #expect(events[1].timestamp == "2024-03-10 16:17:26.978")
    }

    @Test("Jupyter [E ...] line then an unindented traceback joins", arguments: bufferSizes)
    func jupyterUnindented(bufferSize: Int) throws {
        let text = log(
            "[E 2024-03-10 16:17:26.978 AiExtension] Error during chat: Error code: 500",
            "Traceback (most recent call last):",
            "  File \"/opt/conda/lib/python3.11/site-packages/langchain_openai/chat_models/base.py\", line 2006, in _astream",
            "    async for chunk in super()._astream(*args, **kwargs):",
            "openai.InternalServerError: Error code: 500 - {'error': {'message': 'The server had an error while processing your request. Sorry about that!'}}"
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(events.map { [$0.first, $0.last] } == [[1, 5]])
        #expect(events[0].level == .error)
    }
}
