import FaultlineEvents
import FaultlineModel
import Testing

/// JSON-lines log records: events whose text, level and time come from the record's fields.
@Suite("Structured (JSON-lines) records")
struct StructuredEventTests {
    /// One record through the reader at every buffer size; the events must not depend on it.
    private func single(_ record: String, bufferSize: Int) throws -> Event {
        let events = try assemble(log(record), bufferSize: bufferSize)
        #expect(events.count == 1)
        guard let ev = events.first else { throw TestFailure("no event") }
        #expect(ev.isStructured)
        #expect(ev.raw == record)
        #expect(Set(ev.numbers) == [1])
        return ev
    }

    // MARK: Shapes

    @Test("Winston JSON (LibreChat error log): message, stack lines, cause.code", arguments: bufferSizes)
    func winston(bufferSize: Int) throws {
        let record =
            #"{"level":"error","message":"[OpenAIClient.chatCompletion][stream] Unhandled error type Connection error.","stack":"Error: Connection error.\n    at OpenAI.makeRequest (/app/node_modules/openai/core.js:316:19)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)","cause":{"errno":-111,"code":"ECONNREFUSED","syscall":"connect","address":"10.0.3.7","port":443},"timestamp":"2025-05-07T21:44:03.123Z"}"#
        let ev = try single(record, bufferSize: bufferSize)
        #expect(
            ev.lineTexts == [
                "[OpenAIClient.chatCompletion][stream] Unhandled error type Connection error.",
                "Error: Connection error.",
                "    at OpenAI.makeRequest (/app/node_modules/openai/core.js:316:19)",
                "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
                "cause.errno: -111",
                "cause.code: ECONNREFUSED",
                "cause.syscall: connect",
            ])
        #expect(ev.level == .error)
        #expect(ev.timestamp == "2025-05-07T21:44:03.123Z")
        #expect(ev.fields["cause.code"] == "ECONNREFUSED")
        #expect(ev.fields["level"] == "error")
    }

    @Test("Winston JSON with an OpenAI error's fields spread into the record", arguments: bufferSizes)
    func winstonSpread(bufferSize: Int) throws {
        let record =
            #"{"level":"error","message":"[handleAbortError] AI response error; aborting request: 401 Incorrect API key provided: $OPENAI_API_KEY.","status":401,"headers":{"x-request-id":"req_1"},"error":{"message":"Incorrect API key provided: $OPENAI_API_KEY.","type":"invalid_request_error","param":null,"code":"invalid_api_key"},"code":"invalid_api_key","param":null,"type":"invalid_request_error","timestamp":"2025-05-07 21:44:03"}"#
        let ev = try single(record, bufferSize: bufferSize)
        #expect(
            ev.lineTexts == [
                "[handleAbortError] AI response error; aborting request: 401 Incorrect API key provided: $OPENAI_API_KEY.",
                "status: 401",
                "error.message: Incorrect API key provided: $OPENAI_API_KEY.",
                "error.type: invalid_request_error",
                "error.code: invalid_api_key",
                "code: invalid_api_key",
            ])
        #expect(ev.timestamp == "2025-05-07 21:44:03")
        #expect(ev.fields["status"] == "401")
    }

    @Test(
        "loguru serialize=True: record.message, traceback from text, record.level, record.time", arguments: bufferSizes)
    func loguru(bufferSize: Int) throws {
        let record =
            #"{"text": "2024-05-14 10:51:07.817 | ERROR    | pr_agent.algo.ai_handlers.litellm_ai_handler:chat_completion:318 - Error during LLM inference: litellm.AuthenticationError: AzureException AuthenticationError\nTraceback (most recent call last):\n  File \"/app/pr_agent/algo/ai_handlers/litellm_ai_handler.py\", line 312, in chat_completion\n    response = await acompletion(**kwargs)\nopenai.AuthenticationError: Error code: 401 - {'statusCode': 401, 'message': 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.'}\n", "record": {"elapsed": {"repr": "0:00:03.210000", "seconds": 3.21}, "exception": {"type": "AuthenticationError", "value": "Error code: 401", "traceback": true}, "extra": {}, "file": {"name": "litellm_ai_handler.py", "path": "/app/pr_agent/algo/ai_handlers/litellm_ai_handler.py"}, "function": "chat_completion", "level": {"icon": "\u274c", "name": "ERROR", "no": 40}, "line": 318, "message": "Error during LLM inference: litellm.AuthenticationError: AzureException AuthenticationError", "module": "litellm_ai_handler", "name": "pr_agent.algo.ai_handlers.litellm_ai_handler", "process": {"id": 1, "name": "MainProcess"}, "thread": {"id": 140, "name": "MainThread"}, "time": {"repr": "2024-05-14 10:51:07.817000+00:00", "timestamp": 1715683867.817}}}"#
        let ev = try single(record, bufferSize: bufferSize)
        #expect(
            ev.lineTexts == [
                "Error during LLM inference: litellm.AuthenticationError: AzureException AuthenticationError",
                "Traceback (most recent call last):",
                "  File \"/app/pr_agent/algo/ai_handlers/litellm_ai_handler.py\", line 312, in chat_completion",
                "    response = await acompletion(**kwargs)",
                "openai.AuthenticationError: Error code: 401 - {'statusCode': 401, 'message': 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.'}",
            ])
        #expect(ev.level == .error)
        #expect(ev.timestamp == "2024-05-14 10:51:07.817000+00:00")
        #expect(ev.fields["record.exception.type"] == "AuthenticationError")
    }

    @Test("loguru serialize=True without a traceback in text: type and value", arguments: bufferSizes)
    func loguruNoTraceback(bufferSize: Int) throws {
        let record =
            #"{"text": "2024-05-14 10:51:07.817 | WARNING  | app:call:9 - retrying\n", "record": {"exception": {"type": "RateLimitError", "value": "Error code: 429", "traceback": false}, "level": {"name": "WARNING", "no": 30}, "message": "retrying", "time": {"repr": "2024-05-14 10:51:07.817000+00:00", "timestamp": 1715683867.817}}}"#
        let ev = try single(record, bufferSize: bufferSize)
        #expect(ev.lineTexts == ["retrying", "RateLimitError: Error code: 429"])
        #expect(ev.level == .warning)
    }

    @Test("structlog JSON: event, level, timestamp, exception traceback", arguments: bufferSizes)
    func structlog(bufferSize: Int) throws {
        let record =
            #"{"event": "LLM call failed", "model": "gpt-4o", "level": "error", "timestamp": "2024-06-01T12:00:00.123456Z", "exception": "Traceback (most recent call last):\n  File \"/app/llm.py\", line 40, in call\n    resp = client.chat.completions.create(**params)\nopenai.RateLimitError: Error code: 429 - {'error': {'code': '429', 'message': 'Requests to the ChatCompletions_Create Operation have exceeded call rate limit.'}}"}"#
        let ev = try single(record, bufferSize: bufferSize)
        #expect(
            ev.lineTexts == [
                "LLM call failed",
                "Traceback (most recent call last):",
                "  File \"/app/llm.py\", line 40, in call",
                "    resp = client.chat.completions.create(**params)",
                "openai.RateLimitError: Error code: 429 - {'error': {'code': '429', 'message': 'Requests to the ChatCompletions_Create Operation have exceeded call rate limit.'}}",
            ])
        #expect(ev.level == .error)
        #expect(ev.timestamp == "2024-06-01T12:00:00.123456Z")
    }

    @Test("Serilog CLEF: @m, @l, @t, escaped .NET stack in @x with ---> and Status: lines", arguments: bufferSizes)
    func clef(bufferSize: Int) throws {
        let record =
            #"{"@t":"2024-09-12T08:14:02.1234567Z","@mt":"Embedding generation failed for {File}","@m":"Embedding generation failed for \"notes.txt\"","@i":"a1b2c3d4","@l":"Error","@x":"Microsoft.SemanticKernel.HttpOperationException: Service request failed.\r\nStatus: 429 (Too Many Requests)\r\n ---> Azure.RequestFailedException: Service request failed.\r\nStatus: 429 (Too Many Requests)\r\nErrorCode: 429\r\n\r\nContent:\r\n{\"error\":{\"code\":\"429\",\"message\":\"Please retry after 6 seconds.\"}}\r\n\r\nHeaders:\r\nRetry-After: 6\r\n\r\n   at Azure.Core.HttpPipelineExtensions.ProcessMessageAsync(HttpPipeline pipeline, HttpMessage message, RequestContext requestContext, CancellationToken cancellationToken)\r\n   --- End of inner exception stack trace ---\r\n   at Microsoft.SemanticKernel.Connectors.OpenAI.ClientCore.RunRequestAsync[T](Func`1 request)","File":"notes.txt"}"#
        let ev = try single(record, bufferSize: bufferSize)
        #expect(
            ev.lineTexts == [
                "Embedding generation failed for \"notes.txt\"",
                "Microsoft.SemanticKernel.HttpOperationException: Service request failed.",
                "Status: 429 (Too Many Requests)",
                " ---> Azure.RequestFailedException: Service request failed.",
                "Status: 429 (Too Many Requests)",
                "ErrorCode: 429",
                "",
                "Content:",
                "{\"error\":{\"code\":\"429\",\"message\":\"Please retry after 6 seconds.\"}}",
                "",
                "Headers:",
                "Retry-After: 6",
                "",
                "   at Azure.Core.HttpPipelineExtensions.ProcessMessageAsync(HttpPipeline pipeline, HttpMessage message, RequestContext requestContext, CancellationToken cancellationToken)",
                "   --- End of inner exception stack trace ---",
                "   at Microsoft.SemanticKernel.Connectors.OpenAI.ClientCore.RunRequestAsync[T](Func`1 request)",
            ])
        #expect(ev.level == .error)
        #expect(ev.timestamp == "2024-09-12T08:14:02.1234567Z")
        #expect(ev.fields["@l"] == "Error")
    }

    @Test("CLEF without @l is Information; @mt is rendered from the record's properties", arguments: bufferSizes)
    func clefTemplate(bufferSize: Int) throws {
        let record =
            #"{"@t":"2024-09-12T08:14:01.0000000Z","@mt":"Generating embeddings for {File} using {@Generator:l} ({Count} items) {{literal}} {Missing}","File":"notes.txt","Generator":"AzureOpenAITextEmbeddingGenerator","Count":12}"#
        let ev = try single(record, bufferSize: bufferSize)
        #expect(
            ev.lineTexts == [
                "Generating embeddings for notes.txt using AzureOpenAITextEmbeddingGenerator (12 items) {literal} {Missing}"
            ])
        #expect(ev.level == .info)
    }

    @Test(
        ".NET JSON console formatter: Message, LogLevel, Category, Exception with Status: 429", arguments: bufferSizes)
    func dotnetJSONConsole(bufferSize: Int) throws {
        let record =
            #"{"Timestamp":"08:14:02 ","EventId":0,"LogLevel":"Error","Category":"Microsoft.KernelMemory.Pipeline.InProcessPipelineOrchestrator","Message":"Pipeline step failed","Exception":"Azure.RequestFailedException: Requests to the Embeddings_Create Operation under Azure OpenAI API version 2024-02-01 have exceeded call rate limit of your current OpenAI S0 pricing tier.\nStatus: 429 (Too Many Requests)\nErrorCode: 429\n\nHeaders:\nRetry-After: 6\n\n   at Azure.Core.HttpPipelineExtensions.ProcessMessageAsync(HttpPipeline pipeline, HttpMessage message, RequestContext requestContext, CancellationToken cancellationToken)","State":{"Message":"Pipeline step failed","{OriginalFormat}":"Pipeline step failed"}}"#
        let ev = try single(record, bufferSize: bufferSize)
        #expect(ev.lineTexts.first == "Pipeline step failed")
        #expect(ev.lineTexts.contains("Status: 429 (Too Many Requests)"))
        #expect(
            ev.lineTexts.contains(
                "Azure.RequestFailedException: Requests to the Embeddings_Create Operation under Azure OpenAI API version 2024-02-01 have exceeded call rate limit of your current OpenAI S0 pricing tier."
            ))
        #expect(ev.lineTexts.last?.hasPrefix("   at Azure.Core.HttpPipelineExtensions") == true)
        #expect(ev.level == .error)
        #expect(ev.timestamp == "08:14:02")
        #expect(ev.fields["Category"] == "Microsoft.KernelMemory.Pipeline.InProcessPipelineOrchestrator")
    }

    @Test("python-json-logger: message, levelname, asctime, exc_info", arguments: bufferSizes)
    func pythonJSONLogger(bufferSize: Int) throws {
        let record =
            #"{"asctime": "2024-03-10 16:17:26,978", "levelname": "ERROR", "name": "jupyter_ai.chat_handlers.default", "message": "Error processing chat", "exc_info": "Traceback (most recent call last):\n  File \"/opt/conda/lib/python3.11/site-packages/jupyter_ai/chat_handlers/base.py\", line 170, in on_message\n    await self.process_message(message)\nopenai.InternalServerError: Error code: 500 - {'error': {'message': 'The server had an error processing your request.', 'type': 'server_error'}}"}"#
        let ev = try single(record, bufferSize: bufferSize)
        #expect(ev.lineTexts.count == 5)
        #expect(ev.lineTexts[1] == "Traceback (most recent call last):")
        #expect(ev.lineTexts[4].hasPrefix("openai.InternalServerError: Error code: 500"))
        #expect(ev.level == .error)
        #expect(ev.timestamp == "2024-03-10 16:17:26,978")
    }

    @Test("pino: numeric level, epoch time, msg, err.stack, err.status/err.code", arguments: bufferSizes)
    func pino(bufferSize: Int) throws {
        let record =
            #"{"level":50,"time":1715683867817,"pid":1,"hostname":"gw","msg":"upstream request failed","err":{"type":"APIError","message":"401 Incorrect API key provided","stack":"Error: 401 Incorrect API key provided\n    at APIError.generate (/app/node_modules/openai/error.js:44:20)","status":401,"code":"invalid_api_key"}}"#
        let ev = try single(record, bufferSize: bufferSize)
        #expect(
            ev.lineTexts == [
                "upstream request failed",
                "Error: 401 Incorrect API key provided",
                "    at APIError.generate (/app/node_modules/openai/error.js:44:20)",
                "err.status: 401",
                "err.code: invalid_api_key",
            ])
        #expect(ev.level == .error)
        #expect(ev.timestamp == "2024-05-14T10:51:07.817Z")
        #expect(ev.fields["err.code"] == "invalid_api_key")
    }

    @Test("pino err without a stack: type and message", arguments: bufferSizes)
    func pinoNoStack(bufferSize: Int) throws {
        let ev = try single(
            #"{"level":60,"time":1715683867,"msg":"fatal","err":{"type":"TypeError","message":"fetch failed"}}"#,
            bufferSize: bufferSize)
        #expect(ev.lineTexts == ["fatal", "TypeError: fetch failed"])
        #expect(ev.level == .critical)
        #expect(ev.timestamp == "2024-05-14T10:51:07.000Z")
    }

    @Test("Cloud Logging severity with the traceback inside the message", arguments: bufferSizes)
    func cloudSeverity(bufferSize: Int) throws {
        let record =
            #"{"severity":"ERROR","message":"Traceback (most recent call last):\n  File \"/srv/main.py\", line 10, in handler\n    raise RuntimeError(\"boom\")\nRuntimeError: boom","time":"2024-01-01T00:00:00Z","logging.googleapis.com/trace":"projects/p/traces/abc"}"#
        let ev = try single(record, bufferSize: bufferSize)
        #expect(ev.lineTexts.first == "Traceback (most recent call last):")
        #expect(ev.lineTexts.last == "RuntimeError: boom")
        #expect(ev.level == .error)
        #expect(ev.timestamp == "2024-01-01T00:00:00Z")
    }

    @Test(
        "level words and numbers map",
        arguments: [
            (#""level":"ERROR""#, LogLevel.error), (#""level":"Error""#, .error), (#""level":"fatal""#, .critical),
            (#""level":"critical""#, .critical), (#""level":"warn""#, .warning),
            (#""level":"\u001b[31merror\u001b[39m""#, .error),
            (#""level":30"#, .info), (#""level":40"#, .warning), (#""level":3"#, .error), (#""levelno":50"#, .critical),
            (#""severity":"WARNING""#, .warning), (#""severity":"EMERGENCY""#, .critical), (#""severity":500"#, .error),
            (#""level":{"name":"ERROR","no":40}"#, .error), (#""LogLevel":"Warning""#, .warning),
            (#""@l":"Fatal""#, .critical), (#""level":"http""#, .info), (#""levelname":"CRITICAL""#, .critical),
        ])
    func levels(field: String, expected: LogLevel) throws {
        let ev = try single(#"{"message":"m","# + field + "}", bufferSize: 4096)
        #expect(ev.level == expected, "\(field)")
    }

    @Test("a traceback printed right after a JSON record joins it", arguments: bufferSizes)
    func tracebackAfterRecord(bufferSize: Int) throws {
        let text = log(
            #"{"ts": "2023-05-22T20:07:52.457814+00:00", "message": "Oups...", "level": "ERROR", "exception": {"type": "ZeroDivisionError", "value": "division by zero", "traceback": true}}"#,
            "Traceback (most recent call last):",
            "  File \"/home/x/config.py\", line 102, in tinverse",
            "    1 / x",
            "ZeroDivisionError: division by zero",
            #"{"ts": "2023-05-22T20:07:53.000000+00:00", "message": "ok", "level": "INFO"}"#,
            "Traceback (most recent call last):",
            "  File \"/home/x/config.py\", line 1, in <module>"
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(events.map(\.numbers) == [[1, 1, 2, 3, 4, 5], [6], [7, 8]])
        #expect(
            events[0].lineTexts[0...2] == [
                "Oups...", "ZeroDivisionError: division by zero", "Traceback (most recent call last):",
            ])
        #expect(events[0].level == .error)
        #expect(events[0].timestamp == "2023-05-22T20:07:52.457814+00:00")
        #expect(events[1].level == .info)
        #expect(events.map(\.isStructured) == [true, true, false])
    }

    @Test("mixed input: text lines around records keep their assembly", arguments: bufferSizes)
    func mixed(bufferSize: Int) throws {
        let text = log(
            "2025-05-07 21:44:02 debug: [BaseClient] Loaded 12 messages",
            #"{"level":"warn","message":"[OpenAIClient] retrying","timestamp":"2025-05-07T21:44:03Z"}"#,
            "Error: 401 Unauthorized",
            "    at OpenAI.makeRequest (/app/node_modules/openai/core.js:306:30)",
            "Unhandled exception. Azure.RequestFailedException: Service request failed.",
            "Status: 401 (Unauthorized)",
            "Content:",
            #"{"statusCode": 401, "message": "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired."}"#,
            "{",
            "}",
            #"librechat-mongodb-1  | {"t":{"$date":"2025-05-07T21:44:04.001+00:00"},"s":"W",  "c":"NETWORK",  "msg":"Connection ended"}"#
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(events.map(\.numbers) == [[1], [2], [3, 4], [5, 6, 7, 8, 9, 10], [11]])
        #expect(events.map(\.isStructured) == [false, true, false, false, true])
        #expect(events.map(\.level) == [.debug, .warning, .error, .error, .warning])
        #expect(events[4].lineTexts == ["Connection ended"])
        #expect(events[4].timestamp == "2025-05-07T21:44:04.001+00:00")
    }

    // MARK: Truncation and nesting

    @Test("a record cut mid-string keeps the fields read so far and the string up to the cut", arguments: bufferSizes)
    func truncated(bufferSize: Int) throws {
        let text = log(
            #"{"level":"error","timestamp":"2025-05-07T21:44:03Z","message":"[OpenAIClient] 401 Incorrect API key provided: sk-abc"#,
            #"{"level":"error","message":"x","stack":"Error: boom\n    at f (a.js:1:2)\"#,
            #"{"level":"error","message":"cut in an escape \u00"#,
            #"{"level":"error","message":"done","cause":{"code":"ECONN"#
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(events.map(\.isStructured) == [true, true, true, true])
        #expect(events.map(\.level) == [.error, .error, .error, .error])
        #expect(events[0].lineTexts == ["[OpenAIClient] 401 Incorrect API key provided: sk-abc"])
        #expect(events[0].timestamp == "2025-05-07T21:44:03Z")
        #expect(events[1].lineTexts == ["x", "Error: boom", "    at f (a.js:1:2)"])
        #expect(events[2].lineTexts == ["cut in an escape \u{FFFD}"])
        #expect(events[3].lineTexts == ["done", "cause.code: ECONN"])
    }

    @Test("a record capped by the reader's line limit is still a record", arguments: bufferSizes)
    func cappedLine(bufferSize: Int) throws {
        let frames = (1...50).map { #"\n    at f\#($0) (/app/node_modules/openai/core.js:\#($0):1)"# }.joined()
        let record =
            #"{"level":"error","message":"[OpenAIClient] 429 Rate limit reached","timestamp":"2025-05-07T21:44:03Z","stack":"Error: 429 Rate limit reached"#
            + frames + #""}"#
        let events = try assemble(Array(log(record).utf8), bufferSize: bufferSize, maxLineBytes: 400)
        #expect(events.count == 1)
        #expect(events.first?.isStructured == true)
        #expect(
            events.first?.lineTexts.prefix(2) == [
                "[OpenAIClient] 429 Rate limit reached", "Error: 429 Rate limit reached",
            ])
        #expect(events.first?.level == .error)
    }

    @Test("an error JSON escaped inside the message reads as JSON after one unescape", arguments: bufferSizes)
    func nestedEscapedJSON(bufferSize: Int) throws {
        let record =
            #"{"level":"error","message":"[OpenAIClient] 400 {\"error\":{\"code\":\"content_filter\",\"message\":\"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.\",\"param\":\"prompt\",\"status\":400,\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\"}}}","timestamp":"2025-05-07T21:44:03Z"}"#
        let ev = try single(record, bufferSize: bufferSize)
        #expect(
            ev.lineTexts == [
                #"[OpenAIClient] 400 {"error":{"code":"content_filter","message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","param":"prompt","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation"}}}"#
            ])
    }

    @Test("lines starting with { that are no log record are assembled as text", arguments: bufferSizes)
    func notRecords(bufferSize: Int) throws {
        let text = log(
            #"{"error":{"code":"429","message":"Rate limit"}}"#,
            #"{"statusCode": 401, "message": "Unauthorized."}"#,
            #"{"level":"error","message":"x" "oops"}"#,
            "{not json at all",
            "{"
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(!events.contains { $0.isStructured })
        #expect(events.flatMap(\.numbers) == [1, 2, 3, 4, 5])
        #expect(events.first?.lineTexts == [#"{"error":{"code":"429","message":"Rate limit"}}"#])
    }

    // MARK: Hostile input

    @Test("hostile lines end quickly, never crash, and fall back to text", arguments: bufferSizes)
    func hostile(bufferSize: Int) throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let deepObjects = String(repeating: #"{"a":"#, count: 50_000) + "1" + String(repeating: "}", count: 50_000)
        var bytes: [UInt8] = []
        bytes += Array(String(repeating: "{", count: 100_000).utf8) + [0x0A]
        bytes += Array((#"{"level":"error","message":"m","a":"# + deep + "}").utf8) + [0x0A]
        bytes += Array((#"{"level":"error","message":"deep","d":"# + deepObjects + "}").utf8) + [0x0A]
        bytes +=
            Array((#"{"level":"error","message":"unterminated "# + String(repeating: "x", count: 100_000)).utf8)
            + [0x0A]
        bytes +=
            Array(#"{"level":"error","message":"bad "#.utf8) + [0xFF, 0xC3, 0x28, 0xED, 0xA0, 0x80]
            + Array(#" utf8"}"#.utf8) + [0x0A]
        bytes += Array(#"{"level":"error","message":"\u12G4 \uD800 alone \uDC00 \uD83D\uDE00 \u"}"#.utf8) + [0x0A]
        bytes += Array(String(repeating: #"{"a":"\"#, count: 20_000).utf8) + [0x0A]
        bytes +=
            Array((#"{"message":"x","level":"error","k":"# + String(repeating: #"[{"a":"#, count: 30_000)).utf8) + [
                0x0A
            ]
        let start = ContinuousClock.now
        let events = try assemble(bytes, bufferSize: bufferSize, maxLineBytes: 1 << 20)
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .seconds(bufferSize == 1 ? 20 : 5))
        #expect(events.flatMap(\.numbers).count >= 8)
        #expect(events.map(\.isStructured) == [false, true, true, true, true, true, false, true])
        #expect(events[1].lineTexts == ["m"])
        #expect(events[2].lineTexts == ["deep"])
        #expect(events[3].lineTexts.first?.count == 100_013)
        #expect(events[4].lineTexts == ["bad \u{FFFD}\u{FFFD}(\u{FFFD}\u{FFFD}\u{FFFD} utf8"])
        #expect(events[5].lineTexts == ["\u{FFFD}G4 \u{FFFD} alone \u{FFFD} 😀 \u{FFFD}"])
        #expect(events.allSatisfy { $0.level == .error || !$0.isStructured })
    }

    @Test("derived lines respect maxEventLines")
    func lineCap() throws {
        let frames = (1...40).map { #"\n    at f\#($0) (a.js:\#($0):1)"# }.joined()
        let record = #"{"level":"error","message":"m","stack":"Error: x"# + frames + #"","code":"E1"}"#
        let events = try assemble(log(record), bufferSize: 4096, options: AssemblerOptions(maxEventLines: 10))
        #expect(events.count == 1)
        #expect(events.first?.lineTexts.count == 10)
        #expect(events.first?.lineTexts.last == "    at f8 (a.js:8:1)")
    }
}
