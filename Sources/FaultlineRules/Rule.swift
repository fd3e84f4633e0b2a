import FaultlineModel
import FaultlineRegex

/// A position in a rule file, for messages that say where something is.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One compiled PCRE2 pattern of a rule, with the literals the prefilter looks for.
public struct RulePattern: Sendable {
    /// The pattern as written in the rule file.
    public let source: String
    public let regex: Regex
    /// Literals of which at least one occurs in every match; nil when none could be proven.
    public let literals: RequiredLiterals?
    public let location: SourceLocation
}

/// A list of patterns combined with `any` (one suffices) or `all` (every one must match).
public struct PatternGroup: Sendable {
    public enum Mode: String, Sendable { case any, all }
    public let mode: Mode
    public let patterns: [RulePattern]
}

/// Cross-event conditions of a rule (`correlate:`).
public struct Correlation: Sendable {
    /// The event counts only after an event of another rule (a sequence).
    public struct After: Sendable {
        public let rule: String
        public let withinEvents: Int
        public let withinSeconds: Double?
        public let sameSource: Bool
        /// A capture name whose value must be the same in both events (e.g. `deployment`).
        public let key: String?
        public let location: SourceLocation
    }

    /// The scan must also show (or is more convincing when it shows) a request that works.
    public struct Contrast: Sendable {
        public let succeeds: [RulePattern]
        public let required: Bool
    }

    public let after: After?
    public let contrast: Contrast?
}

/// An example that must match: the log, the 1-based evidence line, the expected values.
public struct MatchExample: Sendable {
    public let log: String
    public let line: Int
    public let values: [String: String]
    public let location: SourceLocation
}

/// An example that must not match.
public struct NoMatchExample: Sendable {
    public let log: String
    public let location: SourceLocation
}

/// Where a rule came from.
public enum RuleOrigin: Sendable, Hashable {
    /// Embedded in the binary from the repository's `rules/`.
    case shipped
    /// Loaded from a folder given with `--rules`.
    case user
}

/// A loaded and compiled rule (schema v1, see `rules/README.md`).
public struct Rule: Sendable {
    public let id: String
    public let title: String
    public let category: Category
    public let severity: Severity
    public let confidence: Double
    public let match: PatternGroup
    public let unless: PatternGroup?
    public let correlate: Correlation?
    /// Rule ids or category labels whose findings fold under this rule's incident.
    public let explains: [String]
    public let candidates: [Candidate]
    public let cause: String
    public let fix: [String]
    public let references: [String]
    public let matchExamples: [MatchExample]
    public let noMatchExamples: [NoMatchExample]
    /// The rule file, as shown in messages (`rules/auth/x.yaml` for shipped rules).
    public let file: String
    public let origin: RuleOrigin
}

extension Rule {
    /// Names of all capture groups of the rule's `match` patterns.
    public var captureNames: Set<String> {
        Set(match.patterns.flatMap { $0.regex.namedGroups.map(\.name) })
    }
}
