extension PatternParser {
    mutating func literalByte() -> Info {
        let byte = bytes[pos]
        pos += 1
        return Info.literal([byte])
    }

    /// Parses `\…`.
    mutating func parseEscape() -> Info? {
        pos += 1
        guard let byte = peek() else { return nil }
        pos += 1
        if !isAlnum(byte) { return Info.literal([byte]) }
        switch byte {
        case UInt8(ascii: "Q"):
            return parseQuotedLiteral()
        case UInt8(ascii: "E"):
            lastAtomTransparent = true
            return Info.empty
        case UInt8(ascii: "d"), UInt8(ascii: "D"), UInt8(ascii: "w"), UInt8(ascii: "W"), UInt8(ascii: "s"),
            UInt8(ascii: "S"), UInt8(ascii: "h"), UInt8(ascii: "H"), UInt8(ascii: "v"), UInt8(ascii: "V"),
            UInt8(ascii: "R"), UInt8(ascii: "X"), UInt8(ascii: "C"):
            return Info.opaque
        case UInt8(ascii: "N"):
            if peek() == UInt8(ascii: "{") { return skipBraces() ? Info.opaque : nil }
            return Info.opaque
        case UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "A"), UInt8(ascii: "z"), UInt8(ascii: "Z"),
            UInt8(ascii: "G"):
            return Info.empty
        case UInt8(ascii: "K"):
            // Resets the reported match start; the text before it is still in the subject.
            return Info.empty
        case UInt8(ascii: "p"), UInt8(ascii: "P"):
            if peek() == UInt8(ascii: "{") { return skipBraces() ? Info.opaque : nil }
            guard peek() != nil else { return nil }
            pos += 1
            return Info.opaque
        case UInt8(ascii: "n"): return Info.literal([0x0A])
        case UInt8(ascii: "t"): return Info.literal([0x09])
        case UInt8(ascii: "r"): return Info.literal([0x0D])
        case UInt8(ascii: "f"): return Info.literal([0x0C])
        case UInt8(ascii: "e"): return Info.literal([0x1B])
        case UInt8(ascii: "a"): return Info.literal([0x07])
        case UInt8(ascii: "x"):
            return parseHexEscape()
        case UInt8(ascii: "g"), UInt8(ascii: "k"):
            return parseReference()
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "o"), UInt8(ascii: "c"):
            return parseNumericEscape(byte)
        default:
            return nil
        }
    }

    /// The rest of `\Q…\E` (or of the pattern, without `\E`), after the `Q`.
    mutating func parseQuotedLiteral() -> Info? {
        var literal: [UInt8] = []
        while pos < bytes.count {
            if bytes[pos] == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "E") {
                pos += 2
                break
            }
            literal.append(bytes[pos])
            pos += 1
        }
        // A quantifier after \Q…\E applies to the last byte only.
        if let last = literal.last, let next = peek(),
            next == UInt8(ascii: "*") || next == UInt8(ascii: "+") || next == UInt8(ascii: "?")
                || next == UInt8(ascii: "{")
        {
            literal.removeLast()
            return concatenate([Info.literal(literal), parseQuantifier(Info.literal([last]))])
        }
        lastAtomTransparent = literal.isEmpty
        return Info.literal(literal)
    }

    /// The rest of a backreference or subroutine call, after the `g` or `k`:
    /// \g1 \g-1 \g{…} \g<…> \g'…' \k<…> \k'…' \k{…}
    mutating func parseReference() -> Info? {
        if let open = peek(), let close = closer(open) {
            pos += 1
            while let next = peek(), next != close { pos += 1 }
            guard peek() == close else { return nil }
            pos += 1
            return Info.opaque
        }
        if peek() == UInt8(ascii: "-") || peek() == UInt8(ascii: "+") { pos += 1 }
        guard isDigit(peek()) else { return nil }
        while isDigit(peek()) { pos += 1 }
        return Info.opaque
    }

    /// The rest of a backreference or an octal / control escape, after `byte` (a digit, `o` or
    /// `c`): the whole run is an opaque atom.
    mutating func parseNumericEscape(_ byte: UInt8) -> Info? {
        if byte == UInt8(ascii: "o") {
            guard peek() == UInt8(ascii: "{") else { return nil }
            return skipBraces() ? Info.opaque : nil
        }
        if byte == UInt8(ascii: "c") {
            guard peek() != nil else { return nil }
            pos += 1
            return Info.opaque
        }
        while isDigit(peek()) { pos += 1 }
        return Info.opaque
    }

    func closer(_ open: UInt8) -> UInt8? {
        switch open {
        case UInt8(ascii: "{"): UInt8(ascii: "}")
        case UInt8(ascii: "<"): UInt8(ascii: ">")
        case UInt8(ascii: "'"): UInt8(ascii: "'")
        default: nil
        }
    }

    func concatenate(_ items: [Info?]) -> Info? {
        var concatenation = Concatenation()
        for item in items {
            guard let item else { return nil }
            concatenation.append(item)
        }
        return concatenation.finish()
    }

    /// `\xhh` (up to two hex digits) or `\x{hh…}`; values above 0xFF are an error in byte mode.
    mutating func parseHexEscape() -> Info? {
        var value = 0
        if peek() == UInt8(ascii: "{") {
            pos += 1
            var digits = 0
            while let next = peek(), let digit = hexValue(next) {
                value = value * 16 + digit
                digits += 1
                pos += 1
                if value > 0xFF { return nil }
            }
            guard digits > 0, peek() == UInt8(ascii: "}") else { return nil }
            pos += 1
        } else {
            var digits = 0
            while digits < 2, let next = peek(), let digit = hexValue(next) {
                value = value * 16 + digit
                digits += 1
                pos += 1
            }
        }
        return Info.literal([UInt8(value)])
    }

    func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
