import Testing

@testable import FaultlineIngest

@Suite("Peeling wrappers")
struct PeelingTests {
    private func peel(_ line: String, bufferSize: Int = 4096) throws -> (text: String, raw: String) {
        let lines = try readLines(line + "\n", bufferSize: bufferSize)
        let first = try #require(lines.first)
        return (first.textString, String(decoding: first.raw, as: UTF8.self))
    }

    @Test("ANSI colours are removed from text and kept in raw", arguments: bufferSizes)
    func ansi(bufferSize: Int) throws {
        // Winston colourised level, as LibreChat prints it on a TTY.
        let line =
            "2025-05-07 21:44:03 \u{1B}[31merror\u{1B}[39m: [OpenAIClient.chatCompletion][stream] Unhandled error type Error: 401"
        let (text, raw) = try peel(line, bufferSize: bufferSize)
        #expect(
            text == "2025-05-07 21:44:03 error: [OpenAIClient.chatCompletion][stream] Unhandled error type Error: 401")
        #expect(raw == line)
    }

    @Test("CSI with parameters, OSC hyperlinks, nF and two-byte escapes are removed")
    func escapeKinds() throws {
        #expect(try peel("\u{1B}[40m\u{1B}[1;31mfail\u{1B}[39m\u{1B}[22m\u{1B}[49m: Cat[0]").text == "fail: Cat[0]")
        #expect(try peel("see \u{1B}]8;;https://aka.ms/oai\u{07}docs\u{1B}]8;;\u{1B}\\ now").text == "see docs now")
        #expect(try peel("\u{1B}(Bplain\u{1B}=text\u{1B}").text == "plaintext")
        #expect(try peel("\u{1B}[2K\u{1B}[1G  Downloading").text == "  Downloading")
    }

    @Test("GitHub Actions timestamps are peeled (1 to 9 fractional digits)")
    func githubTimestamp() throws {
        #expect(try peel("2025-01-02T03:04:05.1234567Z ##[group]Run pip install").text == "Run pip install")
        #expect(try peel("2025-01-02T03:04:05.123Z Collecting litellm").text == "Collecting litellm")
        #expect(try peel("2025-01-02T03:04:05Z Collecting litellm").text == "Collecting litellm")
        #expect(try peel("2025-01-02T03:04:05.1234567Z ").text == "")
        #expect(try peel("2025-01-02T03:04:05.1234567Z       at Foo()").text == "      at Foo()")
        // Ten digits, or no Z: not a GitHub timestamp.
        #expect(try peel("2025-01-02T03:04:05.1234567890Z x").text == "2025-01-02T03:04:05.1234567890Z x")
        #expect(try peel("2025-05-07 21:44:03 error: x").text == "2025-05-07 21:44:03 error: x")
    }

    @Test("Kubernetes CRI prefixes are peeled")
    func criPrefix() throws {
        #expect(
            try peel("2025-05-14T12:23:48.914525747Z stderr F Traceback (most recent call last):").text
                == "Traceback (most recent call last):")
        #expect(try peel("2025-05-14T12:23:48.914525747+02:00 stdout P partial").text == "partial")
    }

    @Test("docker compose service prefixes are peeled")
    func composePrefix() throws {
        #expect(
            try peel("librechat-1  | 2025-05-07 21:44:03 error: [OpenAIClient] x").text
                == "2025-05-07 21:44:03 error: [OpenAIClient] x")
        #expect(try peel("LibreChat   | 2025-05-07 21:44:03 info: Server listening").text.hasPrefix("2025-05-07"))
        #expect(try peel("litellm-1   |     raise e").text == "    raise e")
        #expect(
            try peel("2025-01-02T03:04:05.1234567Z litellm-1  | INFO:     Started server process [1]").text
                == "INFO:     Started server process [1]")
    }

    @Test("loguru lines, Markdown tables and level columns are not mistaken for compose prefixes")
    func composeLookalikes() throws {
        let loguru =
            "2024-05-01 12:00:00.123 | ERROR    | pr_agent.algo:chat_completion:318 - Error during LLM inference"
        #expect(try peel(loguru).text == loguru)
        #expect(try peel("| model | status |").text == "| model | status |")
        #expect(try peel("INFO     | startup complete").text == "INFO     | startup complete")
        #expect(try peel("a b | c").text == "a b | c")
        #expect(try peel("name |x").text == "name |x")
    }

    @Test("a UTF-8 BOM is peeled on line 1 only", arguments: bufferSizes)
    func bom(bufferSize: Int) throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let bytes = bom + Array("first\n".utf8) + bom + Array("second\n".utf8)
        let lines = try readLines(bytes, bufferSize: bufferSize).lines
        #expect(lines[0].textString == "first")
        #expect(lines[0].raw == bom + Array("first".utf8))
        #expect(lines[1].text == bom + Array("second".utf8))
    }
}
