/// What `faultline rules show`, `rules list` and the `docs/rules.md` catalogue print of one
/// rule: its displayable parts as plain values, so the report layer renders them without
/// knowing the rule loader.
public struct RuleSheet: Sendable, Hashable {
    /// A `correlate.after` sequence condition.
    public struct After: Sendable, Hashable {
        /// The id of the rule whose event must come first.
        public let rule: String
        /// At most this many events after the earlier one.
        public let withinEvents: Int
        /// At most this many seconds after it, when both events carry a timestamp; nil: no time limit.
        public let withinSeconds: Double?

        /// Creates the condition from a rule's `correlate.after` values.
        public init(rule: String, withinEvents: Int, withinSeconds: Double?) {
            self.rule = rule
            self.withinEvents = withinEvents
            self.withinSeconds = withinSeconds
        }
    }

    /// A likely cause of a generic symptom rule, and what decides for it.
    public struct Candidate: Sendable, Hashable {
        /// The category this cause would file the incident under.
        public let category: Category
        /// What to look at to confirm or rule out this cause.
        public let why: String

        /// Creates a candidate from its category and what decides it.
        public init(category: Category, why: String) {
            self.category = category
            self.why = why
        }
    }

    /// A `match` example: the log and its evidence line.
    public struct Example: Sendable, Hashable {
        /// The example log text as written in the rule file.
        public let log: String
        /// The 1-based line of `log` that is the evidence.
        public let line: Int

        /// Creates an example from its log and its 1-based evidence line.
        public init(log: String, line: Int) {
            self.log = log
            self.line = line
        }
    }

    /// The rule's unique id.
    public var id: String
    /// The rule's title, which names the cause.
    public var title: String
    /// The category of the rule's incidents.
    public var category: Category
    /// The severity the rule declares.
    public var severity: Severity
    /// How sure a match alone makes faultline, 0 to 1, as declared (before any per-incident scoring).
    public var confidence: Double
    /// The rule file, relative to the rules folder's parent (`rules/auth/x.yaml`).
    public var file: String
    /// `any` or `all`, and the `match` patterns as written.
    public var matchMode: String
    /// The `match` patterns as written, in file order (built from `where:` literals when the rule has
    /// no `match:`).
    public var matchPatterns: [String]
    /// `any` or `all` and the `unless` patterns, when the rule has an `unless`.
    public var unlessMode: String?
    /// The `unless` patterns as written; empty without an `unless`.
    public var unlessPatterns: [String]
    /// The `correlate.after` sequence condition; nil without one.
    public var after: After?
    /// `true`/`false` for a required/optional contrast; `nil` without one.
    public var contrastRequired: Bool?
    /// The `correlate.contrast.succeeds` patterns as written; empty without a contrast.
    public var contrastPatterns: [String]
    /// Rule ids or category labels whose findings fold under this rule's incident.
    public var explains: [String]
    /// The causes an ambiguous symptom may have, in order; empty for a specific rule.
    public var candidates: [Candidate]
    /// The cause as written, `{name}` placeholders unfilled.
    public var cause: String
    /// The fix steps as written, in order.
    public var fix: [String]
    /// The rule's reference URLs.
    public var references: [String]
    /// The `match` examples, each with its evidence line.
    public var matchExamples: [Example]
    /// How many `no_match` examples the rule has (their text is not shown).
    public var noMatchExampleCount: Int
    /// `true` for a symptom rule: it folds under a cause and is never an incident of its own.
    public var symptom: Bool
    /// File-name globs of a config-file rule; empty for a log rule.
    public var files: [String]
    /// `package affected-range` gates.
    public var versions: [String]

    /// A sheet with the required parts; the rest start empty.
    public init(
        id: String, title: String, category: Category, severity: Severity, confidence: Double, file: String,
        matchMode: String, matchPatterns: [String], cause: String
    ) {
        self.id = id
        self.title = title
        self.category = category
        self.severity = severity
        self.confidence = confidence
        self.file = file
        self.matchMode = matchMode
        self.matchPatterns = matchPatterns
        self.unlessMode = nil
        self.unlessPatterns = []
        self.after = nil
        self.contrastRequired = nil
        self.contrastPatterns = []
        self.explains = []
        self.candidates = []
        self.cause = cause
        self.fix = []
        self.references = []
        self.matchExamples = []
        self.noMatchExampleCount = 0
        self.symptom = false
        self.files = []
        self.versions = []
    }
}

/// How one rule's examples behaved in `faultline rules test`: counts, failures, overlaps with
/// other rules, known gaps.
public struct RuleTestOutcome: Sendable, Hashable {
    /// One example that did not behave as declared, in one variant.
    public struct Failure: Sendable, Hashable {
        /// `file:line:col` of the example.
        public let location: String
        /// The wrapper or reading it was replayed in (`plain`, `docker-json`, `1-byte-buffer`…).
        public let variant: String
        /// What went wrong, e.g. `expected a match at line 2, but the rule did not match`.
        public let message: String

        /// Creates a failure from its location, variant and message.
        public init(location: String, variant: String, message: String) {
            self.location = location
            self.variant = variant
            self.message = message
        }
    }

    /// A `known_false_negative` / `known_false_positive` example.
    public struct Gap: Sendable, Hashable {
        /// `known_false_negative` or `known_false_positive`.
        public let kind: String
        /// `file:line:col` of the example.
        public let location: String
        /// Why the rule gets the example wrong, as the rule file says.
        public let note: String

        /// Creates a gap from its kind, location and note.
        public init(kind: String, location: String, note: String) {
            self.kind = kind
            self.location = location
            self.note = note
        }
    }

    /// A match example on which a rule of another category ranks first.
    public struct Outranked: Sendable, Hashable {
        /// `file:line:col` of the match example.
        public let example: String
        /// The id of the rule whose incident ranks first on it.
        public let by: String

        /// Creates a record of the example and the rule that outranks it.
        public init(example: String, by: String) {
            self.example = example
            self.by = by
        }
    }

    /// The id of the rule whose examples these are.
    public var rule: String
    /// Match examples that matched, at the declared line with the declared values, in every variant.
    public var truePositives = 0
    /// Match examples that failed in some variant.
    public var falseNegatives = 0
    /// No-match examples the rule matched in some variant.
    public var falsePositives = 0
    /// No-match examples on which the rule found nothing in every variant.
    public var trueNegatives = 0
    /// Each failing example, with the first variant it failed in.
    public var failures: [Failure] = []
    /// Other rules whose examples this rule also matches, with how many.
    public var alsoMatches: [String: Int] = [:]
    /// Match examples on which a rule of another category ranks first, in example order.
    public var outranked: [Outranked] = []
    /// Known gaps that still reproduce (replayed plain).
    public var gapsOpen: [Gap] = []
    /// Known gaps that no longer reproduce: each can become an ordinary example.
    public var gapsClosed: [Gap] = []

    /// `true` when no example failed.
    public var passed: Bool { failures.isEmpty }

    /// Creates an outcome for the rule with this id: every count zero, every list empty.
    public init(rule: String) { self.rule = rule }
}
