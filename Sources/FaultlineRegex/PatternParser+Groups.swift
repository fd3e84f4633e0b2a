extension PatternParser {
    /// Skips `{…}` starting at the current `{`.
    mutating func skipBraces() -> Bool {
        while let next = peek(), next != UInt8(ascii: "}") { pos += 1 }
        guard peek() == UInt8(ascii: "}") else { return false }
        pos += 1
        return true
    }

    /// Skips a character class `[…]`, starting at `[`. Returns `false` if unterminated.
    mutating func skipClass() -> Bool {
        pos += 1
        if peek() == UInt8(ascii: "^") { pos += 1 }
        if peek() == UInt8(ascii: "]") { pos += 1 }  // a leading ']' is literal
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "]"):
                pos += 1
                return true
            case UInt8(ascii: "\\"):
                if peek(1) == UInt8(ascii: "Q") {
                    pos += 2
                    while pos < bytes.count, !(bytes[pos] == UInt8(ascii: "\\") && peek(1) == UInt8(ascii: "E")) {
                        pos += 1
                    }
                    pos += 2
                } else {
                    pos += 2
                }
            case UInt8(ascii: "["):
                // POSIX class [:alpha:] / [=x=] / [.x.]
                if let kind = peek(1),
                    kind == UInt8(ascii: ":") || kind == UInt8(ascii: "=") || kind == UInt8(ascii: ".")
                {
                    var end = pos + 2
                    while end + 1 < bytes.count, !(bytes[end] == kind && bytes[end + 1] == UInt8(ascii: "]")) {
                        if bytes[end] == UInt8(ascii: "]") { break }
                        end += 1
                    }
                    if end + 1 < bytes.count, bytes[end] == kind, bytes[end + 1] == UInt8(ascii: "]") {
                        pos = end + 2
                    } else {
                        pos += 1
                    }
                } else {
                    pos += 1
                }
            default:
                pos += 1
            }
        }
        return false
    }

    /// Parses a group starting at `(`.
    mutating func parseGroup() -> Info? {
        pos += 1
        guard let first = peek() else { return nil }
        if first == UInt8(ascii: "*") { return nil }  // (*VERB) or (*pla:…) etc.
        if first != UInt8(ascii: "?") {
            return parseGroupBody(zeroWidth: false)
        }
        pos += 1
        guard let kind = peek() else { return nil }
        switch kind {
        case UInt8(ascii: ":"), UInt8(ascii: "|"), UInt8(ascii: ">"):
            pos += 1
            return parseGroupBody(zeroWidth: false)
        case UInt8(ascii: "="), UInt8(ascii: "!"):
            pos += 1
            return parseGroupBody(zeroWidth: true)
        case UInt8(ascii: "#"):
            while let next = peek(), next != UInt8(ascii: ")") { pos += 1 }
            guard peek() == UInt8(ascii: ")") else { return nil }
            pos += 1
            lastAtomTransparent = true
            return Info.empty
        case UInt8(ascii: "<"):
            pos += 1
            if peek() == UInt8(ascii: "=") || peek() == UInt8(ascii: "!") {
                pos += 1
                return parseGroupBody(zeroWidth: true)
            }
            return skipName(until: UInt8(ascii: ">")) ? parseGroupBody(zeroWidth: false) : nil
        case UInt8(ascii: "'"):
            pos += 1
            return skipName(until: UInt8(ascii: "'")) ? parseGroupBody(zeroWidth: false) : nil
        case UInt8(ascii: "P"):
            pos += 1
            if peek() == UInt8(ascii: "<") {
                pos += 1
                return skipName(until: UInt8(ascii: ">")) ? parseGroupBody(zeroWidth: false) : nil
            }
            // (?P=name) backreference, (?P>name) subroutine call.
            return skipToCloseParen() ? Info.opaque : nil
        case UInt8(ascii: "R"), UInt8(ascii: "&"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return skipToCloseParen() ? Info.opaque : nil
        case UInt8(ascii: "-"):
            if isDigit(peek(1)) { return skipToCloseParen() ? Info.opaque : nil }
            return parseOptionSetting()
        default:
            return parseOptionSetting()
        }
    }

    /// `(?imsnU-imsnU)` or `(?i:…)`; gives up on `x` (extended) and anything unexpected.
    mutating func parseOptionSetting() -> Info? {
        let allowed: Set<UInt8> = Set("imsnUJ-^".utf8)
        while let next = peek(), allowed.contains(next) { pos += 1 }
        guard let end = peek() else { return nil }
        pos += 1
        if end == UInt8(ascii: ")") {
            lastAtomTransparent = true
            return Info.empty
        }
        if end == UInt8(ascii: ":") { return parseGroupBody(zeroWidth: false) }
        return nil  // includes 'x', conditionals '(?(', callouts '(?C'
    }

    mutating func skipName(until terminator: UInt8) -> Bool {
        while let next = peek(), next != terminator {
            guard isAlnum(next) || next == UInt8(ascii: "_") else { return false }
            pos += 1
        }
        guard peek() == terminator else { return false }
        pos += 1
        return true
    }

    mutating func skipToCloseParen() -> Bool {
        while let next = peek(), next != UInt8(ascii: ")") {
            guard next != UInt8(ascii: "(") && next != UInt8(ascii: "\\") else { return false }
            pos += 1
        }
        guard peek() == UInt8(ascii: ")") else { return false }
        pos += 1
        return true
    }

    /// Parses `alternation ')'`; a zero-width group (lookaround) contributes nothing.
    mutating func parseGroupBody(zeroWidth: Bool) -> Info? {
        guard let inner = parseAlternation(), peek() == UInt8(ascii: ")") else { return nil }
        pos += 1
        return zeroWidth ? Info.empty : inner
    }
}
