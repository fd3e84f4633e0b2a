// MARK: - Key = value and URL credentials

extension RedactionScanner {

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
        for j in start..<end where ASCII.isAlnum(b[j]) { name.append(ASCII.lower(b[j])) }
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
        j = scan(from: j, while: ASCII.isBlank)
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
        j = scan(from: j + 1, while: ASCII.isBlank)
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
            let word = scan(from: j, while: ASCII.isLetter)
            if word > j, word < n, ASCII.isBlank(b[word]) {
                if word - j == 6, hasPrefix("bearer", at: j, caseInsensitive: true) { return nil }
                valueStart = scan(from: word, while: ASCII.isBlank)
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
}
