import FaultlineModel
import FaultlineText

/// What one field of a `where:` clause must hold.
public enum FieldExpectation: Sendable, Hashable {
    /// A glob over the value, ASCII case-insensitive: `*` matches any run of characters (also
    /// none), `?` exactly one character; everything else matches itself
    /// (`*.openai.azure.com`, `*AuthenticationError`).
    case text(String)
    /// A whole number: the value, read as an integer, equals it (`401`).
    case number(Int)
    /// Alternatives: any one of them matches (`[401, 403]`).
    case any([FieldExpectation])
    /// An HTTP status class: `4` for `4xx`; the value is a number from `400` to `499`.
    case statusClass(Int)

    /// The expectation a `where:` scalar written as text denotes: `4xx` (any case) is
    /// ``statusClass(_:)``, anything else ``text(_:)``. Numbers written as numbers in YAML are
    /// ``number(_:)``; callers build that case themselves.
    public init(scalar: String) {
        let bytes = Array(scalar.utf8)
        if bytes.count == 3, (0x31...0x35).contains(bytes[0]), bytes[1] | 0x20 == 0x78, bytes[2] | 0x20 == 0x78 {
            self = .statusClass(Int(bytes[0] - 0x30))
        } else {
            self = .text(scalar)
        }
    }
}

extension FieldExpectation: CustomStringConvertible {
    /// As written in a rule: `*.azure.com`, `401`, `[401, 403]`, `4xx`.
    public var description: String {
        switch self {
        case .text(let text): text
        case .number(let number): String(number)
        case .any(let alternatives): "[" + alternatives.map(\.description).joined(separator: ", ") + "]"
        case .statusClass(let digit): "\(digit)xx"
        }
    }
}

/// The `where:` clause of a rule: conditions on the values of a matched event (`status`,
/// `host`, `error.code`, `exception`, a capture…), all of which must hold.
///
/// Matching is pure and cheap: globs are compiled to UTF-8 bytes once and matched without
/// allocation or backtracking beyond the classic two-pointer glob walk (at most
/// O(value × pattern) bytes, linear for one `*`).
public struct FieldFilter: Sendable {
    /// One field's compiled condition.
    struct Condition: Sendable {
        let field: String
        let test: Test
    }

    /// A compiled expectation.
    indirect enum Test: Sendable {
        case glob([UInt8])
        case number(Int)
        case any([Test])
        case statusClass(Int)
    }

    let conditions: [Condition]

    /// The spec it was built from, field by field.
    public let spec: [(field: String, expected: FieldExpectation)]

    /// Builds the filter from a `where:` mapping (field name → expected value). Returns `nil` for
    /// an invalid spec; ``problem(in:)`` says why.
    public init?(_ spec: [(field: String, expected: FieldExpectation)]) {
        guard Self.problem(in: spec) == nil else { return nil }
        self.spec = spec
        conditions = spec.map { Condition(field: $0.field, test: Self.compile($0.expected)) }
    }

    /// Why `spec` is not a valid `where:` clause, or `nil` when it is: no fields; an empty or
    /// repeated field name; an empty text; a negative number; an empty list of alternatives; a
    /// status class outside `1xx`–`5xx`.
    public static func problem(in spec: [(field: String, expected: FieldExpectation)]) -> String? {
        guard !spec.isEmpty else { return "where: names no field" }
        var seen: Set<String> = []
        for (field, expected) in spec {
            guard !field.isEmpty, !field.contains(where: { $0.isWhitespace }) else {
                return "where: field name '\(field)' is empty or contains spaces"
            }
            guard seen.insert(field).inserted else { return "where: field '\(field)' is given twice" }
            if let problem = Self.problem(in: expected) { return "where: \(field): \(problem)" }
        }
        return nil
    }

    private static func problem(in expected: FieldExpectation) -> String? {
        switch expected {
        case .text(let text):
            return text.isEmpty ? "empty text (use '*' for any value)" : nil
        case .number(let number):
            return number < 0 ? "negative number \(number)" : nil
        case .any(let alternatives):
            guard !alternatives.isEmpty else { return "empty list of alternatives" }
            return alternatives.lazy.compactMap { Self.problem(in: $0) }.first
        case .statusClass(let digit):
            return (1...5).contains(digit) ? nil : "status class \(digit)xx is not one of 1xx–5xx"
        }
    }

    private static func compile(_ expected: FieldExpectation) -> Test {
        switch expected {
        case .text(let text): .glob(ASCII.lowered(text.utf8))
        case .number(let number): .number(number)
        case .any(let alternatives): .any(alternatives.map(compile))
        case .statusClass(let digit): .statusClass(digit)
        }
    }

    /// Whether every condition holds for `values`. A field absent from `values` never matches.
    public func matches(_ values: [String: String]) -> Bool {
        firstFailing(values) == nil
    }

    /// The first condition that does not hold for `values` (its field, what it expects, and the
    /// value found, `nil` when the field is absent), or `nil` when every one holds.
    public func firstMismatch(_ values: [String: String]) -> (
        field: String, expected: FieldExpectation, actual: String?
    )? {
        guard let i = firstFailing(values) else { return nil }
        return (spec[i].field, spec[i].expected, values[spec[i].field])
    }

    /// The index of the first condition that does not hold (the scan's check: no value copied).
    private func firstFailing(_ values: [String: String]) -> Int? {
        for i in conditions.indices {
            guard let value = values[conditions[i].field], Self.holds(conditions[i].test, value) else { return i }
        }
        return nil
    }

    private static func holds(_ test: Test, _ value: String) -> Bool {
        switch test {
        case .glob(let pattern):
            var copy = value
            return copy.withUTF8 { value in
                pattern.withUnsafeBufferPointer { Glob.matches($0, value, foldingCase: true) }
            }
        case .number(let number):
            return integer(value) == number
        case .any(let alternatives):
            return alternatives.contains { holds($0, value) }
        case .statusClass(let digit):
            guard let number = integer(value) else { return false }
            return number / 100 == digit && number >= 100 && number <= 599
        }
    }

    /// The value as an integer (surrounding spaces allowed), or `nil`.
    private static func integer(_ value: String) -> Int? {
        var start = value.utf8.startIndex
        var end = value.utf8.endIndex
        while start < end, value.utf8[start] == 0x20 { start = value.utf8.index(after: start) }
        while end > start, value.utf8[value.utf8.index(before: end)] == 0x20 { end = value.utf8.index(before: end) }
        return Int(Substring(value.utf8[start..<end]))
    }

    // MARK: - Prefilter literals

    /// Fields whose values are copied verbatim (up to ASCII case and string escapes) from the
    /// event's text, so a literal of the expected value must occur in that text. Values that are
    /// computed (`retry_count` from tries, `retry_after` from milliseconds), come from other lines
    /// (`version.*`) or from rule captures of unknown provenance yield no literals.
    static let verbatimFields: Set<String> = Set(ValueName.allCases.filter(\.isVerbatim).map(\.rawValue))

    /// Literals (3+ bytes) of which at least one must occur in an event's text, matched ASCII
    /// case-insensitively, for ``matches(_:)`` to be able to succeed: `401` for `status: 401`,
    /// `openai.azure.com` for `host: '*.openai.azure.com'`, `AuthenticationError` for
    /// `exception: '*AuthenticationError'`. `nil` when none can be derived.
    ///
    /// Only runs of letters, digits, `.`, `_` and `-` are used: they survive the escaping and
    /// whitespace folding between the text and a value (`\/` in JSON, `\r\n` in messages). Of
    /// the fields that yield literals, the one whose shortest literal is longest is chosen.
    public var requiredLiterals: [[UInt8]]? {
        var best: [[UInt8]]? = nil
        var bestShortest = 0
        for (field, expected) in spec where Self.verbatimFields.contains(field) {
            guard let literals = Self.literals(expected, field: field), !literals.isEmpty else { continue }
            let shortest = literals.map(\.count).min() ?? 0
            if shortest > bestShortest {
                best = literals
                bestShortest = shortest
            }
        }
        return best
    }

    /// One literal per alternative, or `nil` when some alternative has none.
    /// A `status` number is also found by its name (``ValueName/statusNames``).
    private static func literals(_ expected: FieldExpectation, field: String) -> [[UInt8]]? {
        switch expected {
        case .text(let text):
            return longestRun(Array(text.utf8)).map { [$0] }
        case .number(let number):
            let digits = Array(String(number).utf8)
            guard digits.count >= 3 else { return nil }
            let names: [String] =
                field == ValueName.status.rawValue
                ? ValueName.statusNames.filter { $0.value == number }.map(\.key).sorted() : []
            return [digits] + names.map { Array($0.utf8) }
        case .statusClass:
            return nil
        case .any(let alternatives):
            var out: [[UInt8]] = []
            for alternative in alternatives {
                guard let found = literals(alternative, field: field) else { return nil }
                for literal in found where !out.contains(where: { ASCII.lowered($0) == ASCII.lowered(literal) }) {
                    out.append(literal)
                }
            }
            return out
        }
    }

    /// The longest run (3+ bytes) of `[A-Za-z0-9._-]` in a glob pattern (the first on a tie).
    private static func longestRun(_ pattern: [UInt8]) -> [UInt8]? {
        var best: ArraySlice<UInt8> = []
        var start = 0
        for index in 0...pattern.count {
            if index < pattern.count, isLiteralByte(pattern[index]) { continue }
            if index - start > best.count { best = pattern[start..<index] }
            start = index + 1
        }
        return best.count >= 3 ? Array(best) : nil
    }

    @inline(__always)
    private static func isLiteralByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }
}
