import FaultlineText

/// A package version as printed in logs, ordered the way rule `versions:` ranges need.
///
/// Accepted shapes: `2.0.0-beta.2`, `0.90.241021.1`, `v0.7.7`, `1.52.0.post1`, `2.12`,
/// `1.0.0b5`, `2.0.0rc1`, `1.0.0.dev3`, `1.2.3+build.7` (build metadata is ignored).
///
/// Ordering:
/// 1. the numeric dot parts, compared as numbers; missing parts count as 0 (`2.12 == 2.12.0`);
/// 2. a development release (`1.0.dev1`) sorts before every prerelease of the same numbers, and a
///    prerelease (`-beta.2`, `-rc.1`, `b2`, `rc1`) sorts before the release;
/// 3. prerelease identifiers are compared one by one as in semver: numerically when both are
///    numeric, lexically when both are text, a numeric identifier before a text one, and a shorter
///    list before a longer one with the same start. Letters and digits are split (`beta2` is
///    `beta`, `2`), and the Python short forms are spelled out (`a` → `alpha`, `b` → `beta`,
///    `c` → `rc`), so `2.0.0-beta.2`, `2.0.0-beta2` and `2.0.0b2` are equal;
/// 4. a post release (`.post1`) sorts after the release it follows.
public struct Version: Comparable, Sendable, CustomStringConvertible {
    /// One prerelease identifier.
    enum Identifier: Sendable, Equatable {
        case number(Int)
        case text(String)
    }

    /// The numeric dot parts, as written (no padding).
    let numbers: [Int]
    /// Prerelease identifiers; `nil` for a release.
    let prerelease: [Identifier]?
    /// The post-release number (`.post1` → 1), if any.
    let post: Int?
    /// The development-release number (`.dev3` → 3), if any.
    let dev: Int?
    /// The text the version was parsed from, trimmed and without a leading `v`.
    let text: String

    /// Most numeric parts accepted (guards against absurd input).
    private static let maxParts = 12
    /// Most digits in one number (keeps every part inside `Int`).
    private static let maxDigits = 18

    /// Parses `text`; `nil` when it is not a version (no leading number, characters other than
    /// ASCII letters, digits, `.`, `-`, `_` and `+`, or an over-long number).
    public init?(_ text: String) {
        var bytes = Array(text.utf8)
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        if let first = bytes.first, first == UInt8(ascii: "v") || first == UInt8(ascii: "V") {
            bytes.removeFirst()
        }
        guard let first = bytes.first, ASCII.isDigit(first) else { return nil }
        // Build metadata (`+…`) does not take part in ordering.
        let core = bytes.firstIndex(of: UInt8(ascii: "+")).map { Array(bytes[..<$0]) } ?? bytes
        guard core.allSatisfy({ ASCII.isDigit($0) || ASCII.isLetter($0) || Self.isSeparator($0) }) else {
            return nil
        }

        var numbers: [Int] = []
        var index = 0
        while index < core.count, ASCII.isDigit(core[index]) {
            var end = index
            while end < core.count, ASCII.isDigit(core[end]) { end += 1 }
            guard end - index <= Self.maxDigits, numbers.count < Self.maxParts else { return nil }
            numbers.append(Self.number(core[index..<end]))
            index = end
            // Continue only across a dot that is followed by another number.
            if index + 1 < core.count, core[index] == UInt8(ascii: "."), ASCII.isDigit(core[index + 1]) {
                index += 1
            } else {
                break
            }
        }

        guard let suffix = Self.parseSuffix(core[index...]) else { return nil }
        self.numbers = numbers
        self.prerelease = suffix.prerelease
        self.post = suffix.post
        self.dev = suffix.dev
        self.text = String(decoding: bytes, as: UTF8.self)
    }

    /// The version as written, without a leading `v`.
    public var description: String { text }

    /// Splits the rest after the numbers into prerelease identifiers, post and dev numbers.
    private static func parseSuffix(_ rest: ArraySlice<UInt8>) -> (prerelease: [Identifier]?, post: Int?, dev: Int?)? {
        // Tokens: runs of letters and runs of digits; `.`, `-` and `_` only separate.
        var tokens: [Identifier] = []
        var index = rest.startIndex
        while index < rest.endIndex {
            let byte = rest[index]
            if isSeparator(byte) {
                index += 1
                continue
            }
            var end = index
            if ASCII.isDigit(byte) {
                while end < rest.endIndex, ASCII.isDigit(rest[end]) { end += 1 }
                guard end - index <= maxDigits else { return nil }
                tokens.append(.number(number(rest[index..<end])))
            } else {
                while end < rest.endIndex, ASCII.isLetter(rest[end]) { end += 1 }
                let word = String(decoding: rest[index..<end].map { $0 | 0x20 }, as: UTF8.self)
                tokens.append(.text(word))
            }
            index = end
        }

        var prerelease: [Identifier]? = nil
        var post: Int? = nil
        var dev: Int? = nil
        var position = 0
        while position < tokens.count {
            let token = tokens[position]
            position += 1
            // The number right after a marker word belongs to it.
            var following: Int? = nil
            if position < tokens.count, case .number(let value) = tokens[position] {
                following = value
            }
            switch token {
            case .text("post"), .text("rev"), .text("r"):
                post = following ?? 0
                if following != nil { position += 1 }
            case .text("dev"):
                dev = following ?? 0
                if following != nil { position += 1 }
            case .text(let word):
                prerelease = (prerelease ?? []) + [.text(normalized(word))]
            case .number:
                prerelease = (prerelease ?? []) + [token]
            }
        }
        return (prerelease, post, dev)
    }

    /// Python's short prerelease markers, spelled out so they order with the semver words.
    private static func normalized(_ word: String) -> String {
        switch word {
        case "a": "alpha"
        case "b": "beta"
        case "c": "rc"
        default: word
        }
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int {
        digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    /// Three-way comparison: negative, zero or positive.
    static func compare(_ lhs: Version, _ rhs: Version) -> Int {
        let width = max(lhs.numbers.count, rhs.numbers.count)
        for index in 0..<width {
            let left = index < lhs.numbers.count ? lhs.numbers[index] : 0
            let right = index < rhs.numbers.count ? rhs.numbers[index] : 0
            if left != right { return left < right ? -1 : 1 }
        }
        let phase = lhs.phase - rhs.phase
        if phase != 0 { return phase }
        if let left = lhs.prerelease, let right = rhs.prerelease {
            let order = compareIdentifiers(left, right)
            if order != 0 { return order }
        }
        // Post: none < any number.
        let leftPost = lhs.post ?? -1
        let rightPost = rhs.post ?? -1
        if leftPost != rightPost { return leftPost < rightPost ? -1 : 1 }
        // Dev: any number < none.
        let leftDev = lhs.dev ?? Int.max
        let rightDev = rhs.dev ?? Int.max
        if leftDev != rightDev { return leftDev < rightDev ? -1 : 1 }
        return 0
    }

    /// 0: a dev release of a final version (`1.0.dev1`), 1: a prerelease, 2: a release.
    private var phase: Int {
        if prerelease != nil { return 1 }
        if dev != nil, post == nil { return 0 }
        return 2
    }

    private static func compareIdentifiers(_ lhs: [Identifier], _ rhs: [Identifier]) -> Int {
        for (left, right) in zip(lhs, rhs) {
            switch (left, right) {
            case (.number(let a), .number(let b)) where a != b: return a < b ? -1 : 1
            case (.text(let a), .text(let b)) where a != b: return a < b ? -1 : 1
            case (.number, .text): return -1
            case (.text, .number): return 1
            default: continue
            }
        }
        if lhs.count != rhs.count { return lhs.count < rhs.count ? -1 : 1 }
        return 0
    }

    /// Versions are equal when they order the same (`2.12 == 2.12.0`, `2.0.0b2 == 2.0.0-beta.2`).
    public static func == (lhs: Version, rhs: Version) -> Bool { compare(lhs, rhs) == 0 }

    /// Version order (see the type's documentation).
    public static func < (lhs: Version, rhs: Version) -> Bool { compare(lhs, rhs) < 0 }
}

/// A set of versions given as comma-separated comparisons, all of which must hold:
/// `>=2.0.0-beta.2, <2.0.0-beta.6`, `<0.91`, `>=2.12.0, <=2.29.0`, `==1.52.0`.
///
/// Operators: `>=`, `<=`, `>`, `<`, `==` (also `=`, or no operator), `!=`. Whitespace around
/// operators and versions is ignored, so `>= 2.12, < 2.30` is accepted too.
public struct VersionRange: Sendable, CustomStringConvertible {
    /// A comparison operator.
    enum Operator: String, Sendable, CaseIterable {
        case greaterOrEqual = ">="
        case lessOrEqual = "<="
        case notEqual = "!="
        case equal = "=="
        case greater = ">"
        case less = "<"
    }

    /// One `operator version` clause.
    struct Clause: Sendable {
        let op: Operator
        let version: Version
    }

    let clauses: [Clause]

    /// Parses `text`; `nil` when it is empty or any clause is not `operator version`.
    public init?(_ text: String) {
        var clauses: [Clause] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            var rest = Substring(part.trimmingWhitespace())
            guard !rest.isEmpty else { return nil }
            var op = Operator.equal
            if let found = Operator.allCases.first(where: { rest.hasPrefix($0.rawValue) }) {
                op = found
                rest = rest.dropFirst(found.rawValue.count)
            } else if rest.hasPrefix("=") {
                rest = rest.dropFirst()
            }
            guard let version = Version(String(rest)) else { return nil }
            clauses.append(Clause(op: op, version: version))
        }
        guard !clauses.isEmpty else { return nil }
        self.clauses = clauses
    }

    /// Whether `version` satisfies every clause.
    public func contains(_ version: Version) -> Bool {
        clauses.allSatisfy { clause in
            let order = Version.compare(version, clause.version)
            return switch clause.op {
            case .greaterOrEqual: order >= 0
            case .lessOrEqual: order <= 0
            case .notEqual: order != 0
            case .equal: order == 0
            case .greater: order > 0
            case .less: order < 0
            }
        }
    }

    /// The clauses, normalized: `>=2.0.0-beta.2, <2.0.0-beta.6`.
    public var description: String {
        clauses.map { "\($0.op.rawValue)\($0.version)" }.joined(separator: ", ")
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    fileprivate func trimmingWhitespace() -> SubSequence {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return self[endIndex..<endIndex]
        }
        return self[start...last]
    }
}
