// MARK: - Values

extension RedactionScanner {

    /// The marker for a secret value, keeping the hint of its kind.
    func valueMarker(_ start: Int, _ end: Int) -> String {
        if hasPrefix("sk-", at: start) { return openAIMarker(start, end) }
        for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"] where hasPrefix(prefix, at: start) {
            return prefix + "…REDACTED"
        }
        if let jwt = jwtEnd(at: start), jwt >= end { return Redactor.jwtMarker }
        return Redactor.marker
    }

    /// `sk-…REDACTED`, keeping a well-known key-type prefix (`sk-proj-…REDACTED`).
    func openAIMarker(_ start: Int, _ end: Int) -> String {
        for kind in ["proj", "svcacct", "admin", "ant", "None"] where hasPrefix("sk-\(kind)-", at: start) {
            return "sk-\(kind)-…REDACTED"
        }
        return "sk-…REDACTED"
    }

    /// References, placeholders and masked values: evidence, not secrets.
    func isKeptValue(_ start: Int, _ end: Int) -> Bool {
        guard start < end else { return true }
        let first = b[start]
        if first == UInt8(ascii: "$") || first == UInt8(ascii: "%") || first == UInt8(ascii: "<")
            || first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        {
            return true
        }
        for prefix in ["os.environ", "os.getenv", "process.env", "env.", "env:", "secrets.", "your"]
        where hasPrefix(prefix, at: start, caseInsensitive: true) {
            return true
        }
        for word in ["none", "null", "nil", "undefined", "true", "false", "empty", "unset", "missing", "notset"]
        where end - start == word.utf8.count && hasPrefix(word, at: start, caseInsensitive: true) {
            return true
        }
        for fragment in ["**", "xxxx", "...", "…", "redacted", "placeholder", "changeme"]
        where contains(fragment, start, end) {
            return true
        }
        return false
    }

    /// A value cut short by a mask (`sk-abc****`) was already masked by whoever logged it.
    func isMaskedAfter(_ end: Int) -> Bool {
        end < b.count && (b[end] == UInt8(ascii: "*") || hasPrefix("…", at: end))
    }

    func isAzureKeyShaped(_ start: Int, _ end: Int) -> Bool {
        let length = end - start
        if length == 32 { return b[start..<end].allSatisfy(ASCII.isHex) }
        if length == 84 { return b[start..<end].allSatisfy(ASCII.isAlnum) }
        return false
    }

    func isPathStart(_ i: Int) -> Bool {
        guard i < b.count else { return false }
        if b[i] == UInt8(ascii: "/") || b[i] == UInt8(ascii: "~") { return true }
        return i + 2 < b.count && ASCII.isLetter(b[i]) && b[i + 1] == UInt8(ascii: ":")
            && b[i + 2] == UInt8(ascii: "\\")
    }

    /// Case-insensitive substring test; `fragment` is short, so this is linear in the value.
    func contains(_ fragment: String, _ start: Int, _ end: Int) -> Bool {
        let f = Array(fragment.utf8)
        guard end - start >= f.count else { return false }
        var j = start
        while j + f.count <= end {
            var k = 0
            while k < f.count && ASCII.lower(b[j + k]) == f[k] { k += 1 }
            if k == f.count { return true }
            j += 1
        }
        return false
    }

    func containsDigit(_ start: Int, _ end: Int) -> Bool { b[start..<end].contains(where: ASCII.isDigit) }

    func containsDigitAndLetter(_ start: Int, _ end: Int) -> Bool {
        containsDigit(start, end) && b[start..<end].contains(where: ASCII.isLetter)
    }
}

// MARK: - Byte classes of the redactor (the ASCII ones are in ASCII)

func isQuote(_ c: UInt8) -> Bool { c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") }
/// Characters of an OpenAI key body.
func isKeyByte(_ c: UInt8) -> Bool { ASCII.isAlnum(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") }
func isBase64URLByte(_ c: UInt8) -> Bool { isKeyByte(c) }
/// RFC 6750 `b64token` characters.
func isBearerByte(_ c: UInt8) -> Bool {
    isKeyByte(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "~") || c == UInt8(ascii: "+")
        || c == UInt8(ascii: "/") || c == UInt8(ascii: "=")
}
/// Characters of an unquoted value: anything up to whitespace, a quote or a delimiter.
func isValueByte(_ c: UInt8) -> Bool {
    if c <= 0x20 || c == 0x7F { return false }
    switch c {
    case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "&"),
        UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ">"), UInt8(ascii: "\\"),
        UInt8(ascii: "`"):
        return false
    default:
        return true
    }
}
