/// One line of proof for an incident: where it is and what it says (redacted).
public struct Evidence: Codable, Sendable, Hashable {
    /// The file the line came from: a path, `<stdin>`, or `archive.zip!inner/path`.
    public var source: String
    /// 1-based line number in that source.
    public var line: Int
    /// The line's original text (wrappers kept, ANSI escapes removed), redacted, shown with U+FFFD for invalid UTF-8.
    public var text: String

    /// Creates evidence from a source name, a 1-based line number and the line's text (redacted by
    /// the caller).
    public init(source: String, line: Int, text: String) {
        self.source = source
        self.line = line
        self.text = text
    }
}

/// A possible cause of an ambiguous symptom, with what would decide it.
public struct Candidate: Codable, Sendable, Hashable {
    /// The cause this candidate stands for.
    public var category: Category
    /// What to look at to confirm or rule out this cause.
    public var why: String

    /// Creates a candidate from its category and what decides it.
    public init(category: Category, why: String) {
        self.category = category
        self.why = why
    }
}

/// A reason the confidence of an incident went up (`+`) or down (`-`).
public struct Signal: Codable, Sendable, Hashable {
    /// `+` when the reason raised the confidence, `-` when it lowered it.
    public var effect: String
    /// The reason in plain words, redacted; a reason seen at a place names its `source:line`.
    public var text: String

    /// Creates a reason from its effect (`+` or `-`) and its text.
    public init(effect: String, text: String) {
        self.effect = effect
        self.text = text
    }
}

/// A symptom folded under the incident that explains it.
public struct Symptom: Codable, Sendable, Hashable {
    /// The id of the symptom's rule.
    public var rule: String
    /// The category of the symptom's rule.
    public var category: Category
    /// The title of the symptom's rule.
    public var title: String
    /// How many events of that rule folded under this incident, over all its sources.
    public var occurrences: Int

    /// Creates a folded symptom from its rule's id, category and title and its event count.
    public init(rule: String, category: Category, title: String, occurrences: Int) {
        self.rule = rule
        self.category = category
        self.title = title
        self.occurrences = occurrences
    }
}

/// One root cause found in the input, with everything a report says about it.
public struct Incident: Codable, Sendable, Hashable {
    /// Stable identifier within a report: `F1`, `F2`, … in rank order.
    public var id: String
    /// The id of the rule that found it.
    public var rule: String
    /// Stable semantic fingerprint: a hash of the rule, the category and the grouping values
    /// (status, provider error code, host, deployment, …), the same across runs and machines.
    public var fingerprint: String
    /// The category of the rule that found it.
    public var category: Category
    /// The severity the rule declares.
    public var severity: Severity
    /// 0 to 1: how sure faultline is that this is the cause.
    public var confidence: Double
    /// The rule's title, which names the cause.
    public var title: String
    /// The cause in plain words, with the concrete values found substituted.
    public var cause: String
    /// Ordered fix steps.
    public var fix: [String]
    /// The rule's reference URLs (upstream issues, documentation, the fix).
    public var references: [String]
    /// How many events this incident was seen in (its own matches, not its folded symptoms).
    public var occurrences: Int
    /// Timestamps as the log wrote them, where the log gives them.
    public var firstSeen: String?
    /// The timestamp of the latest event that had one (its own or a folded symptom's), as written.
    public var lastSeen: String?
    /// Values captured by the rule's patterns (`deployment`, `host`, `variable`, …), redacted.
    public var values: [String: String]
    /// Ordered alternative causes when the evidence fits several.
    public var candidates: [Candidate]
    /// Reasons behind `confidence`.
    public var signals: [Signal]
    /// Symptoms this cause explains, folded here instead of listed as incidents.
    public var explains: [Symptom]
    /// Proof, capped; the first entries are the most telling.
    public var evidence: [Evidence]

    /// Creates an incident (the engine builds them; `faultline merge` combines them). The fingerprint
    /// and the lists of values, candidates, signals and folded symptoms default to empty.
    public init(
        id: String, rule: String, fingerprint: String = "", category: Category, severity: Severity, confidence: Double,
        title: String,
        cause: String, fix: [String], references: [String], occurrences: Int, firstSeen: String?,
        lastSeen: String?, values: [String: String] = [:], candidates: [Candidate] = [], signals: [Signal] = [],
        explains: [Symptom] = [], evidence: [Evidence]
    ) {
        self.id = id
        self.rule = rule
        self.fingerprint = fingerprint
        self.category = category
        self.severity = severity
        self.confidence = confidence
        self.title = title
        self.cause = cause
        self.fix = fix
        self.references = references
        self.occurrences = occurrences
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.values = values
        self.candidates = candidates
        self.signals = signals
        self.explains = explains
        self.evidence = evidence
    }

    enum CodingKeys: String, CodingKey {
        case id, rule, fingerprint, category, severity, confidence, title, cause, fix, references, occurrences
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case values, candidates, signals, explains, evidence
    }
}

/// Error events that no rule explains, grouped by message template, so nothing is dropped.
public struct UnclassifiedCluster: Codable, Sendable, Hashable {
    /// The message with its variable parts (ids, numbers, paths) replaced by `<*>`; status codes
    /// and provider error codes are kept, so a 401 and a 429 never share a template.
    public var template: String
    /// How many error events share the template.
    public var count: Int
    /// The timestamp of the earliest event that had one, as written; nil when none had one.
    public var firstSeen: String?
    /// The timestamp of the latest event that had one, as written; nil when none had one.
    public var lastSeen: String?
    /// One example, redacted.
    public var example: Evidence

    /// Creates a cluster from its template, count, time span and example.
    public init(template: String, count: Int, firstSeen: String?, lastSeen: String?, example: Evidence) {
        self.template = template
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.example = example
    }

    enum CodingKeys: String, CodingKey {
        case template, count
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case example
    }
}

/// Counters of what a scan read.
public struct ScanStats: Codable, Sendable, Hashable {
    /// Inputs read: a file, stdin or an archive counts once, however many members it holds.
    public var files: Int
    /// Lines read over every member of every input.
    public var lines: Int
    /// Events assembled (a traceback with the line that announced it is one event).
    public var events: Int
    /// Bytes read, after decompression for gzip files and archive members.
    public var bytes: Int

    /// Creates counters, all zero unless given.
    public init(files: Int = 0, lines: Int = 0, events: Int = 0, bytes: Int = 0) {
        self.files = files
        self.lines = lines
        self.events = events
        self.bytes = bytes
    }
}

/// The finished result of a scan: what every renderer draws from.
public struct Report: Codable, Sendable, Hashable {
    /// The JSON schema version (`docs/json.md`).
    public var version: Int
    /// Most likely root cause first.
    public var incidents: [Incident]
    /// Error events no rule explains, most frequent first.
    public var unclassified: [UnclassifiedCluster]
    /// What the scan read.
    public var stats: ScanStats
    /// Problems met during the run (rules, inputs, reading), in the order they arose, redacted.
    public var diagnostics: [Diagnostic]

    /// Creates a report; `version` is the JSON schema version, 1 unless given.
    public init(
        version: Int = 1, incidents: [Incident], unclassified: [UnclassifiedCluster] = [], stats: ScanStats,
        diagnostics: [Diagnostic]
    ) {
        self.version = version
        self.incidents = incidents
        self.unclassified = unclassified
        self.stats = stats
        self.diagnostics = diagnostics
    }
}
