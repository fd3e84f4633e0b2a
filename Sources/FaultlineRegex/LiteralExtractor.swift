/// Literals that must occur in any text the pattern matches: at least one of `alternatives` occurs
/// (compared ASCII case-insensitively).
public struct RequiredLiterals: Sendable, Hashable {
    /// The alternatives; every one is at least 3 bytes long.
    public var alternatives: [[UInt8]]

    /// Creates a literal set.
    public init(alternatives: [[UInt8]]) {
        self.alternatives = alternatives
    }
}

/// Derives a prefilter literal set from PCRE2 pattern source.
///
/// The extractor parses the pattern conservatively: anything it does not understand either
/// becomes an opaque atom that breaks literals (always safe) or makes it give up (`nil`).
/// Case-insensitivity needs no special handling because ``LiteralSetScanner`` always compares
/// ASCII case-insensitively (PCRE2 in byte mode only folds ASCII with its default tables).
public enum LiteralExtractor {
    /// The required literal set for `pattern`, or `nil` when no set whose every alternative is at
    /// least 3 bytes can be proven (the pattern must then always be run).
    ///
    /// Never produces a set that would miss a real match: false candidates are possible, false
    /// negatives are not. Returns `nil` for extended mode (`RegexOptions.extended` or `(?x)`),
    /// conditionals, callouts, `(*VERB)`s and anything else it cannot parse.
    public static func required(pattern: String, options: RegexOptions = []) -> RequiredLiterals? {
        if options.contains(.extended) { return nil }
        var parser = PatternParser(Array(pattern.utf8))
        guard let info = parser.parseAlternation(), parser.atEnd, let best = info.required else {
            return nil
        }
        return RequiredLiterals(alternatives: best.sorted { $0.lexicographicallyPrecedes($1) })
    }
}

/// Maximum number of strings in a finite literal set before it is given up.
private let maxSetSize = 64
/// Minimum length of every alternative of a usable required set.
private let minLiteralLength = 3

/// What is known about the strings a sub-pattern can match.
private struct Info {
    /// The node matches exactly one of these strings (a finite set), or `nil` if not known.
    var exact: [[UInt8]]?
    /// Every match starts with one of these strings (`[[]]` when nothing is known).
    var prefix: [[UInt8]]
    /// Every match ends with one of these strings (`[[]]` when nothing is known).
    var suffix: [[UInt8]]
    /// Every match contains one of these strings (all at least 3 bytes), or `nil`.
    var required: [[UInt8]]?

    /// An atom about which nothing is known (`.`, `\d`, a class, a backreference, …).
    static let opaque = Info(exact: nil, prefix: [[]], suffix: [[]], required: nil)
    /// A zero-width item (anchor, assertion, lookaround, option setting, comment).
    static let empty = Info.literal([])

    static func literal(_ bytes: [UInt8]) -> Info {
        Info(exact: [bytes], prefix: [bytes], suffix: [bytes], required: usable([bytes]))
    }
}

/// `set` if it is a usable required set (non-empty, small, every string long enough).
private func usable(_ set: [[UInt8]]) -> [[UInt8]]? {
    guard !set.isEmpty, set.count <= maxSetSize, set.allSatisfy({ $0.count >= minLiteralLength }) else {
        return nil
    }
    return minimize(dedup(set))
}

/// Drops every string that contains another string of the set: a text holding the longer one
/// holds the shorter one too, so the set still covers every match.
private func minimize(_ set: [[UInt8]]) -> [[UInt8]] {
    let folded = set.map(foldASCII)
    var keep: [[UInt8]] = []
    for (index, candidate) in folded.enumerated() {
        let redundant = folded.indices.contains { other in
            other != index && folded[other].count < candidate.count && contains(candidate, folded[other])
        }
        if !redundant { keep.append(set[index]) }
    }
    return keep
}

private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count else { return false }
    for start in 0...(haystack.count - needle.count)
    where haystack[start..<(start + needle.count)].elementsEqual(needle) {
        return true
    }
    return false
}

private func dedup(_ set: [[UInt8]]) -> [[UInt8]] {
    var seen = Set<[UInt8]>()
    var out: [[UInt8]] = []
    for item in set where seen.insert(foldASCII(item)).inserted {
        out.append(item)
    }
    return out
}

private func foldASCII(_ bytes: [UInt8]) -> [UInt8] {
    bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
}

/// Higher is better: long, few alternatives, not mostly spaces or digits.
private func score(_ set: [[UInt8]]) -> Double {
    var worst = Double.infinity
    for literal in set {
        var value = 0.0
        for byte in literal {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "0")...UInt8(ascii: "9"): value += 0.5
            case UInt8(ascii: "e"), UInt8(ascii: "t"), UInt8(ascii: "a"), UInt8(ascii: "o"): value += 0.75
            default: value += 1
            }
        }
        worst = min(worst, min(value, 16))
    }
    var penalty = 0.0
    var count = set.count
    while count > 1 {
        penalty += 1.5
        count >>= 1
    }
    return worst - penalty
}

private func better(_ a: [[UInt8]]?, _ b: [[UInt8]]?) -> [[UInt8]]? {
    guard let a else { return b }
    guard let b else { return a }
    return score(b) > score(a) ? b : a
}

/// Cross product of two sets, or `nil` if it would exceed ``maxSetSize``.
private func cross(_ a: [[UInt8]], _ b: [[UInt8]]) -> [[UInt8]]? {
    guard a.count * b.count <= maxSetSize else { return nil }
    var out: [[UInt8]] = []
    out.reserveCapacity(a.count * b.count)
    for x in a {
        for y in b { out.append(x + y) }
    }
    return dedup(out)
}

private func union(_ a: [[UInt8]], _ b: [[UInt8]]) -> [[UInt8]]? {
    let joined = dedup(a + b)
    return joined.count <= maxSetSize ? joined : nil
}

/// Folds a sequence of items matched one after another.
private struct Concatenation {
    /// Strings that the text immediately before the current position ends with, contiguous.
    var current: [[UInt8]] = [[]]
    var allExact = true
    var prefix: [[UInt8]]?
    var required: [[UInt8]]?

    mutating func flush() {
        required = better(required, usable(current))
        if prefix == nil { prefix = current }
    }

    mutating func append(_ info: Info) {
        if let exact = info.exact {
            if let joined = cross(current, exact) {
                current = joined
            } else {
                flush()
                allExact = false
                current = exact
            }
            return
        }
        allExact = false
        required = better(required, info.required)
        if let joined = cross(current, info.prefix) {
            current = joined
        }
        flush()
        current = info.suffix
    }

    func finish() -> Info {
        var copy = self
        if allExact {
            return Info(exact: current, prefix: current, suffix: current, required: usable(current))
        }
        copy.flush()
        return Info(exact: nil, prefix: copy.prefix ?? [[]], suffix: current, required: copy.required)
    }
}

/// Recursive-descent parser over the pattern's UTF-8 bytes.
private struct PatternParser {
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
            // Backreference or subroutine call: \g1 \g-1 \g{…} \g<…> \g'…' \k<…> \k'…' \k{…}
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
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "o"), UInt8(ascii: "c"):
            // Backreferences and octal / control escapes: treat the whole run as an opaque atom.
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
        default:
            return nil
        }
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
