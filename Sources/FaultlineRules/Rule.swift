import FaultlineModel
import FaultlineRegex
import FaultlineText

/// A position in a rule file, for messages that say where something is.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The rule file, as shown in messages (`rules/auth/x.yaml` for shipped rules).
    public var file: String
    /// 1-based line in `file` (1 when the YAML parser gave no position).
    public var line: Int
    /// 1-based column in `line` (1 when the YAML parser gave no position).
    public var column: Int

    /// Creates a location from a file name and a 1-based line and column.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form compilers use.
    public var description: String { "\(file):\(line):\(column)" }
}

/// One compiled PCRE2 pattern of a rule, with the literals the prefilter looks for.
public struct RulePattern: Sendable {
    /// The pattern as written in the rule file.
    public let source: String
    /// The compiled pattern, with ``RuleLoader/patternOptions`` (multiline, matched on bytes).
    public let regex: Regex
    /// Literals of which at least one occurs in every match; nil when none could be proven.
    public let literals: RequiredLiterals?
    /// Where the pattern is written in the rule file.
    public let location: SourceLocation
}

/// A list of patterns combined with `any` (one suffices) or `all` (every one must match).
public struct PatternGroup: Sendable {
    /// How the patterns of a group combine.
    public enum Mode: String, Sendable { case any, all }
    /// `any` (one matching pattern suffices) or `all` (every pattern must match).
    public let mode: Mode
    /// The patterns in the order the rule file lists them; never empty.
    public let patterns: [RulePattern]
}

/// Cross-event conditions of a rule (`correlate:`).
public struct Correlation: Sendable {
    /// The event counts only after an event of another rule (a sequence).
    public struct After: Sendable {
        /// The id of the rule whose event must come first.
        public let rule: String
        /// At most this many events after the earlier one (default 500).
        public let withinEvents: Int
        /// At most this many seconds between the two events, checked only when both carry a timestamp;
        /// nil: no time limit.
        public let withinSeconds: Double?
        /// Whether the earlier event must be in the same source (default `true`); `false` looks across
        /// files.
        public let sameSource: Bool
        /// A capture name whose value must be the same in both events (e.g. `deployment`).
        public let key: String?
        /// Where `correlate.after.rule` is written, for the error when that rule is not loaded.
        public let location: SourceLocation
    }

    /// The scan must also show (or is more convincing when it shows) a request that works.
    public struct Contrast: Sendable {
        /// Patterns of a succeeding request of the contrasting kind; one match in the same source suffices.
        public let succeeds: [RulePattern]
        /// `true`: the rule finds nothing in a source without such a request; `false` (default): the
        /// request only raises the confidence, and its absence lowers it.
        public let required: Bool
    }

    /// The sequence condition (`correlate.after`); nil when the rule has none.
    public let after: After?
    /// The contrast condition (`correlate.contrast`); nil when the rule has none.
    public let contrast: Contrast?
}

/// Evidence that raises a rule's confidence when seen, and may lower it when missing.
public struct RuleSignal: Sendable {
    /// Where the pattern must occur: in the matched event itself, or anywhere in the same file.
    public enum Scope: String, Sendable { case event, source }
    /// The pattern whose match is the signal's evidence.
    public let pattern: RulePattern
    /// Where the pattern is looked for; `source` when the rule does not say.
    public let scope: Scope
    /// 0 to 1 (default 0.1): added to the confidence when seen, subtracted when missing and
    /// ``missing`` is given.
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
    /// The first fixed version as written (`fixed_in`), quoted in the report; nil when not given.
    public let fixedIn: String?
    /// Where the gate is written in the rule file.
    public let location: SourceLocation
}

/// An example that must match: the log, the 1-based evidence line, the expected values.
public struct MatchExample: Sendable {
    /// The example log text; `rules test` replays it plain and in every wrapper.
    public let log: String
    /// The 1-based line of `log` where the rule's evidence must be.
    public let line: Int
    /// Values the finding must hold, by name (captures or extracted values); a subset: values not
    /// listed are not checked.
    public let values: [String: String]
    /// Where the example is written in the rule file.
    public let location: SourceLocation
}

/// An example that must not match.
public struct NoMatchExample: Sendable {
    /// A log on which the rule must find nothing, plain or in any wrapper.
    public let log: String
    /// Where the example is written in the rule file.
    public let location: SourceLocation
}

/// A known gap, recorded honestly: a log the rule should match but does not
/// (`known_false_negative`), or should not match but does (`known_false_positive`). Reported by
/// `rules test`, never failed.
public struct KnownGap: Sendable {
    /// Which way the rule is wrong on the log; the raw value is the YAML key under `examples`.
    public enum Kind: String, Sendable {
        case falseNegative = "known_false_negative", falsePositive = "known_false_positive"
    }
    /// Whether the rule misses the log or matches it wrongly.
    public let kind: Kind
    /// The log the rule gets wrong (`rules test` replays it plain only).
    public let log: String
    /// Why the rule gets it wrong, or what would fix it; never empty.
    public let note: String
    /// Where the gap is written in the rule file.
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
    /// Unique across all loaded rules: lowercase letters, digits, `-` and `.`.
    public let id: String
    /// Names the cause, not the symptom; the title of the rule's incidents.
    public let title: String
    /// The label the rule files its incidents under.
    public let category: Category
    /// The severity of the rule's incidents.
    public let severity: Severity
    /// 0 to 1 (default 0.7): how sure a match alone makes faultline; the report adjusts it per
    /// incident (signals, contrast, versions, folded causes).
    public let confidence: Double
    /// The patterns that make an event a match; built from the `where:` literals when the rule has
    /// no `match:`.
    public let match: PatternGroup
    /// Field tests (`where:`), run on the event's extracted values after the patterns matched;
    /// every field must match.
    public let fieldFilter: FieldFilter?
    /// Patterns that veto a match (`unless:`); nil when the rule has none.
    public let unless: PatternGroup?
    /// Cross-event conditions (`correlate:`); nil when the rule has none.
    public let correlate: Correlation?
    /// Rule ids or category labels whose findings fold under this rule's incident.
    public let explains: [String]
    /// The causes an ambiguous symptom may have, in order, each with what decides it; empty for a
    /// specific rule.
    public let candidates: [Candidate]
    /// The cause in plain words; `{name}` placeholders are filled with the incident's values.
    public let cause: String
    /// Fix steps in order (at least one), with `{name}` placeholders; a block scalar's final newline
    /// is dropped.
    public let fix: [String]
    /// URLs (`http://` or `https://`) of upstream issues, documentation or the fix.
    public let references: [String]
    /// Examples that must match (`examples.match`); at least one.
    public let matchExamples: [MatchExample]
    /// Examples that must not match (`examples.no_match`); at least one.
    public let noMatchExamples: [NoMatchExample]
    /// Known false negatives and false positives, reported by `rules test` but never failed.
    public let knownGaps: [KnownGap]
    /// File-name globs: when non-empty, the rule only looks at files so named (config files).
    public let files: [String]
    /// The rule names a symptom: it folds under a cause and is never an incident of its own.
    public let symptom: Bool
    /// Value names that split this rule's incidents.
    public let groupBy: [String]
    /// Evidence that raises the confidence when seen and may lower it when missing.
    public let signals: [RuleSignal]
    /// Packages whose version in the log decides whether the cause applies.
    public let versions: [VersionGate]
    /// The rule file, as shown in messages (`rules/auth/x.yaml` for shipped rules).
    public let file: String
    /// Whether the rule is shipped in the binary or loaded from a `--rules` folder.
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
