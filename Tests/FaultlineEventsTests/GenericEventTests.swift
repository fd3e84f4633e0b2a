import FaultlineEvents
import FaultlineIngest
import FaultlineModel
import Testing

@Suite("Generic assembly")
struct GenericEventTests {
    @Test("healthy lines are each their own event", arguments: bufferSizes)
    func healthyLines(bufferSize: Int) throws {
        let text = log(
            "2025-05-14 10:16:47,123 - httpx - INFO - HTTP Request: POST https://acme-oai-swc.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-06-01 \"HTTP/1.1 200 OK\"",
            "2025-05-14 10:16:47,201 - openai._base_client - DEBUG - request_id: 9f1c2a7e-0c4b-4a44-9d7b-7a1f3f5c9e01",
            "10:16:47 - LiteLLM:DEBUG: utils.py:297 - litellm.completion(model='azure/gpt-4o', temperature=0.2, stream=False)",
            "2025-05-14 10:16:48.002 | INFO     | pr_agent.tools.pr_reviewer:run:112 - Reviewing PR: https://bitbucket.org/acme/docs-site/pull-requests/7",
            "info: Microsoft.Hosting.Lifetime[14]",
            "2025-05-07 21:44:03 info: [AskController] Request for conversation 3a902931 (endpoint: azureOpenAI, stream: true)",
            "[I 2024-03-10 16:17:25.101 ServerApp] 200 GET /api/kernels (9f1c@127.0.0.1) 1.23ms"
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(events.map(\.first) == Array(1...7))
        #expect(events.allSatisfy { $0.first == $0.last })
        #expect(events.map(\.level) == [.info, .debug, .debug, .info, .info, .info, .info])
    }

    @Test("single error lines stay single events", arguments: bufferSizes)
    func singleErrors(bufferSize: Int) throws {
        let text = log(
            "INFO:httpx:HTTP Request: POST https://contoso-eastus2.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-02-01 \"HTTP/1.1 401 Unauthorized\"",
            "2025-05-07 21:44:03 error: [OpenAIClient.chatCompletion][stream] Unhandled error type Error: 500 The server had an error while processing your request. Sorry about that!",
            "<3>19:33:04 Program[0] Request to Azure OpenAI failed with 429",
            "[18:01:30.133] fail: Microsoft.SemanticKernel.KernelFunction[0] Function failed. Error: HTTP 404 (: DeploymentNotFound)"
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(events.map { [$0.first, $0.last] } == [[1, 1], [2, 2], [3, 3], [4, 4]])
        #expect(events.map(\.level) == [.info, .error, .error, .error])
    }

    @Test("blank lines are kept only inside events", arguments: bufferSizes)
    func blankLines(bufferSize: Int) throws {
        let text = log(
            "",
            "2025-05-07 21:44:03 warn: [BaseClient] Context Count (1/2) { remainingContextTokens: 2828, maxContextTokens: 128000 }",
            "",
            "",
            "2025-05-07 21:44:04 info: next",
            "   ",
            "fail: Microsoft.KernelMemory.Handlers.GenerateEmbeddingsHandler[0]",
            "      Embedding generation failed",
            "",
            "      Status: 500 (Internal Server Error)",
            ""
        )
        let events = try assemble(text, bufferSize: bufferSize)
        #expect(events.map(\.numbers) == [[2], [5], [7, 8, 9, 10]])
        #expect(
            events[2].text
                == "fail: Microsoft.KernelMemory.Handlers.GenerateEmbeddingsHandler[0]\n      Embedding generation failed\n\n      Status: 500 (Internal Server Error)"
        )
        #expect(events[0].text == events[0].lineTexts[0])
    }

    @Test("events are capped by line count; remaining continuation lines start a new event", arguments: bufferSizes)
    func lineCap(bufferSize: Int) throws {
        var lines = [
            "2025-05-14 10:51:07.817 | ERROR    | pr_agent.algo.ai_handlers.litellm_ai_handler:chat_completion:318 - Error during LLM inference",
            "Traceback (most recent call last):",
        ]
        for i in 0..<11 {
            lines.append("  File \"/app/recursion.py\", line \(i + 10), in f")
            lines.append("    return f(n - 1)")
        }
        lines.append("RecursionError: maximum recursion depth exceeded")
        lines.append("2025-05-14 10:51:08.000 | INFO     | pr_agent.tools.pr_reviewer:run:140 - Done")
        let text = lines.joined(separator: "\n") + "\n"
        let events = try assemble(text, bufferSize: bufferSize, options: AssemblerOptions(maxEventLines: 10))
        #expect(events.map { [$0.first, $0.last] } == [[1, 10], [11, 20], [21, 25], [26, 26]])
        #expect(events[2].lineTexts.last == "RecursionError: maximum recursion depth exceeded")
    }

    @Test("events are capped by bytes", arguments: bufferSizes)
    func byteCap(bufferSize: Int) throws {
        var lines = ["2025-05-07 21:44:03 error: [handleAbortError] AI response error", "Error: 500 boom"]
        for i in 0..<10 { lines.append("    at fn\(i) (/app/api/app/clients/OpenAIClient.js:\(1000 + i):24)") }
        let text = lines.joined(separator: "\n") + "\n"
        let events = try assemble(text, bufferSize: bufferSize, options: AssemblerOptions(maxEventBytes: 200))
        #expect(events.count > 1)
        #expect(events.allSatisfy { $0.raw.utf8.count <= 200 })
        #expect(events.flatMap(\.numbers) == Array(1...12))
    }

    @Test("ANSI is removed from event text but kept in raw; invalid UTF-8 survives", arguments: bufferSizes)
    func ansiAndInvalidUTF8(bufferSize: Int) throws {
        var bytes = Array("2025-05-14 10:17:06 \u{1B}[31merror\u{1B}[39m: [titleConvo] Title: caf".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\n    at titleConvo (/app/api/server/services/Endpoints/openAI/addTitle.js:22:11)\n".utf8)
        let events = try assemble(bytes, bufferSize: bufferSize)
        #expect(events.count == 1)
        let ev = try #require(events.first)
        #expect(ev.numbers == [1, 2])
        #expect(ev.level == .error)
        #expect(ev.lineTexts[0] == "2025-05-14 10:17:06 error: [titleConvo] Title: caf\u{FFFD}(")
        #expect(ev.raw.contains("\u{1B}[31merror"))
        #expect(!ev.text.contains("\u{1B}"))
    }

    @Test("a truncated line is still one line of an event", arguments: bufferSizes)
    func truncatedLineInEvent(bufferSize: Int) throws {
        let long = "2025-05-07 21:44:04 debug: [OpenAIClient] body " + String(repeating: "z", count: 300)
        let bytes = Array((long + "\n2025-05-07 21:44:05 info: ok\n").utf8)
        let events = try assemble(bytes, bufferSize: bufferSize, maxLineBytes: 64)
        #expect(events.map(\.numbers) == [[1], [2]])
        #expect(events[0].raw.utf8.count == 64)
    }

    @Test("EventView helpers are safe out of range")
    func outOfRange() {
        let empty = EventView(
            source: "x", text: UnsafeBufferPointer(start: nil, count: 0),
            raw: UnsafeBufferPointer(start: nil, count: 0),
            lines: UnsafeBufferPointer(start: nil, count: 0))
        #expect(empty.lineText(3) == "")
        #expect(empty.rawLineText(-1) == "")
        #expect(empty.firstLine == 0)
        #expect(empty.level() == nil)
        #expect(empty.timestamp() == nil)
    }
}

@Suite("Level and timestamp extraction")
struct LevelTimestampTests {
    struct Case: Sendable, CustomStringConvertible {
        var line: String
        var level: LogLevel?
        var timestamp: String?
        var description: String { line }
    }

    static let cases: [Case] = [
        Case(
            line: "2024-05-01 12:00:00.123 | ERROR    | pr_agent.algo:chat_completion:318 - Error during LLM inference",
            level: .error, timestamp: "2024-05-01 12:00:00.123"),
        Case(
            line: "2024-05-01 12:00:00.123 | WARNING  | pr_agent.algo:retry:331 - Failed to generate prediction",
            level: .warning, timestamp: "2024-05-01 12:00:00.123"),
        Case(line: "ERROR:root:Failed to generate prediction with azure/gpt-4o", level: .error, timestamp: nil),
        Case(
            line: "WARNING:openai._base_client:Retrying request to /chat/completions in 0.8 seconds", level: .warning,
            timestamp: nil),
        Case(
            line: "E 2024-03-10 16:17:26.978 ServerApp] Uncaught exception", level: .error,
            timestamp: "2024-03-10 16:17:26.978"),
        Case(
            line: "[W 2024-03-10 16:17:26.978 ServerApp] 404 GET /api/contents", level: .warning,
            timestamp: "2024-03-10 16:17:26.978"),
        Case(
            line: "2025-05-07 21:44:03 error: [OpenAIClient] Unhandled error type Error: 401", level: .error,
            timestamp: "2025-05-07 21:44:03"),
        Case(line: "error: [handleAbortError] AI response error; aborting request: 401", level: .error, timestamp: nil),
        Case(
            line: "{\"level\":\"error\",\"message\":\"x\",\"timestamp\":\"2025-05-07T21:44:03.123Z\"}", level: .error,
            timestamp: "2025-05-07T21:44:03.123Z"),
        Case(
            line: "{\"level\":50,\"time\":\"2025-05-07T21:44:03.123Z\",\"msg\":\"x\"}", level: .error,
            timestamp: "2025-05-07T21:44:03.123Z"),
        Case(
            line:
                "{\"text\": \"x\\n\", \"record\": {\"level\": {\"icon\": \"\u{274C}\", \"name\": \"ERROR\", \"no\": 40}}}",
            level: .error, timestamp: nil),
        Case(line: "fail: Microsoft.KernelMemory.Handlers.GenerateEmbeddingsHandler[0]", level: .error, timestamp: nil),
        Case(line: "crit: Microsoft.AspNetCore.Hosting.Diagnostics[6]", level: .critical, timestamp: nil),
        Case(line: "warn: Microsoft.KernelMemory.Search.SearchClient[0]", level: .warning, timestamp: nil),
        Case(line: "info: Azure.Core[1]", level: .info, timestamp: nil),
        Case(line: "dbug: Azure.Core[1]", level: .debug, timestamp: nil),
        Case(line: "trce: Microsoft.SemanticKernel.Kernel[0]", level: .trace, timestamp: nil),
        Case(line: "<3>19:33:04 Program[0] Request failed", level: .error, timestamp: "19:33:04"),
        Case(line: "<4>19:33:04 Program[0] Retrying", level: .warning, timestamp: "19:33:04"),
        Case(line: "[04:30:08 ERR] Embedding generation failed", level: .error, timestamp: "04:30:08"),
        Case(line: "[04:30:08 WRN] Rate limit reached", level: .warning, timestamp: "04:30:08"),
        Case(
            line: "[18:01:30.133] fail: Microsoft.SemanticKernel.KernelFunction[0]", level: .error,
            timestamp: "18:01:30.133"),
        Case(
            line: "21:44:03,123 openai._base_client DEBUG Retrying due to status code 429", level: .debug,
            timestamp: "21:44:03,123"),
        Case(
            line: "2025-05-14 10:16:47,123 - httpx - INFO - HTTP Request: POST https://x \"HTTP/1.1 401 Unauthorized\"",
            level: .info, timestamp: "2025-05-14 10:16:47,123"),
        Case(
            line: "10:16:47 - LiteLLM:DEBUG: utils.py:297 - litellm.completion(model='azure/gpt-4o')", level: .debug,
            timestamp: "10:16:47"),
        Case(line: "2025-05-07T21:44:03+02:00 app[web.1]: started", level: nil, timestamp: "2025-05-07T21:44:03+02:00"),
        Case(line: "Collecting litellm==1.52.0", level: nil, timestamp: nil),
        Case(line: "openai.AuthenticationError: Error code: 401 - {'statusCode': 401}", level: .error, timestamp: nil),
        Case(
            line: "2025-01-02T03:04:05.1234567Z ##[error]Process completed with exit code 1.", level: .error,
            timestamp: "2025-01-02T03:04:05.1234567Z"),
    ]

    @Test("level and timestamp of a first line", arguments: cases)
    func extraction(c: Case) throws {
        let events = try assemble(c.line + "\n", bufferSize: 4096)
        let ev = try #require(events.first)
        #expect(ev.level == c.level)
        #expect(ev.timestamp == c.timestamp)
    }
}
