/// Removes secrets from text that faultline is about to show: evidence excerpts, captured values.
///
/// Redaction keeps a hint of the secret's shape (`sk-proj-…REDACTED`, `Bearer [REDACTED]`,
/// `[REDACTED-JWT]`) because the *kind* of credential is often evidence (an OpenAI key sent to
/// Azure, an Entra token where a key was expected). Unexpanded references — `$OPENAI_API_KEY`,
/// `${AZURE_API_KEY}`, `os.environ/AZURE_API_KEY`, `<your-key>` — and values that are already
/// masked (`sk-abc****wxyz`, `REDACTED`) are kept verbatim: they are the evidence of
/// `auth.unexpanded-env-var` and friends, and they are not secrets.
///
/// The scanner is hand-written over UTF-8 bytes: one forward pass, every look-ahead bounded by
/// the token it inspects, so it stays linear on a hostile megabyte-long line. It has no
/// dependencies, so every layer can use it.
public enum Redactor {
    /// The marker that replaces a secret whose shape gives no useful hint.
    public static let marker = "[REDACTED]"
    /// The marker that replaces a JSON Web Token.
    public static let jwtMarker = "[REDACTED-JWT]"

    /// Returns `text` with secrets replaced by a marker that keeps a hint of their shape.
    ///
    /// Covered: OpenAI keys (`sk-…`, `sk-proj-…`, `sk-svcacct-…` with 20+ key characters);
    /// values of key-ish fields (`api-key`, `api_key`, `apiKey`, `AZURE_OPENAI_API_KEY`,
    /// `Ocp-Apim-Subscription-Key`, `x-api-key`, `subscription-key`, `AccountKey`,
    /// `SharedAccessKey`, …) in HTTP-header, env, JSON, Python-repr, YAML and TOML quoting;
    /// `Authorization:` values and `Bearer <token>` anywhere; JWTs anywhere; connection-string
    /// `Password=`/`pwd=`; `scheme://user:password@host`; GitHub tokens (`ghp_…`,
    /// `github_pat_…`); and `secret`/`token`/`password`/`client_secret` fields with 12+
    /// character values.
    ///
    /// Kept verbatim: unexpanded references (`$VAR`, `${VAR}`, `%VAR%`, `os.environ/VAR`,
    /// `process.env.VAR`), placeholders (`<your-key>`, `YOUR_API_KEY`, `xxxx`), masked values
    /// (`***`, `sk-abc****wxyz`, `…`), `REDACTED`, `None`/`null`/`undefined`, and all text that is
    /// not in one of the shapes above. Redacting twice gives the same result as redacting once.
    ///
    /// - Complexity: O(n) in the UTF-8 length of `text`.
    public static func redact(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count >= 6 else { return text }
        var scanner = RedactionScanner(bytes)
        guard let output = scanner.run() else { return text }
        return String(decoding: output, as: UTF8.self)
    }

    /// Returns a captured `value` redacted as if it were the value of a field named `field`.
    ///
    /// A bare 32-hex-digit string is not a secret on its own (it may be a commit id or a request
    /// id), but captured as `api_key` it is. The engine calls this for every captured value, with
    /// the capture's name: `redact(value: "0123…", field: "api_key")` gives `[REDACTED]`, while
    /// `redact(value: "$OPENAI_API_KEY", field: "api_key")` keeps the reference. Values that
    /// contain a secret of a recognisable shape are redacted whatever the field.
    public static func redact(value: String, field: String) -> String {
        let keyed = Array(field.utf8) + Array("=".utf8)
        let bytes = keyed + Array(value.utf8)
        var scanner = RedactionScanner(bytes)
        guard let output = scanner.run(), output.starts(with: keyed) else { return redact(value) }
        return String(decoding: output[keyed.count...], as: UTF8.self)
    }
}

// MARK: - Scanner

/// One pass over the bytes of a text; `run()` returns `nil` when nothing was redacted.
private struct RedactionScanner {
    let b: [UInt8]
    var out: [UInt8] = []
    var changed = false

    init(_ bytes: [UInt8]) {
        self.b = bytes
    }

    mutating func run() -> [UInt8]? {
        out.reserveCapacity(b.count)
        let n = b.count
        var i = 0
        while i < n {
            let c = b[i]
            if isRunByte(c) && (i == 0 || !isRunByte(b[i - 1])) {
                let end = runEnd(from: i)
                if let next = redactToken(at: i, runEnd: end) {
                    i = next
                    continue
                }
                if let next = redactKeyValue(keyStart: i, keyEnd: end) {
                    i = next
                    continue
                }
                out.append(contentsOf: b[i..<end])
                i = end
                continue
            }
            if c == UInt8(ascii: ":"), i + 2 < n, b[i + 1] == UInt8(ascii: "/"), b[i + 2] == UInt8(ascii: "/"),
                let next = redactURLCredentials(at: i)
            {
                i = next
                continue
            }
            out.append(c)
            i += 1
        }
        return changed ? out : nil
    }

    // MARK: Byte classes

    /// Bytes of a "run": identifiers, key names, tokens (`.` and `-` included, so that
    /// `os.environ`, `x-api-key` and JWTs are one run).
    func isRunByte(_ c: UInt8) -> Bool {
        isAlnum(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
    }

    func runEnd(from start: Int) -> Int {
        var j = start
        while j < b.count && isRunByte(b[j]) { j += 1 }
        return j
    }

    func scan(from start: Int, while predicate: (UInt8) -> Bool) -> Int {
        var j = start
        while j < b.count && predicate(b[j]) { j += 1 }
        return j
    }

    func hasPrefix(_ prefix: String, at i: Int, caseInsensitive: Bool = false) -> Bool {
        var j = i
        for p in prefix.utf8 {
            guard j < b.count else { return false }
            let c = caseInsensitive ? lower(b[j]) : b[j]
            if c != p { return false }
            j += 1
        }
        return true
    }

    mutating func emit(_ s: String) {
        out.append(contentsOf: s.utf8)
        changed = true
    }

    // MARK: Tokens recognisable by their shape

    /// OpenAI keys, GitHub tokens, JWTs and `Bearer <token>`, starting at a run start.
    mutating func redactToken(at i: Int, runEnd: Int) -> Int? {
        switch b[i] {
        case UInt8(ascii: "s"):
            guard hasPrefix("sk-", at: i) else { return nil }
            let end = scan(from: i + 3, while: isKeyByte)
            guard end - (i + 3) >= 20, containsDigitAndLetter(i + 3, end), !isMaskedAfter(end) else { return nil }
            emit(openAIMarker(i, end))
            return end
        case UInt8(ascii: "g"):
            for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] where hasPrefix(prefix, at: i) {
                let end = scan(from: i + 4, while: isAlnum)
                guard end - (i + 4) >= 20, !isMaskedAfter(end) else { return nil }
                emit(prefix + "…REDACTED")
                return end
            }
            if hasPrefix("github_pat_", at: i) {
                let end = scan(from: i + 11, while: { isAlnum($0) || $0 == UInt8(ascii: "_") })
                guard end - (i + 11) >= 20, !isMaskedAfter(end) else { return nil }
                emit("github_pat_…REDACTED")
                return end
            }
            return nil
        case UInt8(ascii: "e"):
            guard let end = jwtEnd(at: i) else { return nil }
            emit(Redactor.jwtMarker)
            return end
        case UInt8(ascii: "B"), UInt8(ascii: "b"):
            guard runEnd - i == 6, hasPrefix("bearer", at: i, caseInsensitive: true) else { return nil }
            return redactBearer(schemeStart: i, schemeEnd: runEnd)
        default:
            return nil
        }
    }

    /// `Bearer <token>`: the token must be 8+ characters with a digit (or 24+ characters), so
    /// that prose such as "Bearer authentication failed" stays.
    mutating func redactBearer(schemeStart: Int, schemeEnd: Int) -> Int? {
        let tokenStart = scan(from: schemeEnd, while: isBlank)
        guard tokenStart > schemeEnd else { return nil }
        let tokenEnd = scan(from: tokenStart, while: isBearerByte)
        let length = tokenEnd - tokenStart
        guard length >= 8, length >= 24 || containsDigit(tokenStart, tokenEnd), !isMaskedAfter(tokenEnd),
            !isKeptValue(tokenStart, tokenEnd)
        else { return nil }
        out.append(contentsOf: b[schemeStart..<tokenStart])
        emit(valueMarker(tokenStart, tokenEnd))
        return tokenEnd
    }

    /// The end of a JWT (`eyJ….….…`, or a five-part JWE) starting at `i`, if there is one.
    func jwtEnd(at i: Int) -> Int? {
        guard hasPrefix("eyJ", at: i) else { return nil }
        let first = scan(from: i, while: isBase64URLByte)
        guard first - i >= 10, first < b.count, b[first] == UInt8(ascii: ".") else { return nil }
        let second = scan(from: first + 1, while: isBase64URLByte)
        guard second - (first + 1) >= 4, second < b.count, b[second] == UInt8(ascii: ".") else { return nil }
        var end = scan(from: second + 1, while: isBase64URLByte)
        while end + 1 < b.count, b[end] == UInt8(ascii: "."), isBase64URLByte(b[end + 1]) {
            end = scan(from: end + 1, while: isBase64URLByte)
        }
        return end
    }

    // MARK: Key = value

    enum KeyClass {
        /// `api_key`, `Ocp-Apim-Subscription-Key`, `AccountKey`: any value of 8+ characters.
        case apiKey
        /// Any other `…key` field: only values shaped like an Azure key (32 hex, 84 base62).
        case keyShaped
        /// `password`, `DB_PASSWORD`: any value when quoted or after `=`, else 12+ characters.
        case password
        /// `pwd` (connection strings), but not the shell's `PWD=/path`.
        case pwd
        /// `secret`, `token`, `client_secret`: 12+ characters.
        case generic
        /// `Authorization`: the credentials after the scheme (`Bearer` is left to its own rule).
        case authorization
    }

    func classify(_ start: Int, _ end: Int) -> KeyClass? {
        var name: [UInt8] = []
        for j in start..<end where isAlnum(b[j]) { name.append(lower(b[j])) }
        func ends(_ suffix: String) -> Bool {
            let s = Array(suffix.utf8)
            return name.count >= s.count && name[(name.count - s.count)...].elementsEqual(s)
        }
        func equals(_ word: String) -> Bool { name.elementsEqual(word.utf8) }
        if equals("authorization") || equals("proxyauthorization") { return .authorization }
        if equals("pwd") { return .pwd }
        if equals("sig") { return .apiKey }
        for suffix in [
            "apikey", "subscriptionkey", "accountkey", "accesskey", "secretkey", "masterkey", "openaikey",
        ] where ends(suffix) {
            return .apiKey
        }
        if ends("password") || ends("passwd") { return .password }
        if ends("secret") || ends("token") { return .generic }
        if ends("key") || (name.count == 4 && ends("key1")) || (name.count == 4 && ends("key2")) {
            return .keyShaped
        }
        return nil
    }

    /// `key: value`, `key=value`, `"key": "value"`, `'key': 'value'`, `key = "value"`,
    /// `\"key\": \"value\"` (JSON inside a JSON string).
    mutating func redactKeyValue(keyStart: Int, keyEnd: Int) -> Int? {
        let n = b.count
        var j = keyEnd
        if j + 1 < n, b[j] == UInt8(ascii: "\\"), isQuote(b[j + 1]) { j += 1 }
        if j < n, isQuote(b[j]) { j += 1 }
        let beforeSeparator = j
        j = scan(from: j, while: isBlank)
        let spaceBeforeSeparator = j > beforeSeparator
        guard j < n else { return nil }
        let separatorIsEquals: Bool
        switch b[j] {
        case UInt8(ascii: "="):
            if j + 1 < n, b[j + 1] == UInt8(ascii: "=") || b[j + 1] == UInt8(ascii: ">") { return nil }
            separatorIsEquals = true
        case UInt8(ascii: ":"):
            if j + 1 < n, b[j + 1] == UInt8(ascii: "/") || b[j + 1] == UInt8(ascii: ":") { return nil }
            separatorIsEquals = false
        default:
            return nil
        }
        guard let keyClass = classify(keyStart, keyEnd) else { return nil }
        j = scan(from: j + 1, while: isBlank)
        var quote: UInt8?
        var escapedQuote = false
        if j + 1 < n, b[j] == UInt8(ascii: "\\"), isQuote(b[j + 1]) {
            quote = b[j + 1]
            escapedQuote = true
            j += 2
        } else if j < n, isQuote(b[j]) {
            quote = b[j]
            j += 1
        }
        var valueStart = j
        if keyClass == .authorization {
            let word = scan(from: j, while: isAlpha)
            if word > j, word < n, isBlank(b[word]) {
                if word - j == 6, hasPrefix("bearer", at: j, caseInsensitive: true) { return nil }
                valueStart = scan(from: word, while: isBlank)
            }
        }
        let valueEnd: Int
        if let quote, let close = closingQuote(from: valueStart, quote: quote, escaped: escapedQuote) {
            valueEnd = close
        } else {
            valueEnd = scan(from: valueStart, while: isValueByte)
        }
        let length = valueEnd - valueStart
        let quoted = quote != nil
        switch keyClass {
        case .apiKey:
            guard length >= 8 else { return nil }
        case .keyShaped:
            guard isAzureKeyShaped(valueStart, valueEnd) || hasPrefix("sk-", at: valueStart) else { return nil }
        case .password:
            let relaxed = quoted || (separatorIsEquals && !spaceBeforeSeparator)
            guard length >= (relaxed ? 1 : 12) else { return nil }
        case .pwd:
            guard length >= 1, !isPathStart(valueStart) else { return nil }
        case .generic:
            guard length >= 12 else { return nil }
        case .authorization:
            guard length >= (valueStart > j ? 4 : 8) else { return nil }
        }
        guard !isKeptValue(valueStart, valueEnd), !isMaskedAfter(valueEnd) else { return nil }
        out.append(contentsOf: b[keyStart..<valueStart])
        emit(valueMarker(valueStart, valueEnd))
        return valueEnd
    }

    /// The index of the quote closing a value that starts at `start`, within 512 bytes and on
    /// the same line; `nil` makes the caller read the value as unquoted (bounded look-ahead keeps
    /// the scan linear).
    func closingQuote(from start: Int, quote: UInt8, escaped: Bool) -> Int? {
        let limit = min(b.count, start + 512)
        var j = start
        while j < limit {
            let c = b[j]
            if c == 0x0A || c == 0x0D { return nil }
            if escaped {
                if c == UInt8(ascii: "\\"), j + 1 < b.count, b[j + 1] == quote { return j }
            } else {
                if c == UInt8(ascii: "\\") {
                    j += 2
                    continue
                }
                if c == quote { return j }
            }
            j += 1
        }
        return nil
    }

    // MARK: URLs

    /// `scheme://user:password@host`: the password is replaced, the user part is redacted on its
    /// own (it may be a token, as in `https://ghp_…@github.com`).
    mutating func redactURLCredentials(at i: Int) -> Int? {
        let start = i + 3
        var j = start
        var lastAt: Int?
        var firstColon: Int?
        while j < b.count {
            let c = b[j]
            if c <= 0x20 || c == 0x7F || c == UInt8(ascii: "/") || c == UInt8(ascii: "?") || c == UInt8(ascii: "#")
                || isQuote(c) || c == UInt8(ascii: "<") || c == UInt8(ascii: ">") || c == UInt8(ascii: "\\")
                || c == UInt8(ascii: "`")
            {
                break
            }
            if c == UInt8(ascii: "@") { lastAt = j }
            if c == UInt8(ascii: ":"), firstColon == nil { firstColon = j }
            j += 1
        }
        guard let at = lastAt, let colon = firstColon, colon < at, at > colon + 1,
            !isKeptValue(colon + 1, at)
        else { return nil }
        out.append(contentsOf: "://".utf8)
        var user = RedactionScanner(Array(b[start..<colon]))
        out.append(contentsOf: user.run() ?? Array(b[start..<colon]))
        out.append(UInt8(ascii: ":"))
        emit(Redactor.marker)
        return at
    }

    // MARK: Values

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
        if length == 32 { return b[start..<end].allSatisfy(isHex) }
        if length == 84 { return b[start..<end].allSatisfy(isAlnum) }
        return false
    }

    func isPathStart(_ i: Int) -> Bool {
        guard i < b.count else { return false }
        if b[i] == UInt8(ascii: "/") || b[i] == UInt8(ascii: "~") { return true }
        return i + 2 < b.count && isAlpha(b[i]) && b[i + 1] == UInt8(ascii: ":") && b[i + 2] == UInt8(ascii: "\\")
    }

    /// Case-insensitive substring test; `fragment` is short, so this is linear in the value.
    func contains(_ fragment: String, _ start: Int, _ end: Int) -> Bool {
        let f = Array(fragment.utf8)
        guard end - start >= f.count else { return false }
        var j = start
        while j + f.count <= end {
            var k = 0
            while k < f.count && lower(b[j + k]) == f[k] { k += 1 }
            if k == f.count { return true }
            j += 1
        }
        return false
    }

    func containsDigit(_ start: Int, _ end: Int) -> Bool { b[start..<end].contains(where: isDigit) }

    func containsDigitAndLetter(_ start: Int, _ end: Int) -> Bool {
        containsDigit(start, end) && b[start..<end].contains(where: isAlpha)
    }
}

// MARK: - ASCII classes

private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
private func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
private func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isAlpha(c) }
private func isHex(_ c: UInt8) -> Bool { isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) }
private func lower(_ c: UInt8) -> UInt8 { isAlpha(c) ? c | 0x20 : c }
private func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
private func isQuote(_ c: UInt8) -> Bool { c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") }
/// Characters of an OpenAI key body.
private func isKeyByte(_ c: UInt8) -> Bool { isAlnum(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") }
private func isBase64URLByte(_ c: UInt8) -> Bool { isKeyByte(c) }
/// RFC 6750 `b64token` characters.
private func isBearerByte(_ c: UInt8) -> Bool {
    isKeyByte(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "~") || c == UInt8(ascii: "+")
        || c == UInt8(ascii: "/") || c == UInt8(ascii: "=")
}
/// Characters of an unquoted value: anything up to whitespace, a quote or a delimiter.
private func isValueByte(_ c: UInt8) -> Bool {
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
