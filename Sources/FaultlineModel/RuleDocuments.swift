/// What `faultline rules show`, `rules list` and the `docs/rules.md` catalogue print of one
/// rule: its displayable parts as plain values, so the report layer renders them without
/// knowing the rule loader.
public struct RuleSheet: Sendable, Hashable {
    /// A `correlate.after` sequence condition.
    public struct After: Sendable, Hashable {
        public let rule: String
        public let withinEvents: Int
        public let withinSeconds: Double?

        public init(rule: String, withinEvents: Int, withinSeconds: Double?) {
            self.rule = rule
            self.withinEvents = withinEvents
            self.withinSeconds = withinSeconds
        }
    }

    /// A likely cause of a generic symptom rule, and what decides for it.
    public struct Candidate: Sendable, Hashable {
        public let category: Category
        public let why: String

        public init(category: Category, why: String) {
            self.category = category
            self.why = why
        }
    }

    /// A `match` example: the log and its evidence line.
    public struct Example: Sendable, Hashable {
        public let log: String
        public let line: Int

        public init(log: String, line: Int) {
            self.log = log
            self.line = line
        }
    }

    public var id: String
    public var title: String
    public var category: Category
    public var severity: Severity
    public var confidence: Double
    /// The rule file, relative to the rules folder's parent (`rules/auth/x.yaml`).
    public var file: String
    /// `any` or `all`, and the `match` patterns as written.
    public var matchMode: String
    public var matchPatterns: [String]
    /// `any` or `all` and the `unless` patterns, when the rule has an `unless`.
    public var unlessMode: String?
    public var unlessPatterns: [String]
    public var after: After?
    /// `true`/`false` for a required/optional contrast; `nil` without one.
    public var contrastRequired: Bool?
    public var contrastPatterns: [String]
    public var explains: [String]
    public var candidates: [Candidate]
    public var cause: String
    public var fix: [String]
    public var references: [String]
    public var matchExamples: [Example]
    public var noMatchExampleCount: Int
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
        public let message: String

        public init(location: String, variant: String, message: String) {
            self.location = location
            self.variant = variant
            self.message = message
        }
    }

    /// A `known_false_negative` / `known_false_positive` example.
    public struct Gap: Sendable, Hashable {
        public let kind: String
        public let location: String
        public let note: String

        public init(kind: String, location: String, note: String) {
            self.kind = kind
            self.location = location
            self.note = note
        }
    }

    /// A match example on which a rule of another category ranks first.
    public struct Outranked: Sendable, Hashable {
        public let example: String
        public let by: String

        public init(example: String, by: String) {
            self.example = example
            self.by = by
        }
    }

    public var rule: String
    public var truePositives = 0
    public var falseNegatives = 0
    public var falsePositives = 0
    public var trueNegatives = 0
    public var failures: [Failure] = []
    /// Other rules whose examples this rule also matches, with how many.
    public var alsoMatches: [String: Int] = [:]
    public var outranked: [Outranked] = []
    public var gapsOpen: [Gap] = []
    public var gapsClosed: [Gap] = []

    /// `true` when no example failed.
    public var passed: Bool { failures.isEmpty }

    public init(rule: String) { self.rule = rule }
}
