/// A message for the user about the run itself: a bad rule, an unreadable file, a truncated line.
///
/// Diagnostics are collected, never thrown past the scan: one bad input never stops the others.
public struct Diagnostic: Codable, Sendable, Hashable {
    /// How a diagnostic affects the run.
    public enum Level: String, Codable, Sendable, Comparable {
        /// Informational: a skipped binary file, a note on the input.
        case note
        /// Something was degraded (a truncated line) but the scan is complete otherwise.
        case warning
        /// Something the user must fix (a broken rule, a missing path); the exit code is 2.
        case error

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }

        /// Orders levels by how much they affect the run: `note < warning < error`.
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
    }

    /// How the diagnostic affects the run.
    public var severity: Level
    /// The file (or `<stdin>`, or `archive.zip!path`) the diagnostic is about, if any.
    public var source: String?
    /// 1-based line number, if known.
    public var line: Int?
    /// 1-based column, if known.
    public var column: Int?
    /// What happened, in plain words, without the location (``formatted`` adds it).
    public var message: String
    /// An optional suggestion on how to fix it.
    public var hint: String?

    /// Creates a diagnostic; only its level and message are required.
    public init(
        severity: Level, source: String? = nil, line: Int? = nil, column: Int? = nil, message: String,
        hint: String? = nil
    ) {
        self.severity = severity
        self.source = source
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    /// `file:line:col: severity: message` in the style of compilers, for stderr.
    public var formatted: String {
        var location = ""
        if let source {
            location = source
            if let line {
                location += ":\(line)"
                if let column { location += ":\(column)" }
            }
            location += ": "
        }
        var text = "\(location)\(severity.rawValue): \(message)"
        if let hint { text += " (\(hint))" }
        return text
    }

    private enum CodingKeys: String, CodingKey { case severity, source, line, column, message, hint }

    /// Encodes the JSON form (`docs/json.md`): `source` and `line` always, `null` when unknown;
    /// `column` and `hint` only when present.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(severity, forKey: .severity)
        try c.encode(source, forKey: .source)
        try c.encode(line, forKey: .line)
        try c.encodeIfPresent(column, forKey: .column)
        try c.encode(message, forKey: .message)
        try c.encodeIfPresent(hint, forKey: .hint)
    }
}

/// The diagnostics of a run, collected in the order they arise: loading rules, walking and
/// opening inputs, reading and scanning them. Each layer takes it `inout` and adds what it
/// finds, so no function returns a `(value, diagnostics)` pair.
public struct Diagnostics: Sendable, Hashable {
    /// Every diagnostic so far, in order.
    public private(set) var all: [Diagnostic]

    /// A collector holding `all`.
    public init(_ all: [Diagnostic] = []) { self.all = all }

    /// Adds one diagnostic.
    public mutating func add(_ diagnostic: Diagnostic) { all.append(diagnostic) }

    /// Adds diagnostics in order.
    public mutating func add(contentsOf more: [Diagnostic]) { all += more }

    /// `true` when some diagnostic is an error (the exit code is then 2).
    public var hasErrors: Bool { all.contains { $0.severity == .error } }

    /// `true` when nothing was collected.
    public var isEmpty: Bool { all.isEmpty }
}
