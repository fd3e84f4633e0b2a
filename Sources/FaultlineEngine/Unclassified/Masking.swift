import FaultlineText

/// Decides which tokens of a message are variable (masked as `<*>`) and which decide what the
/// error is (kept literal).
enum Masking {
    /// The masked form of a whole whitespace-free piece (before `=`/`:` splitting), or `nil` when
    /// the piece is not variable as a whole.
    ///
    /// URLs keep their scheme and host and mask the rest: `https://contoso.openai.azure.com/<*>`.
    ///
    /// A piece with `=` or `:` is variable as a whole only when it is a URL, a timestamp or
    /// `ip:port` (digits and punctuation), a `file.py:123` location or a path; otherwise it is
    /// split, so that `timeout=120` keeps its key.
    static func maskWhole(_ piece: String) -> String? {
        if piece == TemplateToken.wildcard { return piece }
        if let url = maskURL(piece) { return url }
        if isFileWithLine(piece) { return TemplateToken.wildcard }
        let b = Array(piece.utf8)
        if b.contains(UInt8(ascii: "=")) || b.contains(UInt8(ascii: ":")) {
            return isNumeric(b) || isPath(b) ? TemplateToken.wildcard : nil
        }
        return isVariable(piece) ? TemplateToken.wildcard : nil
    }

    /// Digits and the punctuation of numbers, dates, times and addresses (`.:,-/+_TZ`), with at
    /// least one digit.
    static func isNumeric(_ b: [UInt8]) -> Bool {
        var digits = 0
        for c in b {
            if ASCII.isDigit(c) {
                digits += 1
            } else if !".:,-/+_TZ".utf8.contains(c) {
                return false
            }
        }
        return digits > 0
    }

    /// The masked form of one part of a `key=value` or `key:value` piece, or `nil` when literal.
    static func maskPart(_ part: String) -> String? {
        isVariable(part) ? TemplateToken.wildcard : nil
    }

    /// A 3-digit number from 100 to 599: an HTTP status when its context says so.
    static func isStatusNumber(_ raw: String) -> Bool {
        let b = Array(raw.utf8)
        guard b.count == 3, b.allSatisfy(ASCII.isDigit) else { return false }
        return b[0] >= UInt8(ascii: "1") && b[0] <= UInt8(ascii: "5")
    }

    /// An exception class name or a provider error code: `DeploymentNotFound`,
    /// `openai.APIConnectionError`, `ResponsibleAIPolicyViolation`, `content_filter`,
    /// `insufficient_quota` — a CamelCase word (in its last dotted part) or a snake_case word.
    static func looksLikeCode(_ raw: String) -> Bool {
        let b = Array(raw.utf8)
        guard let first = b.first, ASCII.isLetter(first) else { return false }
        guard
            b.allSatisfy({ ASCII.isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }),
            b.last != UInt8(ascii: ".")
        else { return false }
        let lastPart: ArraySlice<UInt8>
        if let dot = b.lastIndex(of: UInt8(ascii: ".")) {
            lastPart = b[(dot + 1)...]
        } else {
            lastPart = b[...]
        }
        guard let head = lastPart.first, ASCII.isLetter(head) else { return false }
        // snake_case: `content_filter`, `invalid_request_error`.
        if lastPart.contains(UInt8(ascii: "_")) {
            return lastPart.allSatisfy { ASCII.isLower($0) || $0 == UInt8(ascii: "_") || ASCII.isDigit($0) }
                && lastPart.last != UInt8(ascii: "_") && lastPart.filter(ASCII.isDigit).isEmpty
        }
        // CamelCase with a hump: lower→upper (`NotFound`) or upper-upper-lower (`APIError`).
        let part = Array(lastPart)
        guard part.contains(where: ASCII.isLower), part.allSatisfy(ASCII.isLetter) else { return false }
        for k in 1..<max(part.count, 1) {
            if ASCII.isLower(part[k - 1]) && ASCII.isUpper(part[k]) { return true }
            if k + 1 < part.count, ASCII.isUpper(part[k - 1]), ASCII.isUpper(part[k]),
                ASCII.isLower(part[k + 1])
            {
                return true
            }
        }
        return false
    }

    /// Well-known id prefixes of OpenAI and Azure objects.
    static let idPrefixes = [
        "req_", "req-", "chatcmpl-", "cmpl-", "run_", "msg_", "call_", "asst_", "thread_", "file-", "batch_", "resp_",
        "evt_", "ft-", "ftjob-", "step_", "vs_",
    ]

    /// Numbers, timestamps, durations, versions, hex and UUIDs, ids, paths, emails.
    static func isVariable(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard !b.isEmpty else { return false }
        if s.hasPrefix("HTTP/") { return false }
        var digits = 0
        var letters = 0
        var numeric = true
        for c in b {
            if ASCII.isDigit(c) {
                digits += 1
            } else {
                if ASCII.isLetter(c) { letters += 1 }
                if !".:,-/+_TZ".utf8.contains(c) { numeric = false }
            }
        }
        // Numbers, dates, times, `ip:port`, fractions, `+1.5`.
        if numeric && digits > 0 { return true }
        if b[0] == UInt8(ascii: "#"), b.count > 1, b.dropFirst().allSatisfy(ASCII.isDigit) { return true }
        if isDuration(b) || isVersion(b) || containsUUID(b) || isHex(b) { return true }
        if isPath(b) { return true }
        if let at = b.firstIndex(of: UInt8(ascii: "@")), at > 0, b[(at + 1)...].contains(UInt8(ascii: ".")) {
            return true
        }
        for prefix in idPrefixes where s.hasPrefix(prefix) && b.count >= prefix.utf8.count + 4 {
            return true
        }
        // Mixed ids: `a1b2c3`, `chatcmpl9xYz123`, `pipeline-7f9c2`.
        if letters > 0, digits >= 3, b.count >= 6 { return true }
        // Long opaque tokens with a digit (keys, hashes, base64).
        if b.count >= 24, digits > 0,
            b.allSatisfy({
                ASCII.isAlnum($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "=")
                    || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            })
        {
            return true
        }
        return false
    }

    /// `0.5s`, `120ms`, `00.4s`, `31872.4102ms`, `3m`, `2h`.
    static func isDuration(_ b: [UInt8]) -> Bool {
        var k = 0
        while k < b.count, ASCII.isDigit(b[k]) || b[k] == UInt8(ascii: ".") { k += 1 }
        guard k > 0, ASCII.isDigit(b[0]) else { return false }
        let unit = String(decoding: b[k...], as: UTF8.self)
        return ["ms", "s", "us", "ns", "µs", "m", "h", "min", "sec", "secs", "mins"].contains(unit)
    }

    /// `v1.2.3`, `v2`, `2.0.0-beta.2`.
    static func isVersion(_ b: [UInt8]) -> Bool {
        guard b.count >= 2, b[0] == UInt8(ascii: "v") || b[0] == UInt8(ascii: "V"), ASCII.isDigit(b[1]) else {
            return false
        }
        return b.dropFirst().allSatisfy {
            ASCII.isAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+")
        }
    }

    /// `0x7f3a2c1d4e90`, `7d41c0e9a2b3`, `41f0` (4+ hex digits mixing digits and letters; two digits
    /// when shorter than 6).
    static func isHex(_ b: [UInt8]) -> Bool {
        let hex = ASCII.isHex
        if b.count > 2, b[0] == UInt8(ascii: "0"), b[1] == UInt8(ascii: "x") || b[1] == UInt8(ascii: "X") {
            return b.dropFirst(2).allSatisfy(hex)
        }
        guard b.count >= 4, b.allSatisfy(hex) else { return false }
        let digits = b.filter(ASCII.isDigit).count
        return digits >= (b.count >= 6 ? 1 : 2) && digits < b.count
    }

    /// A UUID (8-4-4-4-12 hex digits) anywhere in the token.
    static func containsUUID(_ b: [UInt8]) -> Bool {
        guard b.count >= 36 else { return false }
        let hex = ASCII.isHex
        let groups = [8, 4, 4, 4, 12]
        var start = 0
        while start + 36 <= b.count {
            var k = start
            var ok = true
            for (n, length) in groups.enumerated() {
                for _ in 0..<length {
                    if !hex(b[k]) {
                        ok = false
                        break
                    }
                    k += 1
                }
                if !ok { break }
                if n < groups.count - 1 {
                    if b[k] != UInt8(ascii: "-") {
                        ok = false
                        break
                    }
                    k += 1
                }
            }
            if ok { return true }
            start += 1
        }
        return false
    }

    /// `/usr/lib/…`, `~/x`, `./x`, `../x`, `C:\x`, `\\server\share`, `.\x`.
    static func isPath(_ b: [UInt8]) -> Bool {
        if b.count > 1, b[0] == UInt8(ascii: "/") { return true }
        if b.count > 2, b[0] == UInt8(ascii: "~") || b[0] == UInt8(ascii: "."), b[1] == UInt8(ascii: "/") {
            return true
        }
        if b.count > 3, b[0] == UInt8(ascii: "."), b[1] == UInt8(ascii: "."), b[2] == UInt8(ascii: "/") { return true }
        if b.count > 2, ASCII.isLetter(b[0]), b[1] == UInt8(ascii: ":"), b[2] == UInt8(ascii: "\\") { return true }
        // UNC and relative Windows paths; a lone backslash is an escape (`\"`, `\n`), not a path.
        if b.count > 2, b[0] == UInt8(ascii: "\\"), b[1] == UInt8(ascii: "\\") { return true }
        return b.count > 2 && b[0] == UInt8(ascii: ".") && b[1] == UInt8(ascii: "\\")
    }

    /// `file.py:123`, `base.py:226:7`, `src/app.js:10:5`.
    static func isFileWithLine(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard let colon = b.firstIndex(of: UInt8(ascii: ":")), colon > 2 else { return false }
        let name = b[..<colon]
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0, dot < colon - 1,
            name[(dot + 1)...].allSatisfy(ASCII.isLetter), colon - dot - 1 <= 5
        else { return false }
        let rest = b[(colon + 1)...]
        guard let firstDigit = rest.first, ASCII.isDigit(firstDigit) else { return false }
        return rest.allSatisfy { ASCII.isDigit($0) || $0 == UInt8(ascii: ":") }
    }

    /// `https://contoso.openai.azure.com/openai/deployments/x?api-version=1` →
    /// `https://contoso.openai.azure.com/<*>`; credentials, IP hosts and ports are masked too.
    static func maskURL(_ piece: String) -> String? {
        let b = Array(piece.utf8)
        guard let colon = firstIndex(of: Array("://".utf8), in: b), colon > 0, ASCII.isLetter(b[0]),
            b[..<colon].allSatisfy({ ASCII.isAlnum($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") })
        else { return nil }
        let scheme = String(decoding: b[..<colon], as: UTF8.self)
        let authorityStart = colon + 3
        var authorityEnd = authorityStart
        while authorityEnd < b.count, b[authorityEnd] != UInt8(ascii: "/"), b[authorityEnd] != UInt8(ascii: "?"),
            b[authorityEnd] != UInt8(ascii: "#")
        {
            authorityEnd += 1
        }
        var authority = b[authorityStart..<authorityEnd]
        var out = scheme + "://"
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
            out += TemplateToken.wildcard + "@"
            authority = authority[(at + 1)...]
        }
        var host = authority
        var port = false
        if let portColon = authority.lastIndex(of: UInt8(ascii: ":")),
            authority[(portColon + 1)...].allSatisfy(ASCII.isDigit), portColon + 1 < authority.endIndex
        {
            host = authority[..<portColon]
            port = true
        }
        let hostText = String(decoding: host, as: UTF8.self)
        if !host.isEmpty, host.allSatisfy({ ASCII.isDigit($0) || $0 == UInt8(ascii: ".") }) {
            out += TemplateToken.wildcard
        } else {
            out += hostText
        }
        if port { out += ":" + TemplateToken.wildcard }
        let rest = b[authorityEnd...]
        if rest.isEmpty || (rest.count == 1 && rest.first == UInt8(ascii: "/")) {
            out += String(decoding: rest, as: UTF8.self)
        } else if rest.first == UInt8(ascii: "/") {
            out += "/" + TemplateToken.wildcard
        } else {
            out += TemplateToken.wildcard
        }
        return out
    }

    static func firstIndex(of needle: [UInt8], in b: [UInt8]) -> Int? {
        guard needle.count <= b.count else { return nil }
        var k = 0
        while k + needle.count <= b.count {
            if b[k..<(k + needle.count)].elementsEqual(needle) { return k }
            k += 1
        }
        return nil
    }
}
