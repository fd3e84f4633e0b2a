import FaultlineEvents
import FaultlineModel
import Testing

@Suite(".NET exception blocks")
struct DotnetEventTests {
    /// Kernel Memory with the .NET console logger: every message line padded with 6 spaces,
    /// an HttpOperationException wrapping a RequestFailedException.
    static let failBlock = log(
        "info: Microsoft.KernelMemory.Handlers.GenerateEmbeddingsHandler[0]",
        "      Generating embeddings using AzureOpenAITextEmbeddingGenerator, file: notes.txt.partition.3.txt",
        "fail: Microsoft.KernelMemory.Pipeline.InProcessPipelineOrchestrator[0]",
        "      Pipeline step failed",
        "      Microsoft.SemanticKernel.HttpOperationException: Service request failed.",
        "      Status: 401 (Unauthorized)",
        "      ",
        "       ---> Azure.RequestFailedException: Service request failed.",
        "      Status: 401 (Unauthorized)",
        "      ErrorCode: 401",
        "      ",
        "      Content:",
        "      {\"statusCode\": 401, \"message\": \"Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.\"}",
        "      ",
        "      Headers:",
        "      Retry-After: REDACTED",
        "      x-ms-client-request-id: 1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
        "      apim-request-id: REDACTED",
        "      Date: Thu, 12 Sep 2024 08:14:02 GMT",
        "      Content-Length: 160",
        "      Content-Type: application/json",
        "      ",
        "         at Azure.Core.HttpPipelineExtensions.ProcessMessageAsync(HttpPipeline pipeline, HttpMessage message, RequestContext requestContext, CancellationToken cancellationToken)",
        "         at Azure.AI.OpenAI.OpenAIClient.GetEmbeddingsAsync(EmbeddingsOptions embeddingsOptions, CancellationToken cancellationToken)",
        "         --- End of inner exception stack trace ---",
        "         at Microsoft.SemanticKernel.Connectors.OpenAI.ClientCore.RunRequestAsync[T](Func`1 request)",
        "info: Microsoft.KernelMemory.Handlers.SaveRecordsHandler[0]",
        "      Saving 12 records into index 'default'"
    )

    @Test(
        "a fail: block with ---> inner exception and Status/ErrorCode/Content/Headers is one event",
        arguments: bufferSizes)
    func failBlockEvent(bufferSize: Int) throws {
        let events = try assemble(Self.failBlock, bufferSize: bufferSize)
        #expect(events.map { [$0.first, $0.last] } == [[1, 2], [3, 26], [27, 28]])
        #expect(events.map(\.level) == [.info, .error, .info])
        #expect(events[1].timestamp == nil)
        #expect(events[1].lineTexts.count == 24)
    }

    @Test("the same block behind GitHub timestamps, ANSI colours and CRLF groups the same way", arguments: bufferSizes)
    func wrappedFailBlock(bufferSize: Int) throws {
        let wrapped =
            Self.failBlock.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
                var l = String(line)
                for level in ["info", "fail"] where l.hasPrefix(level + ":") {
                    l = "\u{1B}[40m\u{1B}[32m\(level)\u{1B}[39m\u{1B}[22m\u{1B}[49m" + l.dropFirst(level.count)
                }
                return "2024-09-12T08:14:02.1234567Z " + l
            }.joined(separator: "\r\n") + "\r\n"
        let plain = try assemble(Self.failBlock, bufferSize: 4096)
        let events = try assemble(wrapped, bufferSize: bufferSize)
        #expect(events.map(\.numbers) == plain.map(\.numbers))
        #expect(events.map(\.text) == plain.map(\.text))
        #expect(events.map(\.level) == plain.map(\.level))
        #expect(events[1].raw.hasPrefix("2024-09-12T08:14:02.1234567Z \u{1B}[40m"))
        #expect(events[1].timestamp == "2024-09-12T08:14:02.1234567Z")
    }

    /// An unhandled exception printed by the runtime: sections unindented, blank lines between.
    static let rawRequestFailed = log(
        "Unhandled exception. Azure.RequestFailedException: Requests to the Embeddings_Create Operation under Azure OpenAI API version 2024-02-01 have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.",
        "Status: 429 (Too Many Requests)",
        "ErrorCode: 429",
        "",
        "Content:",
        "{",
        "  \"error\": {",
        "    \"code\": \"429\",",
        "    \"message\": \"Requests to the Embeddings_Create Operation under Azure OpenAI API version 2024-02-01 have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds.\"",
        "  }",
        "}",
        "",
        "Headers:",
        "Retry-After: 6",
        "x-ratelimit-reset-requests: REDACTED",
        "apim-request-id: REDACTED",
        "Date: Thu, 12 Sep 2024 08:14:02 GMT",
        "Content-Length: 343",
        "Content-Type: application/json",
        "",
        "   at Azure.Core.HttpPipelineExtensions.ProcessMessageAsync(HttpPipeline pipeline, HttpMessage message, RequestContext requestContext, CancellationToken cancellationToken)",
        "   at Azure.AI.OpenAI.OpenAIClient.GetEmbeddingsAsync(EmbeddingsOptions embeddingsOptions, CancellationToken cancellationToken)",
        "   at Program.<Main>$(String[] args) in /src/Program.cs:line 17",
        "   at Program.<Main>(String[] args)",
        "",
        "Process finished with exit code 134."
    )

    @Test("a raw unindented Azure.RequestFailedException with blank lines between sections", arguments: bufferSizes)
    func rawRequestFailed(bufferSize: Int) throws {
        let events = try assemble(Self.rawRequestFailed, bufferSize: bufferSize)
        #expect(events.map { [$0.first, $0.last] } == [[1, 24], [26, 26]])
        #expect(events[0].level == .error)
        #expect(events[0].lineTexts[3] == "")
        #expect(events[0].lineTexts[12] == "Headers:")
        #expect(events[1].level == nil)
    }

    @Test("raw nested exceptions: ---> inner exception repeating the sections", arguments: bufferSizes)
    func rawNested(bufferSize: Int) throws {
        let text = log(
            "Unhandled exception. Microsoft.SemanticKernel.HttpOperationException: Service request failed.",
            "Status: 404 (Not Found)",
            "ErrorCode: DeploymentNotFound",
            "",
            " ---> Azure.RequestFailedException: The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
            "Status: 404 (Not Found)",
            "ErrorCode: DeploymentNotFound",
            "",
            "Content:",
            "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.\"}}",
            "",
            "Headers:",
            "x-ms-client-request-id: 6fb86cc9-4d49-7c5c-931c-d9c0a176c492",
            "Content-Type: application/json",
            "",
            "   at Azure.Core.HttpPipelineExtensions.ProcessMessageAsync(HttpPipeline pipeline, HttpMessage message, RequestContext requestContext, CancellationToken cancellationToken)",
            "   --- End of inner exception stack trace ---",
            "   at Microsoft.SemanticKernel.Connectors.OpenAI.ClientCore.RunRequestAsync[T](Func`1 request)",
            "   at Program.<Main>$(String[] args) in /src/Program.cs:line 42",
            "info: Microsoft.Hosting.Lifetime[0]",
            "      Application is shutting down..."
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(events.map { [$0.first, $0.last] } == [[1, 19], [20, 21]])
    }

    @Test("Serilog [.. ERR] line with a ClientResultException and its message paragraph", arguments: bufferSizes)
    func serilogClientResult(bufferSize: Int) throws {
        let text = log(
            "[04:30:08 INF] Generating embeddings for 12 partitions",
            "[04:30:09 ERR] Embedding generation failed",
            "System.ClientModel.ClientResultException: HTTP 429 (429)",
            "",
            "Rate limit is exceeded. Try again in 40 seconds.",
            "   at OpenAI.ClientPipelineExtensions.ProcessMessageAsync(ClientPipeline pipeline, PipelineMessage message, RequestOptions options)",
            "   at OpenAI.Embeddings.EmbeddingClient.GenerateEmbeddingsAsync(BinaryContent content, RequestOptions options)",
            "[04:30:10 INF] Retrying in 40 seconds"
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(events.map { [$0.first, $0.last] } == [[1, 1], [2, 7], [8, 8]])
        #expect(events.map(\.level) == [.info, .error, .info])
        #expect(events[1].timestamp == "04:30:09")
    }

    @Test("input starting mid-event yields an event starting there", arguments: bufferSizes)
    func midEvent(bufferSize: Int) throws {
        let text = log(
            "   at Azure.AI.OpenAI.OpenAIClient.GetEmbeddingsAsync(EmbeddingsOptions embeddingsOptions, CancellationToken cancellationToken)",
            "   at Microsoft.KernelMemory.Handlers.GenerateEmbeddingsHandler.InvokeAsync(DataPipeline pipeline, CancellationToken cancellationToken) in /src/service/Core/Handlers/GenerateEmbeddingsHandler.cs:line 98",
            "info: Microsoft.KernelMemory.Handlers.SaveRecordsHandler[0]",
            "      Saving 3 records into index 'default'"
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(events.map { [$0.first, $0.last] } == [[1, 2], [3, 4]])
        #expect(events[0].level == nil)

        let python = log(
            "  File \"/usr/local/lib/python3.12/site-packages/openai/_base_client.py\", line 1000, in _request",
            "    raise APIConnectionError(request=request) from err",
            "openai.APIConnectionError: Connection error.",
            "2025-05-14 10:51:07.902 | WARNING  | pr_agent.algo.pr_processing:retry_with_fallback_models:331 - Failed to generate prediction with azure/gpt-4o"
        )
        let pyEvents = try assemble(python, bufferSize: bufferSize)
        #expect(pyEvents.map { [$0.first, $0.last] } == [[1, 3], [4, 4]])
        #expect(pyEvents[0].level == .error)
    }
}

@Suite("Node / Winston")
struct NodeEventTests {
    @Test("a Winston error line with its Node stack, and a util.inspect object", arguments: bufferSizes)
    func winstonStack(bufferSize: Int) throws {
        let message =
            "401 Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."
        let text = log(
            "2025-05-07 21:44:02 debug: [BaseClient] Loaded 12 messages",
            "2025-05-07 21:44:03 error: [OpenAIClient.chatCompletion][stream] Unhandled error type Error: \(message)",
            "2025-05-07 21:44:03 error: [handleAbortError] AI response error; aborting request: \(message)",
            "Error: \(message)",
            "    at APIError.generate (/app/node_modules/openai/error.js:44:20)",
            "    at OpenAI.makeStatusError (/app/node_modules/openai/core.js:263:33)",
            "    at OpenAI.makeRequest (/app/node_modules/openai/core.js:306:30)",
            "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
            "    at async OpenAIClient.chatCompletion (/app/api/app/clients/OpenAIClient.js:1203:24)",
            "2025-05-07 21:44:04 debug: [OpenAIClient] chatCompletion response {",
            "  object: 'chat.completion',",
            "  choices: [",
            "    {",
            "      message: [Object],",
            "    }",
            "  ],",
            "  text: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor... [truncated]'",
            "}",
            "2025-05-07 21:44:05 info: Server listening on all interfaces at port 3080. Use http://localhost:3080 to access it"
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(events.map { [$0.first, $0.last] } == [[1, 1], [2, 2], [3, 9], [10, 18], [19, 19]])
        #expect(events.map(\.level) == [.debug, .error, .error, .debug, .info])
        #expect(events[2].timestamp == "2025-05-07 21:44:03")
        #expect(events[2].lineTexts[1] == "Error: \(message)")
    }

    @Test("Winston JSON lines are single events with level and timestamp", arguments: bufferSizes)
    func winstonJSON(bufferSize: Int) throws {
        let text = log(
            "{\"level\":\"error\",\"message\":\"[handleAbortError] AI response error; aborting request: Connection error.\",\"stack\":\"FetchError: request to https://contoso-eastus2.openai.azure.com/openai/deployments/gpt-4o/chat/completions failed, reason: getaddrinfo ENOTFOUND contoso-eastus2.openai.azure.com\\n    at ClientRequest.<anonymous> (/app/node_modules/node-fetch/lib/index.js:1501:11)\",\"timestamp\":\"2025-05-07T21:44:03.123Z\"}",
            "{\"level\":\"info\",\"message\":\"Server listening at port 3080\",\"timestamp\":\"2025-05-07T21:44:04.000Z\"}"
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(events.map { [$0.first, $0.last] } == [[1, 1], [2, 2]])
        #expect(events.map(\.level) == [.error, .info])
        #expect(events.map(\.timestamp) == ["2025-05-07T21:44:03.123Z", "2025-05-07T21:44:04.000Z"])
    }

    @Test("docker compose prefixes are peeled before assembly", arguments: bufferSizes)
    func composeStack(bufferSize: Int) throws {
        let text = log(
            "LibreChat   | 2025-05-07 21:44:03 error: [handleAbortError] AI response error; aborting request: Connection error.",
            "LibreChat   | FetchError: request to https://contoso-eastus2.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-06-01 failed, reason: connect ECONNREFUSED 10.0.3.7:443",
            "LibreChat   |     at ClientRequest.<anonymous> (/app/node_modules/node-fetch/lib/index.js:1501:11)",
            "LibreChat   |     at ClientRequest.emit (node:events:519:28)",
            "librechat-mongodb-1  | {\"t\":{\"$date\":\"2025-05-07T21:44:04.001+00:00\"},\"s\":\"I\",  \"c\":\"NETWORK\",  \"msg\":\"Connection ended\"}"
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(events.map { [$0.first, $0.last] } == [[1, 4], [5, 5]])
        #expect(
            events[0].lineTexts[2]
                == "    at ClientRequest.<anonymous> (/app/node_modules/node-fetch/lib/index.js:1501:11)")
        #expect(events[0].raw.hasPrefix("LibreChat   | 2025-05-07"))
    }
}
