import FaultlineText

/// One forward pass over the start of a line that removes prefix elements until none applies.
struct PrefixStripper {
    let b: [UInt8]
    var i = 0

    init(_ bytes: [UInt8]) {
        self.b = bytes
    }

    static let upperLevels = LevelWords.columnUpper
    static let lowerLevels = LevelWords.columnLower

    /// Returns the byte offset where the message starts.
    mutating func run() -> Int {
        var strippedSomething = false
        var afterLevel = false
        for _ in 0..<16 {
            skipBlanks()
            guard i < b.count else { break }
            let before = i
            if syslogPriority() || bracketedPrefix() || timestamp() {
                strippedSomething = true
                afterLevel = false
            } else if levelWord() {
                strippedSomething = true
                afterLevel = true
                loggerAfterLevel()
            } else if strippedSomething, separator() {
                // `|`, `-` or `:` between prefix elements.
            } else if strippedSomething, location() {
                afterLevel = false
            } else if strippedSomething, !afterLevel, processID() || loggerBeforeLevel() {
                // a pid or a logger name before the level word
            } else if proxyLevel() {
                strippedSomething = true
            }
            if i == before { break }
        }
        skipBlanks()
        if hasPrefix("---> ") { i += 5 }
        skipBlanks()
        return i
    }

    // MARK: Elements

    /// `<4>` (systemd console format).
    mutating func syslogPriority() -> Bool {
        guard i == 0 || allBlank(before: i), at(i) == UInt8(ascii: "<") else { return false }
        var j = i + 1
        while j < b.count, j < i + 4, ASCII.isDigit(b[j]) { j += 1 }
        guard j > i + 1, at(j) == UInt8(ascii: ">") else { return false }
        i = j + 1
        return true
    }

    /// `[18:01:30.133]`, `[I 2024-11-05 10:01:58.412 ServerApp]`, `[04:30:08 ERR]`, `[ERROR]`,
    /// `[12345]`; component names such as `[OpenAIClient]` are kept.
    mutating func bracketedPrefix() -> Bool {
        guard at(i) == UInt8(ascii: "[") else { return false }
        var close = i + 1
        while close < b.count, close < i + 96, b[close] != UInt8(ascii: "]"), b[close] != UInt8(ascii: "[") {
            close += 1
        }
        guard close < b.count, b[close] == UInt8(ascii: "]"), close > i + 1 else { return false }
        let first = b[i + 1]
        let content = String(decoding: b[(i + 1)..<close], as: UTF8.self)
        let strip: Bool
        if ASCII.isDigit(first) {
            strip = true
        } else if close > i + 3, ASCII.isUpper(first), b[i + 2] == 0x20, ASCII.isDigit(b[i + 3]) {
            strip = true  // Jupyter / tornado: `[I 2024-… ServerApp]`
        } else {
            strip = Self.upperLevels.contains(content) || Self.lowerLevels.contains(content)
        }
        guard strip else { return false }
        i = close + 1
        return true
    }

    /// ISO and common timestamps: `2025-05-07 21:44:03`, `2025-02-11T08:41:05.102Z`,
    /// `21:44:03,123`, `2025/05/07 21:44:03 +0000`.
    mutating func timestamp() -> Bool {
        var j = i
        var matched = false
        if let end = date(at: j) {
            j = end
            matched = true
            if at(j) == UInt8(ascii: "T") || at(j) == 0x20, let timeEnd = time(at: j + 1) {
                j = timeEnd
            }
        } else if let end = time(at: j) {
            j = end
            matched = true
        }
        guard matched else { return false }
        // Time zone: `Z`, `+00:00`, `+0000`, ` UTC`.
        if at(j) == UInt8(ascii: "Z") {
            j += 1
        } else if at(j) == UInt8(ascii: "+") || at(j) == UInt8(ascii: "-"), let end = zone(at: j + 1) {
            j = end
        } else if at(j) == 0x20, hasPrefix(" UTC", at: j) {
            j += 4
        }
        guard j >= b.count || !ASCII.isAlnum(b[j]) else { return false }
        i = j
        if at(i) == UInt8(ascii: ":"), at(i + 1) == 0x20 { i += 1 }
        return true
    }

    /// `ERROR`, `| ERROR    |`, `error:`, `fail:`, `ERROR:root:`.
    mutating func levelWord() -> Bool {
        var j = i
        while j < b.count, ASCII.isLetter(b[j]) { j += 1 }
        guard j > i else { return false }
        let word = String(decoding: b[i..<j], as: UTF8.self)
        let next = at(j)
        if Self.upperLevels.contains(word) {
            guard
                next == nil || next == 0x20 || next == 0x09 || next == UInt8(ascii: ":") || next == UInt8(ascii: "|")
                    || next == UInt8(ascii: "]")
            else { return false }
        } else if Self.lowerLevels.contains(word) {
            guard next == UInt8(ascii: ":") else { return false }
        } else {
            return false
        }
        i = j
        if at(i) == UInt8(ascii: ":") { i += 1 }
        return true
    }

    /// After a level word: `root:` (`ERROR:root:msg`), `nightly.report: ` (`%(name)s: `), a .NET
    /// category `Microsoft.X.Y[0]`, or a loguru location.
    mutating func loggerAfterLevel() {
        let start = i
        // `ERROR:root:message` — the level's colon is glued to the logger name.
        if start > 0, b[start - 1] == UInt8(ascii: ":"), let end = identifierRun(at: start),
            at(end) == UInt8(ascii: ":"),
            end > start
        {
            i = end + 1
            return
        }
        var j = start
        while j < b.count, ASCII.isWhitespace(b[j]) { j += 1 }
        guard let end = identifierRun(at: j), end > j else { return }
        let name = b[j..<end]
        // .NET console logger: `fail: Microsoft.KernelMemory.Service[0]`.
        if at(end) == UInt8(ascii: "["), let close = digitsThenBracket(at: end + 1) {
            i = close
            return
        }
        // `%(name)s: ` — a lower-case dotted logger name, not an exception class.
        if at(end) == UInt8(ascii: ":"), at(end + 1) == 0x20, let first = name.first,
            ASCII.isLower(first) || first == UInt8(ascii: "_"),
            !lastComponentIsUpper(name)
        {
            i = end + 1
        }
    }

    /// `pr_agent.algo.ai_handler:chat_completion:231 - `, `proxy_server.py:3561 - `.
    mutating func location() -> Bool {
        var j = i
        while j < b.count, j < i + 200, !ASCII.isWhitespace(b[j]) { j += 1 }
        guard j > i, hasPrefix(" - ", at: j) else { return false }
        // The run must end in `:<digits>`.
        var k = j
        while k > i, ASCII.isDigit(b[k - 1]) { k -= 1 }
        guard k < j, k > i, b[k - 1] == UInt8(ascii: ":") else { return false }
        i = j + 3
        return true
    }

    /// `|`, `-` or `:` between two prefix elements.
    mutating func separator() -> Bool {
        guard let c = at(i), c == UInt8(ascii: "|") || c == UInt8(ascii: "-") || c == UInt8(ascii: ":") else {
            return false
        }
        guard let next = at(i + 1), ASCII.isWhitespace(next) else { return false }
        i += 1
        return true
    }

    /// A bare process id directly followed by a level word (`… 12345 ERROR …`), or `pid=123`.
    mutating func processID() -> Bool {
        if hasPrefix("pid=", at: i) || hasPrefix("PID=", at: i) {
            var j = i + 4
            while j < b.count, ASCII.isDigit(b[j]) { j += 1 }
            guard j > i + 4 else { return false }
            i = j
            return true
        }
        var j = i
        while j < b.count, ASCII.isDigit(b[j]) { j += 1 }
        guard j > i, at(j) == 0x20 else { return false }
        var copy = self
        copy.i = j + 1
        guard copy.levelWord() else { return false }
        i = j
        return true
    }

    /// `openai._base_client ERROR` (`%(asctime)s %(name)s %(levelname)s`): the logger name goes
    /// when an upper-case level word follows it.
    mutating func loggerBeforeLevel() -> Bool {
        guard let end = identifierRun(at: i), at(end) == 0x20 else { return false }
        var copy = self
        copy.i = end + 1
        guard let level = copy.identifierRun(at: copy.i),
            Self.upperLevels.contains(String(decoding: b[copy.i..<level], as: UTF8.self))
        else { return false }
        i = end
        return true
    }

    /// `LiteLLM Proxy:ERROR: ` — a short component name glued to an upper-case level.
    mutating func proxyLevel() -> Bool {
        var j = i
        while j < b.count, j < i + 40, ASCII.isAlnum(b[j]) || b[j] == 0x20 || b[j] == UInt8(ascii: "_") { j += 1 }
        guard j > i, at(j) == UInt8(ascii: ":") else { return false }
        var k = j + 1
        while k < b.count, ASCII.isUpper(b[k]) { k += 1 }
        let word = String(decoding: b[(j + 1)..<k], as: UTF8.self)
        guard Self.upperLevels.contains(word), at(k) == UInt8(ascii: ":") else { return false }
        i = k + 1
        return true
    }

    // MARK: Pieces

    func date(at j: Int) -> Int? {
        guard digits(at: j, count: 4), let sep = at(j + 4), sep == UInt8(ascii: "-") || sep == UInt8(ascii: "/"),
            digits(at: j + 5, count: 2), at(j + 7) == sep, digits(at: j + 8, count: 2)
        else { return nil }
        return j + 10
    }

    func time(at j: Int) -> Int? {
        var k = j
        guard let c = at(k), ASCII.isDigit(c) else { return nil }
        k += 1
        if let d = at(k), ASCII.isDigit(d) { k += 1 }
        guard at(k) == UInt8(ascii: ":"), digits(at: k + 1, count: 2) else { return nil }
        k += 3
        if at(k) == UInt8(ascii: ":"), digits(at: k + 1, count: 2) { k += 3 }
        if let sep = at(k), sep == UInt8(ascii: ".") || sep == UInt8(ascii: ","), let d = at(k + 1),
            ASCII.isDigit(d)
        {
            k += 1
            while k < b.count, ASCII.isDigit(b[k]) { k += 1 }
        }
        return k
    }

    func zone(at j: Int) -> Int? {
        guard digits(at: j, count: 2) else { return nil }
        if at(j + 2) == UInt8(ascii: ":"), digits(at: j + 3, count: 2) { return j + 5 }
        if digits(at: j + 2, count: 2) { return j + 4 }
        return nil
    }

    func digitsThenBracket(at j: Int) -> Int? {
        var k = j
        while k < b.count, ASCII.isDigit(b[k]) { k += 1 }
        guard k > j, at(k) == UInt8(ascii: "]") else { return nil }
        return k + 1
    }

    /// The end of a run of identifier characters and dots starting at `j`.
    func identifierRun(at j: Int) -> Int? {
        var k = j
        while k < b.count, ASCII.isAlnum(b[k]) || b[k] == UInt8(ascii: "_") || b[k] == UInt8(ascii: ".") {
            k += 1
        }
        return k > j ? k : nil
    }

    func lastComponentIsUpper(_ name: ArraySlice<UInt8>) -> Bool {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")) else { return false }
        let next = dot + 1
        return next < name.endIndex && ASCII.isUpper(name[next])
    }

    func digits(at j: Int, count: Int) -> Bool {
        guard j + count <= b.count else { return false }
        return b[j..<(j + count)].allSatisfy(ASCII.isDigit)
    }

    func at(_ j: Int) -> UInt8? { j < b.count ? b[j] : nil }

    func hasPrefix(_ prefix: String, at j: Int? = nil) -> Bool {
        var k = j ?? i
        for p in prefix.utf8 {
            guard k < b.count, b[k] == p else { return false }
            k += 1
        }
        return true
    }

    func allBlank(before j: Int) -> Bool { b[0..<j].allSatisfy(ASCII.isWhitespace) }

    mutating func skipBlanks() {
        while i < b.count, ASCII.isWhitespace(b[i]) { i += 1 }
    }
}
