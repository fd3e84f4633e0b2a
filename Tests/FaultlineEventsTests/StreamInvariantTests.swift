import FaultlineEvents
import FaultlineIngest
import Testing

/// Regression guard: assembly must not depend on where read-buffer boundaries fall.
@Suite("Stream invariants")
struct StreamInvariantTests {
    /// Deterministic xorshift generator (no Foundation, same sequence everywhere).
    struct Rng {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
    }

    static let fragments: [String] = [
        "2025-05-14 10:51:07.817 | WARNING  | pr_agent.algo.ai_handlers.litellm_ai_handler:chat_completion:318 - Error during LLM inference",
        "2025-05-14 10:16:47,123 - httpx - INFO - HTTP Request: POST https://x.openai.azure.com \"HTTP/1.1 200 OK\"",
        "Traceback (most recent call last):",
        "  File \"/app/main.py\", line 12, in <module>",
        "    client.chat.completions.create(model=\"gpt-4o\")",
        "openai.RateLimitError: Error code: 429 - {'error': {'code': '429', 'message': 'Requests to the ChatCompletions_Create Operation have exceeded token rate limit.'}}",
        "During handling of the above exception, another exception occurred:",
        "fail: Microsoft.KernelMemory.Handlers.GenerateEmbeddingsHandler[0]",
        "      Azure.RequestFailedException: Service request failed.",
        "Status: 429 (Too Many Requests)",
        "Content:",
        "Headers:",
        "Retry-After: 6",
        "{",
        "}",
        "   at Azure.Core.HttpPipelineExtensions.ProcessMessageAsync(HttpPipeline pipeline)",
        " ---> System.ClientModel.ClientResultException: HTTP 429 (429)",
        "Unhandled exception. System.Net.Http.HttpRequestException: Name or service not known",
        "2025-05-07 21:44:03 \u{1B}[31merror\u{1B}[39m: [handleAbortError] AI response error",
        "Error: 401 Unauthorized",
        "    at OpenAI.makeRequest (/app/node_modules/openai/core.js:306:30)",
        "[04:30:09 ERR] Embedding generation failed",
        "LibreChat   | 2025-05-07 21:44:03 info: Server listening",
        "2025-01-02T03:04:05.1234567Z ##[group]Run pip install -r requirements.txt",
        "",
        "   ",
        "\u{1B}]8;;https://aka.ms\u{07}link\u{1B}]8;;\u{07}",
        #"{"level":"error","message":"[OpenAIClient] 401","stack":"Error: 401 Unauthorized\n    at OpenAI.makeRequest (core.js:306:30)\n    at async run (a.js:1:1)","cause":{"code":"ECONNREFUSED"},"timestamp":"2025-05-07T21:44:03.123Z"}"#,
        #"{"@t":"2024-09-12T08:14:02Z","@mt":"Failed {File}","@l":"Error","@x":"Azure.RequestFailedException: x\r\nStatus: 429 (Too Many Requests)\r\n ---> System.Exception: y","File":"a.txt"}"#,
        #"{"level":"info","message":"cut mid-string \"#,
        #"{"level":50,"msg":"m","err":{"type":"APIError","message":"401"}}"#,
    ]

    static func corpus(seed: UInt64, lines: Int) -> [UInt8] {
        var rng = Rng(state: seed)
        var out: [UInt8] = []
        for _ in 0..<lines {
            if rng.next(40) == 0 {
                for _ in 0..<rng.next(30) { out.append(UInt8(truncatingIfNeeded: rng.next(256))) }
            } else {
                out += Array(fragments[rng.next(fragments.count)].utf8)
            }
            switch rng.next(10) {
            case 0: out += [0x0D, 0x0A]
            case 1: out.append(0x0D)
            default: out.append(0x0A)
            }
        }
        return out
    }

    @Test("events are identical across read-buffer sizes and cover every non-blank line", arguments: [1, 2, 3])
    func identicalAcrossBufferSizes(seed: Int) throws {
        let bytes = Self.corpus(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1, lines: 1500)
        let options = AssemblerOptions(maxEventLines: 12, maxEventBytes: 600)
        let reference = try assemble(bytes, bufferSize: 65536, maxLineBytes: 200, options: options)
        for size in [1, 7, 4096] {
            let events = try assemble(bytes, bufferSize: size, maxLineBytes: 200, options: options)
            #expect(events == reference, "buffer size \(size)")
        }
        let covered = Set(reference.flatMap(\.numbers))
        for number in try nonBlankLineNumbers(bytes, maxLineBytes: 200) {
            #expect(covered.contains(number), "line \(number) is in no event")
        }
        var previous = 0
        for ev in reference {
            #expect(ev.first > previous)
            // Lines derived from one JSON record share its number.
            #expect(ev.numbers == ev.numbers.sorted())
            #expect(Array(Set(ev.numbers)).sorted() == Array(ev.first...ev.last))
            #expect(ev.numbers.count <= 12)
            #expect(ev.raw.utf8.count <= 600 || Set(ev.numbers).count == 1)
            #expect(!(ev.lineTexts.first ?? "").allSatisfy { $0 == " " || $0 == "\t" })
            #expect(!(ev.lineTexts.last ?? "").allSatisfy { $0 == " " || $0 == "\t" })
            previous = ev.last
        }
    }

    /// Line numbers of non-blank lines: with a one-line cap every non-blank line is its own event
    /// and blank lines are never kept.
    private func nonBlankLineNumbers(_ bytes: [UInt8], maxLineBytes: Int) throws -> [Int] {
        let single = AssemblerOptions(maxEventLines: 1)
        return try assemble(bytes, bufferSize: 4096, maxLineBytes: maxLineBytes, options: single).map(\.first)
    }
}
