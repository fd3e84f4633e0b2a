import FaultlineModel
import Testing

@testable import FaultlineIngest

/// A Docker json-file envelope around `log` (already JSON-escaped by the caller).
private func envelope(_ log: String, stream: String = "stderr", time: String = "2025-01-02T03:04:05.123456789Z")
    -> String
{
    #"{"log":"\#(log)","stream":"\#(stream)","time":"\#(time)"}"#
}

@Suite("Docker JSON envelopes")
struct DockerJSONTests {
    @Test("the log string is decoded with every escape; raw is the envelope", arguments: bufferSizes)
    func escapes(bufferSize: Int) throws {
        let line = envelope(#"a\"b\\c\/d\te\u00e9\ud83d\ude00 \u4E2D\bx\fy\n"#)
        let lines = try readLines(line + "\n", bufferSize: bufferSize)
        #expect(lines.count == 1)
        #expect(lines[0].textString == "a\"b\\c/d\te\u{E9}\u{1F600} \u{4E2D}\u{08}x\u{0C}y")
        #expect(lines[0].rawString == line)
        #expect(lines[0].stream == .stderr)
        #expect(lines[0].number == 1)
    }

    @Test("invalid escapes are kept literally; unpaired surrogates become U+FFFD", arguments: bufferSizes)
    func invalidEscapes(bufferSize: Int) throws {
        let line = envelope(#"\x41 \u12G4 \ud800x \udc00 \ud800\u0041\r\n"#)
        let lines = try readLines(line + "\n", bufferSize: bufferSize)
        #expect(lines.map(\.textString) == [#"\x41 \u12G4 "# + "\u{FFFD}x \u{FFFD} \u{FFFD}A"])
    }

    @Test("keys in any order, whitespace, nested attrs; stdout stream", arguments: bufferSizes)
    func keyOrder(bufferSize: Int) throws {
        let input = """
            {"stream":"stdout","time":"2025-01-02T03:04:05Z","log":"first\\n"}
            { "time" : "2025-01-02T03:04:05Z" , "attrs":{"tag":"a}b\\"","n":[1,{"x":2}]}, "log" : "second\\n", "stream":"stderr", "n": -1.5e3, "ok": true }
            """
        let lines = try readLines(input + "\n", bufferSize: bufferSize)
        #expect(lines.map(\.textString) == ["first", "second"])
        #expect(lines.map(\.stream) == [.stdout, .stderr])
        #expect(lines.map(\.number) == [1, 2])
    }

    @Test("the decoded text is peeled: ANSI, compose prefix, Docker Desktop and CI timestamps", arguments: bufferSizes)
    func decodedTextPeeled(bufferSize: Int) throws {
        let input = [
            envelope(
                #"\u001b[31mlibrechat-1  | 2025-05-07T21:44:03.123456789Z 2025-05-07 21:44:03 error: 401\u001b[39m\n"#),
            envelope(#"2025-01-02T03:04:05.1234567Z ##[error]Process completed with exit code 1.\n"#),
        ].joined(separator: "\n")
        let lines = try readLines(input + "\n", bufferSize: bufferSize)
        #expect(lines.map(\.textString) == ["2025-05-07 21:44:03 error: 401", "Process completed with exit code 1."])
        #expect(lines[0].serviceString == "librechat-1")
        #expect(lines[1].marker == .error)
        #expect(lines[1].service.isEmpty)
    }

    @Test("partial lines are joined across three envelopes of the same stream", arguments: bufferSizes)
    func partialJoin(bufferSize: Int) throws {
        let first = envelope("part one, ", stream: "stderr")
        let input = [
            envelope(#"before\n"#, stream: "stdout"),
            first,
            envelope("part two, ", stream: "stderr"),
            envelope(#"part three\n"#, stream: "stderr"),
            envelope(#"after\n"#, stream: "stdout"),
        ].joined(separator: "\n")
        let result = try readLines(Array((input + "\n").utf8), bufferSize: bufferSize)
        #expect(result.lines.map(\.textString) == ["before", "part one, part two, part three", "after"])
        #expect(result.lines.map(\.number) == [1, 2, 5])
        #expect(result.lines[1].rawString == first)
        #expect(result.lines[1].stream == .stderr)
        #expect(!result.lines[1].truncated)
        #expect(result.diagnostics.isEmpty)
        #expect(result.reader.lineCount == 5)
        #expect(result.reader.deliveredLineCount == 3)
    }

    @Test("an interleaved other stream is delivered while the partial line waits", arguments: bufferSizes)
    func interleavedStreams(bufferSize: Int) throws {
        let input = [
            envelope("Traceback: ", stream: "stderr"),
            envelope(#"INFO: request\n"#, stream: "stdout"),
            envelope(#"openai.AuthenticationError\n"#, stream: "stderr"),
        ].joined(separator: "\n")
        let lines = try readLines(input + "\n", bufferSize: bufferSize)
        #expect(lines.map(\.textString) == ["INFO: request", "Traceback: openai.AuthenticationError"])
        #expect(lines.map(\.number) == [2, 1])
    }

    @Test("a partial line left open at EOF or before a plain line is delivered as is", arguments: bufferSizes)
    func unfinishedPartial(bufferSize: Int) throws {
        let a = try readLines(envelope("no newline") + "\n", bufferSize: bufferSize)
        #expect(a.map(\.textString) == ["no newline"])
        let b = try readLines(envelope("open ") + "\nplain text\n", bufferSize: bufferSize)
        #expect(b.map(\.textString) == ["open ", "plain text"])
        #expect(b.map(\.number) == [1, 2])
    }

    @Test("malformed or truncated envelopes are plain text lines", arguments: bufferSizes)
    func malformed(bufferSize: Int) throws {
        let bad = [
            #"{"log":"cut mid-str"#,
            #"{"log":"x\n","stream":"stdout""#,
            #"{"log":x,"stream":"stdout"}"#,
            #"{"log":"ok\n","stream":"stdout"} trailing"#,
            #"{log:"x\n","stream":"stdout"}"#,
            #"{"log":"no stream\n","time":"2025-01-02T03:04:05Z"}"#,
            #"{"level":"error","message":"log \"log\" here","logger":"x"}"#,
            #"{"log":"\"#,
            #"{"log":"a","stream":"stdout","attrs":{"x":[1,2}"#,
            "{\"log\":",
            "{",
        ]
        let input = bad.joined(separator: "\n") + "\n" + envelope(#"fine\n"#) + "\n"
        let result = try readLines(Array(input.utf8), bufferSize: bufferSize)
        #expect(result.lines.map(\.textString) == bad + ["fine"])
        #expect(result.lines.map(\.rawString) == bad + [envelope(#"fine\n"#)])
        #expect(result.lines.map(\.number) == Array(1...bad.count + 1))
        #expect(result.diagnostics.isEmpty)
    }

    @Test("a partial sequence followed by a malformed envelope: the partial is flushed first", arguments: bufferSizes)
    func partialThenMalformed(bufferSize: Int) throws {
        let input = envelope("start ") + "\n" + #"{"log":"broken"# + "\n" + envelope(#"next\n"#) + "\n"
        let lines = try readLines(input, bufferSize: bufferSize)
        #expect(lines.map(\.textString) == ["start ", #"{"log":"broken"#, "next"])
        #expect(lines.map(\.number) == [1, 2, 3])
    }

    @Test("a huge partial sequence is cut at maxLineBytes with one diagnostic", arguments: bufferSizes)
    func hugePartial(bufferSize: Int) throws {
        let piece = String(repeating: "x", count: 20)
        var rows = Array(repeating: envelope(piece), count: 10)
        rows.append(envelope(#"end\n"#))
        rows.append(envelope(#"next line\n"#))
        let result = try readLines(
            Array((rows.joined(separator: "\n") + "\n").utf8), bufferSize: bufferSize, maxLineBytes: 128)
        #expect(result.lines.count == 2)
        #expect(result.lines[0].text.count == 128)
        #expect(result.lines[0].truncated)
        #expect(result.lines[0].number == 1)
        #expect(result.lines[0].rawString == rows[0])
        #expect(result.lines[1].textString == "next line")
        #expect(result.lines[1].number == 12)
        #expect(!result.lines[1].truncated)
        #expect(result.diagnostics.map(\.message) == ["line longer than 128 bytes truncated"])
        #expect(result.diagnostics.first?.line == 1)
        #expect(result.reader.truncatedLineCount == 1)
    }

    @Test("a UTF-8 BOM before the first envelope is ignored", arguments: bufferSizes)
    func bomThenEnvelope(bufferSize: Int) throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((envelope(#"hello\n"#) + "\n").utf8)
        let lines = try readLines(bytes, bufferSize: bufferSize).lines
        #expect(lines.map(\.textString) == ["hello"])
        #expect(lines[0].raw == Array(bytes.dropLast()))
    }
}

@Suite("Kubernetes CRI")
struct CRITests {
    @Test("P lines are joined with the following ones until an F line", arguments: bufferSizes)
    func partialJoin(bufferSize: Int) throws {
        let first = "2025-01-02T03:04:05.123456789Z stderr P openai.AuthenticationError: Error code: 401 - "
        let input = [
            "2025-01-02T03:04:05.000000001Z stdout F starting",
            first,
            "2025-01-02T03:04:05.123456790Z stderr P {'statusCode': 401, ",
            "2025-01-02T03:04:05.123456791Z stderr F 'message': 'Unauthorized.'}",
            "2025-01-02T03:04:06Z stdout F done",
            "2025-01-02T03:04:06Z stdout F",
        ].joined(separator: "\n")
        let result = try readLines(Array((input + "\n").utf8), bufferSize: bufferSize)
        #expect(
            result.lines.map(\.textString) == [
                "starting",
                "openai.AuthenticationError: Error code: 401 - {'statusCode': 401, 'message': 'Unauthorized.'}",
                "done", "",
            ])
        #expect(result.lines.map(\.number) == [1, 2, 5, 6])
        #expect(result.lines[1].rawString == first)
        #expect(result.lines.map(\.stream) == [.stdout, .stderr, .stdout, .stdout])
    }

    @Test("a CRI P line followed by another stream's F line keeps waiting", arguments: bufferSizes)
    func otherStream(bufferSize: Int) throws {
        let input = [
            "2025-01-02T03:04:05Z stdout P abc",
            "2025-01-02T03:04:05Z stderr F err",
            "2025-01-02T03:04:05Z stdout F def",
        ].joined(separator: "\n")
        let lines = try readLines(input + "\n", bufferSize: bufferSize)
        #expect(lines.map(\.textString) == ["err", "abcdef"])
        #expect(lines.map(\.number) == [2, 1])
    }

    @Test("the joined CRI content is peeled like any line", arguments: bufferSizes)
    func peeled(bufferSize: Int) throws {
        let input = [
            "2025-01-02T03:04:05Z stdout P \u{1B}[31mapi-1  | ",
            "2025-01-02T03:04:05Z stdout F error: boom\u{1B}[0m",
        ].joined(separator: "\n")
        let lines = try readLines(input + "\n", bufferSize: bufferSize)
        #expect(lines.map(\.textString) == ["error: boom"])
        #expect(lines.first?.serviceString == "api-1")
    }
}

@Suite("CI markers")
struct CIMarkerTests {
    private func read(_ lines: [String], _ bufferSize: Int) throws -> [ReadLine] {
        try readLines(lines.joined(separator: "\n") + "\n", bufferSize: bufferSize)
    }

    @Test("GitHub Actions markers are peeled after the timestamp", arguments: bufferSizes)
    func github(bufferSize: Int) throws {
        let ts = "2025-01-02T03:04:05.1234567Z "
        let lines = try read(
            [
                ts + "##[group]Run pip install -r requirements.txt", ts + "##[endgroup]",
                ts + "##[error]Process completed with exit code 1.",
                ts + "##[warning]Node.js 16 actions are deprecated",
                ts + "##[notice]note", ts + "##[debug]Evaluating condition", ts + "##[command]/usr/bin/docker ps",
                ts + "##[unknown]kept", "## Heading", "##[error]no timestamp",
            ], bufferSize)
        #expect(
            lines.map(\.textString) == [
                "Run pip install -r requirements.txt", "", "Process completed with exit code 1.",
                "Node.js 16 actions are deprecated", "note", "Evaluating condition", "/usr/bin/docker ps",
                "##[unknown]kept", "## Heading", "no timestamp",
            ])
        #expect(
            lines.map(\.marker) == [
                .group, .endGroup, .error, .warning, .notice, .debug, .command, .none, .none, .error,
            ])
        #expect(lines.map(\.number) == Array(1...10))
    }

    @Test("Azure DevOps markers and logging commands", arguments: bufferSizes)
    func azure(bufferSize: Int) throws {
        let ts = "2025-01-02T03:04:05.1234567Z "
        let lines = try read(
            [
                ts + "##[section]Starting: Run tests",
                ts + "##vso[task.logissue type=error;sourcepath=app.py;linenumber=3]openai.NotFoundError: 404",
                "##vso[task.logissue type=warning]deprecated api-version",
                "##vso[task.setvariable variable=model]gpt-4o",
                "##vso[task.logissue type=error unterminated",
                ts + "##[error]Bash exited with code '1'.",
            ], bufferSize)
        #expect(
            lines.map(\.textString) == [
                "Starting: Run tests", "openai.NotFoundError: 404", "deprecated api-version", "gpt-4o",
                "##vso[task.logissue type=error unterminated", "Bash exited with code '1'.",
            ])
        #expect(lines.map(\.marker) == [.section, .error, .warning, .vso, .none, .error])
    }

    @Test("GitLab section markers keep the header text on the same line", arguments: bufferSizes)
    func gitlabSections(bufferSize: Int) throws {
        let esc = "\u{1B}"
        let start =
            "\(esc)[0Ksection_start:1712345678:step_script[collapsed=true]\r\(esc)[0K\(esc)[36;1mExecuting \"step_script\" stage\(esc)[0;m"
        let input = [
            start,
            "openai.APIConnectionError: Connection error.",
            "\(esc)[0Ksection_end:1712345678:step_script\r\(esc)[0K",
            "progress 10%\r\(esc)[Kprogress 20%",
            "section_end:1712345679:after_script",
        ].joined(separator: "\n")
        let result = try readLines(Array((input + "\n").utf8), bufferSize: bufferSize)
        #expect(
            result.lines.map(\.textString) == [
                "Executing \"step_script\" stage", "openai.APIConnectionError: Connection error.", "",
                "progress 10%", "progress 20%", "",
            ])
        #expect(result.lines.map(\.marker) == [.sectionStart, .none, .sectionEnd, .none, .none, .sectionEnd])
        #expect(result.lines.map(\.number) == [1, 2, 3, 4, 5, 6])
        #expect(result.lines[0].rawString == start)
    }

    @Test("GitLab job-log timestamps are peeled, with their stream", arguments: bufferSizes)
    func gitlabTimestamps(bufferSize: Int) throws {
        let esc = "\u{1B}"
        let lines = try read(
            [
                "2024-05-06T07:08:09.123456Z 00O \(esc)[0KRunning with gitlab-runner 17.0.0\(esc)[0;m",
                "2024-05-06T07:08:09.123457Z 00O section_start:1714979289:prepare_executor\r\(esc)[0K",
                "2024-05-06T07:08:09.123458Z 00O+\(esc)[0K\(esc)[36;1mPreparing the \"docker\" executor\(esc)[0;m",
                "2024-05-06T07:08:10.000001Z 01E Traceback (most recent call last):",
                "2024-05-06T07:08:10.000002Z 01E   File \"app.py\", line 3, in <module>",
                "2024-05-06T07:08:10.000003Z 0aO ",
            ], bufferSize)
        #expect(
            lines.map(\.textString) == [
                "Running with gitlab-runner 17.0.0", "", "Preparing the \"docker\" executor",
                "Traceback (most recent call last):", "  File \"app.py\", line 3, in <module>", "",
            ])
        #expect(lines.map(\.stream) == [.stdout, .stdout, .stdout, .stderr, .stderr, .stdout])
        #expect(lines[1].marker == .sectionStart)
        #expect(lines.map(\.number) == Array(1...6))
    }
}

@Suite("Compose and Docker Desktop")
struct ComposeTests {
    @Test("compose prefix then the engine's timestamp: both peeled, the app's kept", arguments: bufferSizes)
    func doubleTimestamp(bufferSize: Int) throws {
        let lines = try readLines(
            [
                "librechat  | 2025-05-07T21:44:03.123456789Z 2025-05-07 21:44:03 error: [OpenAIClient] 401",
                "litellm-1   | 2025-05-07T21:44:04.5Z ",
                "api-1  | 2025-05-07T21:44:03+02:00 offset timestamps are the app's",
            ].joined(separator: "\n") + "\n", bufferSize: bufferSize)
        #expect(
            lines.map(\.textString) == [
                "2025-05-07 21:44:03 error: [OpenAIClient] 401", "",
                "2025-05-07T21:44:03+02:00 offset timestamps are the app's",
            ])
        #expect(lines.map(\.serviceString) == ["librechat", "litellm-1", "api-1"])
    }

    @Test("service names are exposed for compose lines only", arguments: bufferSizes)
    func service(bufferSize: Int) throws {
        let lines = try readLines(
            [
                "librechat-1  | 2025-05-07 21:44:03 error: x",
                "2025-01-02T03:04:05.1234567Z LibreChat   | Server listening",
                "plain line",
                "2025-05-14T12:23:48.914525747Z stderr F Traceback (most recent call last):",
            ].joined(separator: "\n") + "\n", bufferSize: bufferSize)
        #expect(lines.map(\.serviceString) == ["librechat-1", "LibreChat", "", ""])
        #expect(lines[3].stream == .stderr)
    }
}

@Suite("UTF-16 input")
struct UTF16Tests {
    private func utf16(_ s: String, bigEndian: Bool, bom: Bool) -> [UInt8] {
        var out: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in s.utf16 {
            let hi = UInt8(unit >> 8)
            let lo = UInt8(unit & 0xFF)
            out += bigEndian ? [hi, lo] : [lo, hi]
        }
        return out
    }

    private static let text =
        "fail: Microsoft.KernelMemory[0]\r\n      Azure.RequestFailedException: Status: 429 (Too Many Requests) \u{E9}\u{4E2D}\u{1F600}\r\n\r\nlast"

    @Test(
        "UTF-16 LE and BE, with and without BOM, with CRLF",
        arguments: [(false, true), (false, false), (true, true), (true, false)], bufferSizes)
    func transcoded(variant: (bigEndian: Bool, bom: Bool), bufferSize: Int) throws {
        let bytes = utf16(Self.text, bigEndian: variant.bigEndian, bom: variant.bom)
        let result = try readLines(bytes, bufferSize: bufferSize)
        #expect(
            result.lines.map(\.textString) == [
                "fail: Microsoft.KernelMemory[0]",
                "      Azure.RequestFailedException: Status: 429 (Too Many Requests) \u{E9}\u{4E2D}\u{1F600}", "",
                "last",
            ])
        #expect(result.lines.map(\.number) == [1, 2, 3, 4])
        #expect(result.lines[0].raw == Array("fail: Microsoft.KernelMemory[0]".utf8))
        #expect(result.reader.bytesRead == bytes.count)
        #expect(result.diagnostics.isEmpty)
    }

    @Test("an odd trailing byte and unpaired surrogates become U+FFFD", arguments: bufferSizes)
    func damaged(bufferSize: Int) throws {
        // "a", lone high surrogate, "b", lone low surrogate, "\n", "c", then one odd byte.
        let le: [UInt8] = [0xFF, 0xFE, 0x61, 0, 0x00, 0xD8, 0x62, 0, 0x00, 0xDC, 0x0A, 0, 0x63, 0, 0x41]
        let lines = try readLines(le, bufferSize: bufferSize).lines
        #expect(lines.map(\.textString) == ["a\u{FFFD}b\u{FFFD}", "c\u{FFFD}"])
        // A high surrogate at the very end.
        let end: [UInt8] = [0x00, 0x78, 0x00, 0x79, 0xD8, 0x3D]
        #expect(try readLines(end, bufferSize: bufferSize).lines.map(\.textString) == ["xy\u{FFFD}"])
    }

    @Test("UTF-16 carrying Docker JSON and GitHub markers is unwrapped after transcoding", arguments: bufferSizes)
    func wrappedInside(bufferSize: Int) throws {
        let input = envelope(#"##[error]boom\n"#) + "\r\n"
        let lines = try readLines(utf16(input, bigEndian: false, bom: true), bufferSize: bufferSize).lines
        #expect(lines.map(\.textString) == ["boom"])
        #expect(lines.first?.marker == .error)
    }

    @Test("short inputs that are not UTF-16 are read as bytes", arguments: bufferSizes)
    func shortInputs(bufferSize: Int) throws {
        #expect(try readLines("a", bufferSize: bufferSize).map(\.textString) == ["a"])
        #expect(try readLines("ab", bufferSize: bufferSize).map(\.textString) == ["ab"])
        #expect(try readLines(Array("\u{FF}".utf8.prefix(1)), bufferSize: bufferSize).lines.map(\.text) == [[0xC3]])
        #expect(try readLines([0xFF], bufferSize: bufferSize).lines.map(\.text) == [[0xFF]])
        #expect(try readLines([0x00, 0x0A], bufferSize: bufferSize).lines.map(\.text) == [[0x00]])
    }

    @Test("a UTF-16 file in a walked directory is read, not skipped as binary")
    func walked() throws {
        let dir = try TempDir()
        try dir.put("logs/app-utf16le.log", utf16(Self.text, bigEndian: false, bom: true))
        try dir.put("logs/app-utf16be.log", utf16(Self.text, bigEndian: true, bom: false))
        // UTF-16 BOM but a U+0000 code unit: binary.
        try dir.put("logs/blob.bin", [0xFF, 0xFE, 0x61, 0x00, 0x00, 0x00, 0x62, 0x00])
        let (files, _) = InputWalker.expand([dir.path])
        #expect(files.count == 3)
        var texts: [String: [String]] = [:]
        var notes: [String] = []
        for file in files {
            var lines: [String] = []
            let result = InputOpener.read(file, options: ReaderOptions()) { line in
                lines.append(String(decoding: line.text, as: UTF8.self))
            }
            texts[String(file.path.split(separator: "/").last ?? "")] = lines
            notes += result.diagnostics.map(\.message)
        }
        #expect(texts["app-utf16le.log"]?.first == "fail: Microsoft.KernelMemory[0]")
        #expect(texts["app-utf16be.log"]?.count == 4)
        #expect(texts["blob.bin"] == [])
        #expect(notes == ["binary file skipped"])
    }
}
