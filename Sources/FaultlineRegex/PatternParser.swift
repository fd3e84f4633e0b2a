/// Recursive-descent parser over the pattern's UTF-8 bytes.
struct PatternParser {
    let bytes: [UInt8]
    var pos = 0
    /// Set by atoms that PCRE2 may skip when looking for a quantifier's target (`\E`, an empty
    /// `\Q\E`, `(?#…)`, an option setting): a quantifier after one of them makes us give up.
    var lastAtomTransparent = false

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { pos >= bytes.count }

    func peek(_ offset: Int = 0) -> UInt8? {
        pos + offset < bytes.count ? bytes[pos + offset] : nil
    }

    func isDigit(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    func isAlnum(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
    }

    /// alternation := concatenation ('|' concatenation)*
    mutating func parseAlternation() -> Info? {
        guard var result = parseConcatenation() else { return nil }
        while peek() == UInt8(ascii: "|") {
            pos += 1
            guard let next = parseConcatenation() else { return nil }
            result = alternate(result, next)
        }
        return result
    }

    func alternate(_ a: Info, _ b: Info) -> Info {
        var exact: [[UInt8]]? = nil
        if let x = a.exact, let y = b.exact { exact = union(x, y) }
        var required: [[UInt8]]? = nil
        if let x = a.required, let y = b.required, let joined = union(x, y) { required = usable(joined) }
        if let exact, let exactRequired = usable(exact) { required = better(required, exactRequired) }
        return Info(
            exact: exact, prefix: union(a.prefix, b.prefix) ?? [[]], suffix: union(a.suffix, b.suffix) ?? [[]],
            required: required)
    }

    /// concatenation := (atom quantifier?)*, ending before '|' or ')' or at the end.
    mutating func parseConcatenation() -> Info? {
        var concatenation = Concatenation()
        while let byte = peek(), byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") {
            lastAtomTransparent = false
            guard let atom = parseAtom() else { return nil }
            if lastAtomTransparent, let next = peek(),
                next == UInt8(ascii: "*") || next == UInt8(ascii: "+") || next == UInt8(ascii: "?")
                    || next == UInt8(ascii: "{")
            {
                return nil
            }
            guard let quantified = parseQuantifier(atom) else { return nil }
            concatenation.append(quantified)
        }
        return concatenation.finish()
    }

    /// The value of a run of decimal digits (saturating at one million).
    func number(_ digits: some Sequence<UInt8>) -> Int {
        var value = 0
        for digit in digits { value = min(value * 10 + Int(digit - UInt8(ascii: "0")), 1_000_000) }
        return value
    }

    /// Applies a following quantifier, if any.
    mutating func parseQuantifier(_ atom: Info) -> Info? {
        guard let byte = peek() else { return atom }
        var minimum: Int
        var atMostOnce = false
        switch byte {
        case UInt8(ascii: "*"):
            minimum = 0
            pos += 1
        case UInt8(ascii: "?"):
            minimum = 0
            atMostOnce = true
            pos += 1
        case UInt8(ascii: "+"):
            minimum = 1
            pos += 1
        case UInt8(ascii: "{"):
            var end = pos + 1
            while end < bytes.count,
                isDigit(bytes[end]) || bytes[end] == UInt8(ascii: ",") || bytes[end] == UInt8(ascii: " ")
            {
                end += 1
            }
            guard end < bytes.count, bytes[end] == UInt8(ascii: "}"), end > pos + 1 else { return atom }
            let body = Array(bytes[(pos + 1)..<end])
            let leading = body.prefix(while: isDigit)
            let rest = body.dropFirst(leading.count)
            let strict =
                !leading.isEmpty
                && (rest.isEmpty || (rest.first == UInt8(ascii: ",") && rest.dropFirst().allSatisfy(isDigit)))
            // `{n}`, `{n,}`, `{n,m}` are quantifiers; `{,m}` and spaced forms changed meaning in
            // PCRE2 10.43 (literal before, quantifier after), so give up on them.
            guard strict else { return nil }
            minimum = number(leading)
            // {0}, {1}, {0,1}, {1,1}, …: at most one occurrence keeps a finite set.
            let maximumDigits = rest.dropFirst()
            let maximum = rest.isEmpty ? minimum : (maximumDigits.isEmpty ? Int.max : number(maximumDigits))
            atMostOnce = maximum <= 1
            pos = end + 1
        default:
            return atom
        }
        // Lazy or possessive suffix.
        if peek() == UInt8(ascii: "?") || peek() == UInt8(ascii: "+") { pos += 1 }
        if let next = peek(), next == UInt8(ascii: "*") || next == UInt8(ascii: "+") || next == UInt8(ascii: "?") {
            return nil  // stacked quantifiers: give up rather than guess
        }
        if minimum == 0 {
            var optional = Info.opaque
            // Only "zero or one" keeps a finite set; `*` and `{0,n}` repeat unknown times.
            if atMostOnce, let exact = atom.exact, let withEmpty = union(exact, [[]]) {
                optional = Info(exact: withEmpty, prefix: [[]], suffix: [[]], required: nil)
            }
            return optional
        }
        // At least one occurrence: it starts with the atom's prefix and ends with its suffix.
        let required = better(atom.required, atom.exact.flatMap(usable))
        return Info(
            exact: nil, prefix: atom.exact ?? atom.prefix, suffix: atom.exact ?? atom.suffix, required: required)
    }

    mutating func parseAtom() -> Info? {
        guard let byte = peek() else { return nil }
        switch byte {
        case UInt8(ascii: "\\"):
            return parseEscape()
        case UInt8(ascii: "["):
            return skipClass() ? Info.opaque : nil
        case UInt8(ascii: "("):
            return parseGroup()
        case UInt8(ascii: "."):
            pos += 1
            return Info.opaque
        case UInt8(ascii: "^"), UInt8(ascii: "$"):
            pos += 1
            return Info.empty
        case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
            return nil  // quantifier with nothing to repeat
        case UInt8(ascii: "{"):
            // A literal brace only if it cannot start a quantifier; otherwise give up.
            var probe = self
            return probe.parseQuantifier(Info.empty) == nil || probe.pos != pos ? nil : literalByte()
        default:
            return literalByte()
        }
    }
}
