import FaultlineText
import Testing

private func unescape(_ body: String) -> String {
    let bytes = Array(body.utf8)
    return bytes.withUnsafeBufferPointer { String(decoding: JSONString.unescaped($0), as: UTF8.self) }
}

private func stripped(_ bytes: [UInt8]) -> [UInt8] {
    var copy = bytes
    let count = copy.withUnsafeMutableBufferPointer { b in
        b.baseAddress.map { ANSI.strip(inPlace: $0, b.count) } ?? 0
    }
    return Array(copy[..<count])
}

@Suite("ASCII")
struct ASCIITests {
    @Test func classes() {
        #expect(
            ASCII.isDigit(UInt8(ascii: "0")) && ASCII.isDigit(UInt8(ascii: "9")) && !ASCII.isDigit(UInt8(ascii: "a")))
        #expect(
            ASCII.isLetter(UInt8(ascii: "Z")) && ASCII.isLetter(UInt8(ascii: "a")) && !ASCII.isLetter(UInt8(ascii: "@"))
        )
        #expect(!ASCII.isLetter(UInt8(ascii: "[")) && !ASCII.isLetter(0xC3))
        #expect(ASCII.isHex(UInt8(ascii: "F")) && ASCII.isHex(UInt8(ascii: "a")) && !ASCII.isHex(UInt8(ascii: "g")))
        #expect(ASCII.isUpper(UInt8(ascii: "Q")) && !ASCII.isUpper(UInt8(ascii: "q")))
        #expect(ASCII.isBlank(0x20) && ASCII.isBlank(0x09) && !ASCII.isBlank(0x0A))
        #expect(
            ASCII.isWhitespace(0x0A) && ASCII.isWhitespace(0x0D) && ASCII.isWhitespace(0x0C)
                && !ASCII.isWhitespace(0x0E))
        #expect(ASCII.isAlnum(UInt8(ascii: "7")) && !ASCII.isAlnum(UInt8(ascii: "_")))
    }

    @Test func hexDigits() {
        let values = Array("0123456789abcdefABCDEF".utf8).map(ASCII.hexValue)
        #expect(values == (0...15).map { UInt8($0) } + (10...15).map { UInt8($0) })
        #expect(Array("gG/:@`".utf8).allSatisfy { ASCII.hexValue($0) == nil })
    }

    @Test func caseFolding() {
        #expect(ASCII.lowered("HeLLo-Ä".utf8) == Array("hello-Ä".utf8))
        #expect(
            ASCII.upper(UInt8(ascii: "a")) == UInt8(ascii: "A") && ASCII.upper(UInt8(ascii: "{")) == UInt8(ascii: "{"))
        #expect(ASCII.lower(0xC3) == 0xC3)
    }

    @Test func caseInsensitiveSearch() {
        let hay = Array("Error: Rate LIMIT exceeded".utf8)
        hay.withUnsafeBufferPointer { h in
            #expect(ASCII.containsIgnoringCase(h, Array("rate limit".utf8)))
            #expect(ASCII.containsIgnoringCase(h, Array("EXCEEDED".utf8)))
            #expect(!ASCII.containsIgnoringCase(h, Array("quota".utf8)))
            #expect(ASCII.containsIgnoringCase(h, []))
            Array("limit".utf8).withUnsafeBufferPointer { n in
                #expect(ASCII.firstIndexIgnoringCase(of: n, in: h) == 12)
            }
        }
    }
}

@Suite("ANSI")
struct ANSITests {
    @Test func stripsSequences() {
        #expect(ANSI.strip("\u{1B}[1;31merror\u{1B}[0m: x") == "error: x")
        #expect(ANSI.strip("a\u{1B}]0;title\u{07}b") == "ab")
        #expect(ANSI.strip("a\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\b") == "alinkb")
        #expect(ANSI.strip("\u{1B}(Bplain") == "plain")
        #expect(ANSI.strip("x\u{1B}=y") == "xy")
        #expect(ANSI.strip("cut\u{1B}[") == "cut")
        #expect(ANSI.strip("no escapes") == "no escapes")
        #expect(ANSI.strip("é\u{1B}[0Kü") == "éü")
    }

    @Test func bytesInPlaceAndCopy() {
        let input = Array("\u{1B}[36;1mcolored\u{1B}[0m and \u{1B}[0Ktext\u{1B}".utf8)
        #expect(stripped(input) == Array("colored and text".utf8))
        var out = [UInt8](repeating: 0, count: input.count)
        let n = input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { ANSI.strip(src.baseAddress!, src.count, into: $0.baseAddress!) }
        }
        #expect(Array(out[..<n]) == Array("colored and text".utf8))
    }
}

@Suite("JSON strings")
struct JSONStringTests {
    @Test func simpleEscapes() {
        #expect(unescape(#"a\nb\tc\"d\\e\/f\r\b\f"#) == "a\nb\tc\"d\\e/f\r\u{08}\u{0C}")
        #expect(unescape(#"unknown \q kept"#) == "unknown q kept")
    }

    @Test func unicodeEscapes() {
        #expect(unescape(#"caf\u00e9 \u4e2d"#) == "café 中")
        #expect(unescape(#"\ud83d\ude00!"#) == "😀!")
        #expect(unescape(#"\uD83D\uDE00"#) == "😀")
    }

    @Test func loneSurrogates() {
        #expect(unescape(#"a\ud83db"#) == "a\u{FFFD}b")
        #expect(unescape(#"\ude00x"#) == "\u{FFFD}x")
        #expect(unescape(#"\ud83d\u0041"#) == "\u{FFFD}A")
    }

    @Test func cutMidEscape() {
        #expect(unescape(#"abc\"#) == "abc")
        #expect(unescape(#"abc\u"#) == "abc\u{FFFD}")
        #expect(unescape(#"abc\u00"#) == "abc\u{FFFD}")
        #expect(unescape(#"abc\u00zz"#) == "abc\u{FFFD}zz")
        #expect(unescape(#"\ud83d\ude"#) == "\u{FFFD}\u{FFFD}")
    }

    @Test func worstCaseGrowthFits() {
        let body = String(repeating: #"\u"#, count: 50)
        let bytes = Array(body.utf8)
        let out = bytes.withUnsafeBufferPointer { JSONString.unescaped($0) }
        #expect(out.count == 150 && out.count <= JSONString.maxUnescapedCount(bytes.count))
    }

    @Test func escaping() {
        #expect(JSONString.escaped("a\"b\\c\nd\te\r") == #"a\"b\\c\nd\te\r"#)
        #expect(JSONString.escaped("\u{08}\u{0C}\u{01}\u{7F}\u{2028}/é") == #"\b\f\u0001\u007f\u2028/é"#)
        let text = "line \"one\"\n\ttwo \u{1B}[0m 😀"
        let round = Array(JSONString.escaped(text).utf8).withUnsafeBufferPointer { JSONString.unescaped($0) }
        #expect(String(decoding: round, as: UTF8.self) == text)
    }
}

@Suite("Timestamp")
struct TimestampTests {
    @Test func offsetsGiveTheSameInstant() throws {
        let z = try #require(Timestamp.seconds("2024-03-10T08:00:00Z"))
        #expect(Timestamp.seconds("2024-03-10T10:00:00+02:00") == z)
        #expect(Timestamp.seconds("2024-03-10 03:00:00-0500") == z)
        #expect(Timestamp.seconds("2024-03-10T08:00:00") == z)
        #expect(z == 1_710_057_600)
    }

    @Test func fractionsAndPrefixes() {
        #expect(Timestamp.seconds("[2024-03-10 08:00:00,250] ERROR x") == 1_710_057_600.25)
        #expect(Timestamp.seconds("at 12:30:05.5 something") == 45005.5)
        #expect(Timestamp.seconds("10:00:00+02:00") == 28_800)
        #expect(Timestamp.seconds("no time here") == nil)
        #expect(Timestamp.seconds("build 112:30:05") == nil)
    }

    @Test func nanosecondsForOrdering() {
        #expect(Timestamp.nanoseconds("W 2024-03-10 16:17:26.978") == 1_710_087_446_978_000_000)
        #expect(Timestamp.nanoseconds("2024-03-10T18:17+02:00") == 1_710_087_420_000_000_000)
        #expect(Timestamp.nanoseconds("2024-13-10T18:17:00") == nil)
        #expect(Timestamp.nanoseconds("12:00:00") == nil)
    }

    @Test func rfc3339Length() {
        func length(_ s: String, zOnly: Bool = false) -> Int {
            Array(s.utf8).withUnsafeBufferPointer { Timestamp.rfc3339Length($0.baseAddress!, $0.count, zOnly: zOnly) }
        }
        #expect(length("2025-01-02T03:04:05Z rest") == 20)
        #expect(length("2025-01-02T03:04:05.123456789Z") == 30)
        #expect(length("2025-01-02T03:04:05+02:00 x") == 25)
        #expect(length("2025-01-02T03:04:05+02:00", zOnly: true) == 0)
        #expect(length("2025-01-02 03:04:05Z") == 0)
    }

    @Test func civilRoundTrip() {
        for days in [0, 59, 365, 11_016, 19_792, 30_000] {
            let (y, m, d) = Timestamp.civil(fromDays: days)
            #expect(Timestamp.daysFromCivil(y, m, d) == days)
        }
    }
}

@Suite("Globs")
struct GlobTests {
    @Test func names() {
        #expect(Glob.matches("appsettings*.json", "appsettings.Production.json"))
        #expect(!Glob.matches("appsettings*.json", "settings.json"))
        #expect(Glob.matches(".env", ".env") && !Glob.matches(".env", "x.env"))
        #expect(Glob.matches("a?c", "abc") && Glob.matches("a?c", "aéc") && !Glob.matches("a?c", "ac"))
        #expect(Glob.matches("*", "") && Glob.matches("**", "x") && !Glob.matches("?", ""))
        #expect(Glob.matches("a*", "a*b"))
    }

    @Test func foldingCase() {
        let pattern = Array("*.openai.azure.com".utf8)
        let value = Array("My.OpenAI.Azure.COM".utf8)
        pattern.withUnsafeBufferPointer { p in
            value.withUnsafeBufferPointer { v in
                #expect(Glob.matches(p, v, foldingCase: true))
                #expect(!Glob.matches(p, v))
            }
        }
    }

    @Test func paths() {
        #expect(PathGlob("*.log").matches("a/b/app.log"))
        #expect(!PathGlob("logs/*.txt").matches("logs/sub/x.txt"))
        #expect(PathGlob("logs/**/x.txt").matches("logs/a/b/x.txt"))
        #expect(PathGlob("node_modules/**").coversDirectory("node_modules"))
    }
}

@Suite("Redactor in FaultlineText")
struct RedactorSmokeTests {
    @Test func redactsAndKeeps() {
        #expect(Redactor.redact("api_key=0123456789abcdef0123") == "api_key=[REDACTED]")
        #expect(Redactor.redact("key is $OPENAI_API_KEY") == "key is $OPENAI_API_KEY")
    }
}

@Suite("Level words")
struct LevelWordsTests {
    func rank(_ table: LevelWords.Table, _ word: String) -> UInt8? {
        Array(word.utf8).withUnsafeBufferPointer { table.rank($0) }
    }

    @Test func tablesReadExactWordsOnly() {
        #expect(rank(LevelWords.upperTable, "WARNING") == 3)
        #expect(rank(LevelWords.upperTable, "warning") == nil)
        #expect(rank(LevelWords.lowerTable, "fail") == 4)
        #expect(rank(LevelWords.lowerTable, "information") == 2)
        #expect(rank(LevelWords.lowerTable, "informatio") == nil)
        #expect(rank(LevelWords.serilogTable, "VRB") == 0)
        #expect(rank(LevelWords.shortAnyCaseTable, "vrb") == nil)
        #expect(rank(LevelWords.lowerTable, String(repeating: "x", count: 40)) == nil)
    }

    @Test func everyMappedWordIsInItsTableAndRanksAreLevels() {
        for (table, words) in [
            (LevelWords.upperTable, LevelWords.upper), (LevelWords.lowerTable, LevelWords.lower),
            (LevelWords.serilogTable, LevelWords.serilog), (LevelWords.shortAnyCaseTable, LevelWords.shortAnyCase),
        ] {
            for (word, r) in words {
                #expect(rank(table, word) == r, "\(word)")
                #expect(r <= 5)
            }
        }
        // Every mapped upper/lower word is also a level-column word (the column lists add words
        // that name no level).
        for (word, _) in LevelWords.upper { #expect(LevelWords.columnUpper.contains(word)) }
        for (word, _) in LevelWords.lower where word != "information" {
            #expect(LevelWords.columnLower.contains(word))
        }
    }
}
