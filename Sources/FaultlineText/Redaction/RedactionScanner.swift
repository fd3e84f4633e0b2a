// MARK: - Scanner

/// One pass over the bytes of a text; `run()` returns `nil` when nothing was redacted.
struct RedactionScanner {
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
        ASCII.isAlnum(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
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
            let c = caseInsensitive ? ASCII.lower(b[j]) : b[j]
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
                let end = scan(from: i + 4, while: ASCII.isAlnum)
                guard end - (i + 4) >= 20, !isMaskedAfter(end) else { return nil }
                emit(prefix + "…REDACTED")
                return end
            }
            if hasPrefix("github_pat_", at: i) {
                let end = scan(from: i + 11, while: { ASCII.isAlnum($0) || $0 == UInt8(ascii: "_") })
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
        let tokenStart = scan(from: schemeEnd, while: ASCII.isBlank)
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

}
