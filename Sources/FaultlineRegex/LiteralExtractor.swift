import FaultlineText

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
struct Info {
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
func usable(_ set: [[UInt8]]) -> [[UInt8]]? {
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

private func foldASCII(_ bytes: [UInt8]) -> [UInt8] { ASCII.lowered(bytes) }

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

func better(_ a: [[UInt8]]?, _ b: [[UInt8]]?) -> [[UInt8]]? {
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

func union(_ a: [[UInt8]], _ b: [[UInt8]]) -> [[UInt8]]? {
    let joined = dedup(a + b)
    return joined.count <= maxSetSize ? joined : nil
}

/// Folds a sequence of items matched one after another.
struct Concatenation {
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
