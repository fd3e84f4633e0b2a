import FaultlineRegex
import Foundation
import Testing

@Suite struct RegexTests {
    @Test func compilesWithJITAndCountsGroups() throws {
        let regex = try Regex(#"Error code: (\d{3}) - (?<body>\{.*\})"#)
        #expect(regex.isJIT)
        #expect(regex.captureCount == 2)
        #expect(regex.namedGroups.map(\.name) == ["body"])
        #expect(regex.namedGroups.map(\.index) == [2])
        #expect(regex.pattern == #"Error code: (\d{3}) - (?<body>\{.*\})"#)
        #expect(regex.options == [])
    }

    @Test func numberedAndNamedCaptures() throws {
        let regex = try Regex(#"(?<status>\d{3}) \((?<reason>[A-Za-z ]+)\)(x)?"#)
        let scratch = MatchScratch()
        let line = "Status: 429 (Too Many Requests)"
        let match = try #require(try regex.firstMatch(in: line, using: scratch))
        #expect(match.range(0) == 8..<31)
        #expect(match.range(1) == 8..<11)
        #expect(match.range(named: "status") == 8..<11)
        #expect(match.range(named: "reason") == 13..<30)
        #expect(match.range(3) == nil)
        #expect(match.range(4) == nil)
        #expect(match.range(named: "missing") == nil)
        #expect(match.ranges.count == 4)
        #expect(match.names == ["status": 1, "reason": 2])
    }

    @Test func matchAtOffset() throws {
        let regex = try Regex("ab+")
        let scratch = MatchScratch()
        let subject = Array("ab xx abbb".utf8)
        #expect(try regex.firstMatch(in: subject, from: 0, using: scratch)?.range(0) == 0..<2)
        #expect(try regex.firstMatch(in: subject, from: 1, using: scratch)?.range(0) == 6..<10)
        #expect(try regex.firstMatch(in: subject, from: 10, using: scratch) == nil)
        #expect(try regex.firstMatch(in: subject, from: 11, using: scratch) == nil)
        #expect(try regex.firstMatch(in: subject, from: -1, using: scratch) == nil)
    }

    @Test func noMatchAndEmptySubject() throws {
        let regex = try Regex("DeploymentNotFound")
        let scratch = MatchScratch()
        #expect(try regex.firstMatch(in: "all good here", using: scratch) == nil)
        #expect(try regex.firstMatch(in: "", using: scratch) == nil)
        #expect(try regex.firstMatch(in: [UInt8](), using: scratch) == nil)
        let empty = try Regex("^$")
        #expect(try empty.firstMatch(in: "", using: scratch)?.range(0) == 0..<0)
    }

    @Test func invalidUTF8SubjectBytesAreFine() throws {
        let regex = try Regex(#"key=(\S+) end"#, options: .caseless)
        let scratch = MatchScratch()
        let subject: [UInt8] =
            [0xFF, 0xC3] + Array("KEY=".utf8) + [0x80, 0xFE, 0xC0] + Array(" END".utf8) + [0xED, 0xA0]
        let match = try #require(try regex.firstMatch(in: subject, using: scratch))
        #expect(match.range(1) == 6..<9)
        let dot = try Regex("a.b")
        #expect(try dot.firstMatch(in: [0x61, 0xFF, 0x62], using: scratch)?.range(0) == 0..<3)
    }

    @Test func compileErrorCarriesMessageAndOffset() {
        do {
            _ = try Regex("abc(")
            Issue.record("expected a compile error")
        } catch {
            #expect(error.offset == 4)
            #expect(error.code > 0)
            #expect(error.message.contains("missing closing parenthesis"))
            #expect(error.description.contains("at offset 4"))
        }
        #expect(throws: RegexCompileError.self) { try Regex("a{2,1}") }
        #expect(throws: RegexCompileError.self) { try Regex(#"\x{100}"#) }  // byte mode: no code points above 0xFF
    }

    @Test func optionsMapToPCRE2() throws {
        let scratch = MatchScratch()
        #expect(try Regex("abc", options: .caseless).firstMatch(in: "xABCx", using: scratch) != nil)
        #expect(try Regex("^b", options: .multiline).firstMatch(in: "a\nb", using: scratch) != nil)
        #expect(try Regex("^b").firstMatch(in: "a\nb", using: scratch) == nil)
        #expect(try Regex("a.b", options: .dotAll).firstMatch(in: "a\nb", using: scratch) != nil)
        #expect(try Regex("a b # comment", options: .extended).firstMatch(in: "ab", using: scratch) != nil)
    }

    @Test func matchesReturnsBool() throws {
        let regex = try Regex(#"Retry-After: \d+"#)
        let scratch = MatchScratch()
        let yes = Array("Headers: Retry-After: 12".utf8)
        let no = Array("Headers: Retry-After: soon".utf8)
        let onYes = try yes.withUnsafeBufferPointer { buffer throws(RegexMatchError) in
            try regex.matches(buffer, using: scratch)
        }
        let onNo = try no.withUnsafeBufferPointer { buffer throws(RegexMatchError) in
            try regex.matches(buffer, using: scratch)
        }
        #expect(onYes)
        #expect(!onNo)
    }

    @Test(arguments: [
        #"(?:^|\s)(?:[a-z_][a-z0-9_]*\.)+[A-Z]\w*(?:Error|Exception): \S"#,
        #"\b(?<h>Authorization|api-key)"?[=:].*[;,] ?"?\k<h>"?[=:]"#,
        #"(?<=api-version=)(?:2022-\d\d-\d\d|2023-0[1-6]-\d\d)(?:-preview)?\b"#,
        #"Error code: 401(?!.*audience is incorrect)"#,
        #"maximum context length is \d++ tokens"#,
        #"(a|ab)(c|bcd)(d*)"#,
    ])
    func jitAndInterpreterAgree(pattern: String) throws {
        let jit = try Regex(pattern)
        let interpreter = try Regex(pattern, options: [], matchLimit: 2_000_000, depthLimit: 20_000, useJIT: false)
        #expect(!interpreter.isJIT)
        let scratch = MatchScratch()
        for line in sampleLines + ["abcd", "xabcdd"] {
            let fromJIT = try jit.firstMatch(in: line, using: scratch)
            let fromInterpreter = try interpreter.firstMatch(in: line, using: scratch)
            #expect(fromJIT == fromInterpreter, "\(pattern) on \(line)")
        }
    }

    @Test(arguments: [true, false])
    func catastrophicBacktrackingEndsInALimitError(useJIT: Bool) throws {
        let cases: [(String, String)] = [
            ("(a+)+$", String(repeating: "a", count: 30) + "b"),
            ("(?:x+x+)+y", String(repeating: "x", count: 5_000) + "z y"),
            ("(a|aa)+$", String(repeating: "a", count: 40) + "b"),
        ]
        let scratch = MatchScratch()
        for (pattern, subject) in cases {
            let regex = try Regex(pattern, options: [], matchLimit: 2_000_000, depthLimit: 20_000, useJIT: useJIT)
            let clock = ContinuousClock()
            var caught: RegexMatchError?
            let elapsed = clock.measure {
                do throws(RegexMatchError) {
                    _ = try regex.firstMatch(in: subject, using: scratch)
                } catch {
                    caught = error
                }
            }
            let expected: [RegexMatchError] = [.matchLimitExceeded, .depthLimitExceeded, .jitStackExhausted]
            #expect(caught.map(expected.contains) == true, "\(pattern): \(String(describing: caught))")
            #expect(elapsed < .seconds(1), "\(pattern) took \(elapsed)")
        }
    }

    @Test func lowMatchLimitIsHonoured() throws {
        let regex = try Regex("(a+)+$", options: [], matchLimit: 1_000, depthLimit: 20_000)
        let scratch = MatchScratch()
        #expect(throws: RegexMatchError.matchLimitExceeded) {
            try regex.firstMatch(in: String(repeating: "a", count: 25) + "b", using: scratch)
        }
    }

    @Test func manyGroupsGrowTheMatchData() throws {
        let pattern = String(repeating: "(a)", count: 100)
        let regex = try Regex(pattern)
        let scratch = MatchScratch()
        let match = try #require(try regex.firstMatch(in: String(repeating: "a", count: 100), using: scratch))
        #expect(match.ranges.count == 101)
        #expect(match.range(100) == 99..<100)
        // The grown scratch still works for small patterns.
        #expect(try Regex("b(c)").firstMatch(in: "abc", using: scratch)?.range(1) == 2..<3)
    }

    @Test func regexIsSharedAcrossTasks() async throws {
        let regex = try Regex(#"Status: (\d{3})"#)
        let results = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    let scratch = MatchScratch()
                    var found = 0
                    for index in 0..<500 {
                        let line = "x Status: \(400 + (index + worker) % 100) y"
                        if (try? regex.firstMatch(in: line, using: scratch)) != nil { found += 1 }
                    }
                    return found
                }
            }
            return await group.reduce(0, +)
        }
        #expect(results == 2_000)
    }

    @Test func errorDescriptions() {
        #expect(RegexMatchError.matchLimitExceeded.description.contains("match limit"))
        #expect(RegexMatchError.other(code: -2, message: "x").description.contains("-2"))
    }
}

/// A handful of realistic log lines (the shapes the bench corpus and real logs hold).
let sampleLines: [String] = [
    "2025-05-07 21:44:03 error: [OpenAIClient] Error: 401 Unauthorized",
    "openai.AuthenticationError: Error code: 401 - {'statusCode': 401, 'message': 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.'}",
    "openai.AuthenticationError: Error code: 401 - {'error': {'code': 'invalid_api_key'}}",
    "Azure.RequestFailedException: Service request failed.",
    "Status: 429 (Too Many Requests)",
    "Retry-After: 17",
    "Please retry after 20 seconds.",
    "      Status: 503 (Service Unavailable)",
    "openai.BadRequestError: Error code: 400 - {'error': {'message': \"This model's maximum context length is 8192 tokens. However, your messages resulted in 9001 tokens\", 'code': 'context_length_exceeded'}}",
    "Traceback (most recent call last):",
    "  File \"/app/pr_agent/algo/ai_handlers/litellm_ai_handler.py\", line 210, in _astream",
    "httpx.ConnectError: [Errno -2] Name or service not known",
    "fail: Microsoft.KernelMemory.Pipeline.BaseOrchestrator[0]",
    "      ---> System.Net.Http.HttpRequestException: Response status code does not indicate success: 401 (Unauthorized).",
    "GET /openai/deployments/gpt4/chat/completions?api-version=2023-05-15 HTTP/1.1",
    "headers: Authorization: Bearer abc; Authorization: Bearer abc",
    "{\"level\":\"error\",\"message\":\"[OpenAIClient] 404 Resource not found\"}",
    "INFO uvicorn.access: 127.0.0.1:5000 - \"GET /health HTTP/1.1\" 200",
    "2025-05-07T21:44:03.123Z DEBUG request finished in 12ms",
    "config: api_key = \"sk-abcdefghijklmnopqrstuvwxyz0123456789\"",
    "OPENAI_API_KEY=${OPENAI_API_KEY}",
    "\u{1B}[31mERROR\u{1B}[0m streaming is not supported for this deployment",
]
