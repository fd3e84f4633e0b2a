import FaultlineRegex
import Testing

@Suite struct LiteralExtractorTests {
    func literals(_ pattern: String, _ options: RegexOptions = []) -> [String]? {
        LiteralExtractor.required(pattern: pattern, options: options)?.alternatives.map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    @Test func plainLiteral() {
        #expect(literals("DeploymentNotFound") == ["DeploymentNotFound"])
        #expect(literals(#"Status: 401 \(Unauthorized\)"#) == ["Status: 401 (Unauthorized)"])
    }

    @Test func quantifiersBreakLiterals() {
        #expect(literals(#"\d+ token"#) == [" token"])
        #expect(literals(#"\d+ tokens?"#) == [" token"])
        #expect(literals(#"\d+ (?:tokens|words)"#) == [" tokens", " words"])
        #expect(literals(#"Retry-After: \d+"#) == ["Retry-After: "])
        #expect(literals("abcx*defgh") == ["defgh"])
        #expect(literals("abcx?defgh") == ["abcdefgh", "abcxdefgh"])
        #expect(literals("abcx{0,1}defgh") == ["abcdefgh", "abcxdefgh"])
        #expect(literals("abcx{0,10}defgh") == ["defgh"])
        #expect(literals("abcx{0,3}defgh") == ["defgh"])
        #expect(literals("abcdx+yz") == ["abcdx"])
        #expect(literals("ab(?:cdef)+gh") == ["cdefgh"])
        #expect(literals("ab(?:cdef){2}") == ["abcdef"])
    }

    @Test func tooShortOrNothingRequired() {
        #expect(literals(".*") == nil)
        #expect(literals("a|b") == nil)
        #expect(literals("abc|d") == nil)
        #expect(literals(#"\d+\s+\w+"#) == nil)
        #expect(literals("(?:abcdef)?") == nil)
        #expect(literals("abcdef|.*") == nil)
        #expect(literals("") == nil)
    }

    @Test func alternationYieldsUnion() {
        #expect(
            literals("'code': 'content_filter'|\"code\":\\s*\"content_filter\"") == [
                "\"content_filter\"", "'code': 'content_filter'",
            ])
        #expect(
            literals(#"(?:openai|litellm\.exceptions)\.AuthenticationError"#) == [
                "litellm.exceptions.AuthenticationError", "openai.AuthenticationError",
            ])
        #expect(literals(#"Error code: (401|403) - .*audience is incorrect"#) == ["audience is incorrect"])
        #expect(
            literals(#"httpx\.(?:ConnectError|ReadTimeout)"#) == ["httpx.ConnectError", "httpx.ReadTimeout"])
    }

    @Test func escapesAndQuoting() {
        #expect(literals(#"\Qa.b*c(\E+"#) == ["a.b*c("])
        #expect(literals(#"\x41\x{42}C\tD"#) == ["ABC\tD"])
        #expect(literals(#"\bfail: [A-Z][\w.]+\[\d+\]"#) == ["fail: "])
        #expect(literals(#"a\Q\E*bcd"#) == nil)
        #expect(literals(#"\p{L}+abc\N{U+41}"#) == ["abc"])
    }

    @Test func groupsLookaroundsAndFlags() {
        #expect(
            literals("(?i)streaming (?:is )?not supported") == [
                "streaming is not supported", "streaming not supported",
            ])
        #expect(literals("(?i:certificate) verify") == ["certificate verify"])
        #expect(literals("(?<name>openai)\\.APIError") == ["openai.APIError"])
        #expect(literals("(?<=api-version=)2023-") == ["2023-"])
        #expect(literals("Error code: 401(?!.*audience)") == ["Error code: 401"])
        #expect(literals(#"(?<![\w$])\$\{?OPENAI_\w*KEY"#) == ["$OPENAI_", "${OPENAI_"])
        #expect(literals(#"\b(?<h>Authorization|api-key)"?[=:].*\k<h>"#) == ["Authorization", "api-key"])
        #expect(literals("abc(?#comment)def") == ["abcdef"])
    }

    @Test func givesUpWhenUnsure() {
        #expect(literals("abc def", .extended) == nil)
        #expect(literals("(?x)abc def") == nil)
        #expect(literals("(*UTF)abcdef") == nil)
        #expect(literals("(?(1)abc|def)") == nil)
        #expect(literals("abcd{,3}") == nil)
        #expect(literals("abc(") == nil)
        #expect(literals("abc)") == nil)
    }

    @Test func literalBracesAreLiterals() {
        #expect(literals(#"Error code: 5\d\d - \{"#) == ["Error code: 5"])
        #expect(literals(#"\d - \{"#) == [" - {"])
        #expect(literals("ab{x}cd") == ["ab{x}cd"])
    }

    /// Every match PCRE2 finds in the sample lines contains one of the extracted literals.
    @Test(arguments: benchLikePatterns)
    func extractedLiteralsNeverMissAMatch(pattern: String) throws {
        let regex = try Regex(pattern)
        let scratch = MatchScratch()
        guard let required = LiteralExtractor.required(pattern: pattern) else { return }
        #expect(required.alternatives.allSatisfy { $0.count >= 3 })
        for line in sampleLines {
            guard try regex.firstMatch(in: line, using: scratch) != nil else { continue }
            let lower = Array(line.lowercased().utf8)
            let found = required.alternatives.contains { literal in
                let folded = Array(String(decoding: literal, as: UTF8.self).lowercased().utf8)
                return lower.indices.contains { start in
                    start + folded.count <= lower.count && Array(lower[start..<(start + folded.count)]) == folded
                }
            }
            #expect(found, "\(pattern) matched \(line) without any of its literals")
        }
    }
}

let benchLikePatterns: [String] = [
    #"Error code: (401|403) - .*audience is incorrect"#,
    #"(?:openai|litellm\.exceptions)\.AuthenticationError"#,
    #"Status: 429 \(Too Many Requests\)"#,
    #"Retry-After: \d+"#,
    #"Please retry after \d+ seconds?"#,
    #"maximum context length is \d+ tokens"#,
    #"Status: 5\d\d \((?:Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)\)"#,
    #"(?i)streaming (?:is )?not supported"#,
    #", in _a?stream\b"#,
    #"\[Errno -?\d+\] (?:Name or service not known|Connection refused)"#,
    #"Traceback \(most recent call last\):"#,
    #"(?:^|\s)(?:[a-z_][a-z0-9_]*\.)+[A-Z]\w*(?:Error|Exception): \S"#,
    #"\bfail: [A-Z][\w.]+\[\d+\]"#,
    #"---> (?:Azure\.RequestFailedException|System\.Net\.Http\.HttpRequestException)"#,
    #""level":"error""#,
    #"Error code: 401(?!.*audience is incorrect)"#,
    #"(?<![\w$])\$\{?(?:OPENAI|AZURE_OPENAI|AZURE|LITELLM)_\w*KEY\}?(?!\w)"#,
    #"\b(?<h>Authorization|api-key)"?[=:].*[;,] ?"?\k<h>"?[=:]"#,
    #"(?<=api-version=)(?:2022-\d\d-\d\d|2023-0[1-6]-\d\d)(?:-preview)?\b"#,
    #"(?i)\b(?:api[_-]?key|secret|token)\b["']?\s*[:=]\s*["']?(?![$<*{]|REDACTED)[A-Za-z0-9+/_-]{24,}"#,
]
