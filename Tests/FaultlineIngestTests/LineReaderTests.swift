import FaultlineModel
import Testing

@testable import FaultlineIngest

@Suite("LineReader splitting")
struct LineReaderSplittingTests {
    @Test("LF, CRLF and lone CR all end lines", arguments: bufferSizes)
    func terminators(bufferSize: Int) throws {
        let lines = try readLines("alpha\r\nbeta\rgamma\n\ndelta\r\n\r\nomega", bufferSize: bufferSize)
        #expect(lines.map(\.textString) == ["alpha", "beta", "gamma", "", "delta", "", "omega"])
        #expect(lines.map(\.number) == Array(1...7))
        #expect(lines.allSatisfy { !$0.raw.contains(0x0D) && !$0.raw.contains(0x0A) })
    }

    @Test("a trailing terminator does not add an empty line", arguments: bufferSizes)
    func trailingTerminator(bufferSize: Int) throws {
        #expect(try readLines("a\n", bufferSize: bufferSize).map(\.textString) == ["a"])
        #expect(try readLines("a\r\n", bufferSize: bufferSize).map(\.textString) == ["a"])
        #expect(try readLines("a\r", bufferSize: bufferSize).map(\.textString) == ["a"])
        #expect(try readLines("", bufferSize: bufferSize).isEmpty)
        #expect(try readLines("\n", bufferSize: bufferSize).map(\.textString) == [""])
    }

    @Test("counts bytes and lines", arguments: bufferSizes)
    func counters(bufferSize: Int) throws {
        let input = "one\ntwo\r\nthree"
        let result = try readLines(Array(input.utf8), bufferSize: bufferSize)
        #expect(result.reader.bytesRead == input.utf8.count)
        #expect(result.reader.lineCount == 3)
        #expect(result.diagnostics.isEmpty)
    }

    @Test("invalid UTF-8 is kept as bytes in raw and text", arguments: bufferSizes)
    func invalidUTF8(bufferSize: Int) throws {
        let bytes: [UInt8] =
            Array("2025-05-07 21:44:03 error: caf".utf8) + [0xC3] + Array(" \u{FF}".utf8) + [0xFF, 0xFE, 0x0A]
        let lines = try readLines(bytes, bufferSize: bufferSize).lines
        #expect(lines.count == 1)
        #expect(lines[0].raw == Array(bytes.dropLast()))
        #expect(lines[0].text == lines[0].raw)
    }
}

@Suite("LineReader long lines")
struct LineReaderLongLineTests {
    @Test("a line over maxLineBytes is cut, flagged, and reported once", arguments: bufferSizes)
    func truncation(bufferSize: Int) throws {
        let long = String(repeating: "x", count: 100)
        let input = "first\n\(long)\r\nafter\n"
        let result = try readLines(Array(input.utf8), bufferSize: bufferSize, maxLineBytes: 16)
        #expect(result.lines.map(\.textString) == ["first", String(repeating: "x", count: 16), "after"])
        #expect(result.lines.map(\.truncated) == [false, true, false])
        #expect(result.lines.map(\.number) == [1, 2, 3])
        #expect(result.diagnostics.count == 1)
        let d = try #require(result.diagnostics.first)
        #expect(d.severity == .warning)
        #expect(d.source == "input.log")
        #expect(d.line == 2)
        #expect(d.message == "line longer than 16 bytes truncated")
        #expect(result.reader.bufferCapacity <= 16 + bufferSize)
    }

    @Test("an unterminated overlong last line is cut", arguments: bufferSizes)
    func unterminatedOverlong(bufferSize: Int) throws {
        let result = try readLines(
            Array(String(repeating: "y", count: 50).utf8), bufferSize: bufferSize, maxLineBytes: 10)
        #expect(result.lines.map(\.textString) == [String(repeating: "y", count: 10)])
        #expect(result.lines.first?.truncated == true)
        #expect(result.diagnostics.count == 1)
    }

    @Test("a line of exactly maxLineBytes is not truncated", arguments: bufferSizes)
    func exactlyAtLimit(bufferSize: Int) throws {
        let result = try readLines(Array("0123456789\nab\n".utf8), bufferSize: bufferSize, maxLineBytes: 10)
        #expect(result.lines.map(\.textString) == ["0123456789", "ab"])
        #expect(result.lines.allSatisfy { !$0.truncated })
        #expect(result.diagnostics.isEmpty)
    }

    @Test("a 3 MiB line with default options: one diagnostic, bounded buffer")
    func hugeLineDefaults() throws {
        var bytes = Array("2025-05-07 21:44:03 debug: [OpenAIClient] body ".utf8)
        bytes += [UInt8](repeating: 0x61, count: 3 << 20)
        bytes += Array("\n2025-05-07 21:44:04 info: next\n".utf8)
        let result = try readLines(bytes, bufferSize: 65536)
        #expect(result.lines.count == 2)
        #expect(result.lines[0].raw.count == 1 << 20)
        #expect(result.lines[0].truncated)
        #expect(result.lines[1].textString == "2025-05-07 21:44:04 info: next")
        #expect(result.diagnostics.map(\.message) == ["line longer than 1048576 bytes truncated"])
        #expect(result.diagnostics.first?.formatted.hasPrefix("input.log:1: warning:") == true)
        #expect(result.reader.bufferCapacity <= (1 << 20) + 65536)
    }
}
