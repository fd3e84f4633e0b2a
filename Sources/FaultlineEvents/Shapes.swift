import FaultlineModel
import FaultlineText

/// Byte-level recognisers for log-record shapes. Internal; every function is bounds-checked
/// against the buffer it is given and allocates nothing.
enum Shapes {
    typealias Buf = UnsafeBufferPointer<UInt8>

    /// `true` when `t` starts with the ASCII `prefix` at `offset`.
    @inline(__always)
    static func hasPrefix(_ t: Buf, _ prefix: StaticString, at offset: Int = 0) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard offset >= 0, offset + n <= t.count else { return false }
        let p = prefix.utf8Start
        for i in 0..<n where t[offset + i] != p[i] { return false }
        return true
    }

    /// Number of leading spaces and tabs.
    @inline(__always)
    static func indentation(_ t: Buf) -> Int {
        var i = 0
        while i < t.count, ASCII.isBlank(t[i]) { i += 1 }
        return i
    }

    /// `t[from...]` as a buffer.
    @inline(__always)
    static func tail(_ t: Buf, _ from: Int) -> Buf {
        guard let base = t.baseAddress, from < t.count else { return Buf(start: nil, count: 0) }
        return Buf(start: base + from, count: t.count - from)
    }

    // MARK: - Line kinds

    static func isTracebackStart(_ c: Buf) -> Bool {
        hasPrefix(c, "Traceback (most recent call last):")
    }

    static func isChainMarker(_ c: Buf) -> Bool {
        hasPrefix(c, "During handling of the above exception, another exception occurred:")
            || hasPrefix(c, "The above exception was the direct cause of the following exception:")
    }

    enum ExceptionKind { case dotnet, other }

    /// An exception header at the start of `c`: `pkg.mod.SomeError: msg`, `Error: msg`,
    /// `System.Net.Sockets.SocketException (00000001, 11): msg`, `Unhandled exception. …`.
    /// `.dotnet` when the type name ends in `Exception` or it is `Unhandled exception.`.
    static func exceptionHeader(_ c: Buf) -> ExceptionKind? {
        if hasPrefix(c, "Unhandled exception.") { return .dotnet }
        let n = c.count
        guard n >= 5, ASCII.isLetter(c[0]) || c[0] == 0x5F else { return nil }
        var i = 0
        while i < n {
            let b = c[i]
            guard ASCII.isLetter(b) || ASCII.isDigit(b) || b == 0x5F || b == 0x2E || b == 0x24 || b == 0x60 else {
                break
            }
            i += 1
        }
        let end = i
        guard i == n || c[i] == 0x3A || (c[i] == 0x20 && i + 1 < n && c[i + 1] == 0x28) else { return nil }
        if end >= 9, hasPrefix(c, "Exception", at: end - 9) { return .dotnet }
        if end >= 5, hasPrefix(c, "Error", at: end - 5) { return .other }
        return nil
    }

    /// `.NET` exception message section keywords printed unindented by `RequestFailedException`.
    enum Section { case status, content, headers, additional }

    static func section(_ c: Buf) -> Section? {
        guard let first = c.first else { return nil }
        switch first {
        case 0x53: return hasPrefix(c, "Status: ") ? .status : nil
        case 0x45: return hasPrefix(c, "ErrorCode:") ? .status : nil
        case 0x43: return hasPrefix(c, "Content:") ? .content : nil
        case 0x48: return hasPrefix(c, "Headers:") ? .headers : nil
        case 0x41: return hasPrefix(c, "Additional Information:") ? .additional : nil
        default: return nil
        }
    }

    /// `Name: value` as in an HTTP header list.
    static func isHeaderLine(_ c: Buf) -> Bool {
        var i = 0
        while i < c.count, ASCII.isLetter(c[i]) || ASCII.isDigit(c[i]) || c[i] == 0x2D || c[i] == 0x5F { i += 1 }
        return i > 0 && i < c.count && c[i] == 0x3A
    }

    /// Does an unindented line look like the start of a new log record? (Timestamp, level word,
    /// `[`-prefixed record, Winston/.NET prefix, systemd `<n>`, JSON record.)
    static func looksLikeRecordStart(_ c: Buf) -> Bool {
        let n = c.count
        guard n >= 2 else { return false }
        let b = c[0]
        if ASCII.isDigit(b) {
            if n >= 5, ASCII.isDigit(c[1]), ASCII.isDigit(c[2]), ASCII.isDigit(c[3]), c[4] == 0x2D || c[4] == 0x2F {
                return true
            }
            return n >= 5 && ASCII.isDigit(c[1]) && c[2] == 0x3A && ASCII.isDigit(c[3]) && ASCII.isDigit(c[4])
        }
        switch b {
        case 0x5B: return true  // [
        case 0x7B: return c[1] == 0x22  // {"
        case 0x3C: return n >= 3 && ASCII.isDigit(c[1]) && c[2] == 0x3E  // <3>
        case 0x23: return n >= 3 && c[1] == 0x23 && c[2] == 0x5B  // ##[group] (GitHub workflow command)
        default: break
        }
        guard ASCII.isLetter(b) else { return false }
        // Jupyter/tornado "E 2024-…"
        if n >= 3, ASCII.isUpper(b), c[1] == 0x20, ASCII.isDigit(c[2]) { return true }
        var i = 0
        while i < n, i < 10, ASCII.isLetter(c[i]) { i += 1 }
        let word = Buf(start: c.baseAddress, count: i)
        let next: UInt8 = i < n ? c[i] : 0x20
        if ASCII.isLetter(next) { return false }
        if upperLevel(word) != nil { return true }
        return next == 0x3A && lowerLevel(word) != nil
    }

    // MARK: - Levels

    static func upperLevel(_ w: Buf) -> LogLevel? { LevelWords.upperTable.rank(w).map(level(rank:)) }

    /// The level of a ``LevelWords`` rank.
    @inline(__always)
    static func level(rank: UInt8) -> LogLevel {
        switch rank {
        case 0: .trace
        case 1: .debug
        case 2: .info
        case 3: .warning
        case 4: .error
        default: .critical
        }
    }

    /// Serilog's three-letter levels (`[04:30:08 ERR]`).
    static func serilogLevel(_ w: Buf) -> LogLevel? { LevelWords.serilogTable.rank(w).map(level(rank:)) }

    /// Winston and .NET console-logger level words (lowercase).
    static func lowerLevel(_ w: Buf) -> LogLevel? { LevelWords.lowerTable.rank(w).map(level(rank:)) }

    /// Case-insensitive level word (JSON values like `"error"`, `"Error"`, `"ERROR"`).
    static func anyCaseLevel(_ w: Buf) -> LogLevel? {
        guard w.count <= 16 else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { tmp in
            for i in 0..<w.count { tmp[i] = ASCII.isUpper(w[i]) ? w[i] | 0x20 : w[i] }
            let lower = Buf(start: tmp.baseAddress, count: w.count)
            if let l = lowerLevel(lower) { return l }
            return LevelWords.shortAnyCaseTable.rank(lower).map(level(rank:))
        }
    }

    /// The level a line declares for itself, or `nil`.
    static func level(_ t: Buf) -> LogLevel? {
        let n = min(t.count, 200)
        guard n >= 2 else { return nil }
        // systemd / journald console: <3>
        if n >= 3, t[0] == 0x3C, ASCII.isDigit(t[1]), t[2] == 0x3E {
            switch t[1] {
            case 0x30, 0x31, 0x32: return .critical
            case 0x33: return .error
            case 0x34: return .warning
            case 0x35, 0x36: return .info
            case 0x37: return .debug
            default: return nil
            }
        }
        if t[0] == 0x7B { return jsonLevel(t) }
        // GitHub Actions workflow commands: ##[error] / ##[warning]
        if hasPrefix(t, "##[error]") { return .error }
        if hasPrefix(t, "##[warning]") { return .warning }
        // Jupyter / tornado: "[E 2024-…" or "E 2024-…"
        let j = t[0] == 0x5B ? 1 : 0
        if j + 2 < n, t[j + 1] == 0x20, ASCII.isDigit(t[j + 2]) {
            switch t[j] {
            case 0x44: return .debug
            case 0x49: return .info
            case 0x57: return .warning
            case 0x45: return .error
            case 0x43: return .critical
            default: break
            }
        }
        var onlyTimestamp = true
        var i = 0
        while i < n {
            let b = t[i]
            guard ASCII.isLetter(b) else {
                if !(ASCII.isDigit(b) || b == 0x20 || b == 0x3A || b == 0x2E || b == 0x2D || b == 0x2C || b == 0x2B
                    || b == 0x5B || b == 0x5D)
                {
                    onlyTimestamp = false
                }
                i += 1
                continue
            }
            let s = i
            while i < n, ASCII.isLetter(t[i]) { i += 1 }
            let word = Buf(start: t.baseAddress.map { $0 + s }, count: i - s)
            let next: UInt8 = i < t.count ? t[i] : 0x20
            let prev: UInt8 = s > 0 ? t[s - 1] : 0x20
            if !ASCII.isDigit(next), !ASCII.isDigit(prev), ASCII.isUpper(t[s]) {
                if let l = upperLevel(word) { return l }
                if next == 0x5D, let l = serilogLevel(word) { return l }
            }
            if onlyTimestamp, next == 0x3A, ASCII.isLower(t[s]), let l = lowerLevel(word) { return l }
            if !(word.count == 1 && (t[s] == 0x54 || t[s] == 0x5A)) { onlyTimestamp = false }
        }
        return nil
    }

    /// `"level":"error"`, `"level":50` (pino), `"level": {"name": "ERROR"}` (loguru serialize),
    /// `"@l":"Error"` (Serilog compact), `"LogLevel":"Error"` (.NET JSON console).
    static func jsonLevel(_ t: Buf) -> LogLevel? {
        let limited = Buf(start: t.baseAddress, count: min(t.count, 8192))
        for key: StaticString in ["\"level\"", "\"@l\"", "\"LogLevel\"", "\"severity\""] {
            guard var i = find(key, in: limited) else { continue }
            i += key.utf8CodeUnitCount
            while i < limited.count, ASCII.isBlank(limited[i]) || limited[i] == 0x3A { i += 1 }
            guard i < limited.count else { return nil }
            if limited[i] == 0x7B, let nameAt = find("\"name\"", in: tail(limited, i)) {
                i += nameAt + 6
                while i < limited.count, ASCII.isBlank(limited[i]) || limited[i] == 0x3A { i += 1 }
            }
            guard i < limited.count else { return nil }
            if limited[i] == 0x22 {
                let s = i + 1
                var e = s
                while e < limited.count, limited[e] != 0x22 { e += 1 }
                return anyCaseLevel(Buf(start: limited.baseAddress.map { $0 + s }, count: e - s))
            }
            if ASCII.isDigit(limited[i]) {
                var v = 0
                while i < limited.count, ASCII.isDigit(limited[i]), v < 1000 {
                    v = v * 10 + Int(limited[i] &- 0x30)
                    i += 1
                }
                switch v {
                case 10: return .trace
                case 20: return .debug
                case 30: return .info
                case 40: return .warning
                case 50: return .error
                case 60: return .critical
                default: return nil
                }
            }
            return nil
        }
        return nil
    }

    /// Offset of the first occurrence of `needle` in `t`, or `nil`.
    static func find(_ needle: StaticString, in t: Buf) -> Int? {
        let m = needle.utf8CodeUnitCount
        guard m > 0, t.count >= m else { return nil }
        let first = needle.utf8Start[0]
        var i = 0
        while i + m <= t.count {
            if t[i] == first, hasPrefix(t, needle, at: i) { return i }
            i += 1
        }
        return nil
    }

    // MARK: - Timestamps

    /// The range of a timestamp written at the start of a record: ISO 8601 dates with optional
    /// time, fraction and zone (`2025-05-07 21:44:03`, `2025-05-07T21:44:03.123Z`), or a bare
    /// time (`21:44:03,123`); after an optional `[`, Jupyter level letter or systemd `<n>`.
    /// JSON records: the `timestamp`/`time`/`@t`/`Timestamp` value.
    static func timestampRange(_ t: Buf) -> Range<Int>? {
        let n = t.count
        guard n >= 5 else { return nil }
        if t[0] == 0x7B { return jsonTimestamp(t) }
        var i = 0
        if n >= 3, t[0] == 0x3C, ASCII.isDigit(t[1]), t[2] == 0x3E { i = 3 }
        if i < n, t[i] == 0x5B { i += 1 }
        if i + 2 < n, ASCII.isUpper(t[i]), t[i + 1] == 0x20, ASCII.isDigit(t[i + 2]) { i += 2 }
        if let e = dateTimeEnd(t, i) { return i..<e }
        if let e = timeEnd(t, i) { return i..<e }
        return nil
    }

    /// End of `YYYY-MM-DD[( |T)HH:MM[:SS][.,fff][Z|±HH[:]MM]]` starting at `i`.
    static func dateTimeEnd(_ t: Buf, _ i: Int) -> Int? {
        let n = t.count
        guard i + 10 <= n, ASCII.isDigit(t[i]), ASCII.isDigit(t[i + 1]), ASCII.isDigit(t[i + 2]),
            ASCII.isDigit(t[i + 3]),
            t[i + 4] == 0x2D || t[i + 4] == 0x2F, ASCII.isDigit(t[i + 5]), ASCII.isDigit(t[i + 6]),
            t[i + 7] == t[i + 4],
            ASCII.isDigit(t[i + 8]), ASCII.isDigit(t[i + 9])
        else { return nil }
        let d = i + 10
        guard d + 1 < n, t[d] == 0x20 || t[d] == 0x54, let e = timeEnd(t, d + 1) else { return d }
        var j = e
        if j < n, t[j] == 0x5A { return j + 1 }
        if j + 2 < n, t[j] == 0x2B || t[j] == 0x2D, ASCII.isDigit(t[j + 1]), ASCII.isDigit(t[j + 2]) {
            j += 3
            if j < n, t[j] == 0x3A { j += 1 }
            if j + 1 < n, ASCII.isDigit(t[j]), ASCII.isDigit(t[j + 1]) { return j + 2 }
            return e
        }
        return e
    }

    /// End of `HH:MM[:SS][.,f+]` starting at `i`.
    static func timeEnd(_ t: Buf, _ i: Int) -> Int? {
        let n = t.count
        guard i + 5 <= n, ASCII.isDigit(t[i]), ASCII.isDigit(t[i + 1]), t[i + 2] == 0x3A, ASCII.isDigit(t[i + 3]),
            ASCII.isDigit(t[i + 4])
        else { return nil }
        var j = i + 5
        if j + 3 <= n, t[j] == 0x3A, ASCII.isDigit(t[j + 1]), ASCII.isDigit(t[j + 2]) {
            j += 3
            if j + 1 < n, t[j] == 0x2E || t[j] == 0x2C, ASCII.isDigit(t[j + 1]) {
                j += 1
                while j < n, ASCII.isDigit(t[j]) { j += 1 }
            }
        }
        return j
    }

    static func jsonTimestamp(_ t: Buf) -> Range<Int>? {
        let limited = Buf(start: t.baseAddress, count: min(t.count, 8192))
        for key: StaticString in ["\"timestamp\"", "\"time\"", "\"@t\"", "\"Timestamp\"", "\"ts\""] {
            guard var i = find(key, in: limited) else { continue }
            i += key.utf8CodeUnitCount
            while i < limited.count, ASCII.isBlank(limited[i]) || limited[i] == 0x3A { i += 1 }
            guard i < limited.count, limited[i] == 0x22 else { continue }
            let s = i + 1
            var e = s
            while e < limited.count, limited[e] != 0x22 { e += 1 }
            if e > s { return s..<e }
        }
        return nil
    }
}
