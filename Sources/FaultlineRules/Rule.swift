import FaultlineModel
import FaultlineRegex
import FaultlineText

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

/// Evidence that raises a rule's confidence when seen, and may lower it when missing.
public struct RuleSignal: Sendable {
    /// Where the pattern must occur: in the matched event itself, or anywhere in the same file.
    public enum Scope: String, Sendable { case event, source }
    public let pattern: RulePattern
    public let scope: Scope
    public let weight: Double
    /// Said when seen (`+`).
    public let seen: String
    /// Said when missing (`-`); nil: a missing signal says nothing and costs nothing.
    public let missing: String?
}

/// A package whose version decides whether the rule's cause applies.
public struct VersionGate: Sendable {
    /// The package as faultline names it in `version.<package>` values (e.g. `Azure.AI.OpenAI`).
    public let package: String
    /// The affected range as written (`>=2.0.0-beta.2, <2.0.0-beta.6`).
    public let affected: String
    public let fixedIn: String?
    public let location: SourceLocation
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

/// A known gap, recorded honestly: a log the rule should match but does not
/// (`known_false_negative`), or should not match but does (`known_false_positive`). Reported by
/// `rules test`, never failed.
public struct KnownGap: Sendable {
    public enum Kind: String, Sendable {
        case falseNegative = "known_false_negative", falsePositive = "known_false_positive"
    }
    public let kind: Kind
    public let log: String
    public let note: String
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
    /// Field tests (`where:`), run on the event's extracted values after the patterns matched;
    /// every field must match.
    public let fieldFilter: FieldFilter?
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
    public let knownGaps: [KnownGap]
    /// File-name globs: when non-empty, the rule only looks at files so named (config files).
    public let files: [String]
    /// The rule names a symptom: it folds under a cause and is never an incident of its own.
    public let symptom: Bool
    /// Value names that split this rule's incidents.
    public let groupBy: [String]
    public let signals: [RuleSignal]
    public let versions: [VersionGate]
    /// The rule file, as shown in messages (`rules/auth/x.yaml` for shipped rules).
    public let file: String
    public let origin: RuleOrigin

    /// The grouping values used when a rule does not say `group_by`.
    public static let defaultGroupBy = ValueName.defaultGroupBy.map(\.rawValue)

    /// Whether this rule looks at a file with this name (its last path component).
    public func applies(toFileNamed name: String) -> Bool {
        files.isEmpty || files.contains { Glob.matches($0, name) }
    }
}

extension Rule {
    /// Names of all capture groups of the rule's `match` patterns.
    public var captureNames: Set<String> {
        Set(match.patterns.flatMap { $0.regex.namedGroups.map(\.name) })
    }
}
