/// One line of proof for an incident: where it is and what it says (redacted).
public struct Evidence: Codable, Sendable, Hashable {
    /// The file the line came from: a path, `<stdin>`, or `archive.zip!inner/path`.
    public var source: String
    /// 1-based line number in that source.
    public var line: Int
    /// The line's original text (wrappers kept), redacted, shown with U+FFFD for invalid UTF-8.
    public var text: String

    public init(source: String, line: Int, text: String) {
        self.source = source
        self.line = line
        self.text = text
    }
}

/// A possible cause of an ambiguous symptom, with what would decide it.
public struct Candidate: Codable, Sendable, Hashable {
    public var category: Category
    /// What to look at to confirm or rule out this cause.
    public var why: String

    public init(category: Category, why: String) {
        self.category = category
        self.why = why
    }
}

/// A reason the confidence of an incident went up (`+`) or down (`-`).
public struct Signal: Codable, Sendable, Hashable {
    public var effect: String
    public var text: String

    public init(effect: String, text: String) {
        self.effect = effect
        self.text = text
    }
}

/// A symptom folded under the incident that explains it.
public struct Symptom: Codable, Sendable, Hashable {
    public var rule: String
    public var category: Category
    public var title: String
    public var occurrences: Int

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
    public var category: Category
    public var severity: Severity
    /// 0 to 1: how sure faultline is that this is the cause.
    public var confidence: Double
    public var title: String
    /// The cause in plain words, with the concrete values found substituted.
    public var cause: String
    /// Ordered fix steps.
    public var fix: [String]
    public var references: [String]
    /// How many events this incident was seen in (its own matches, not its folded symptoms).
    public var occurrences: Int
    /// Timestamps as the log wrote them, where the log gives them.
    public var firstSeen: String?
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
    public var count: Int
    public var firstSeen: String?
    public var lastSeen: String?
    /// One example, redacted.
    public var example: Evidence

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
    public var files: Int
    public var lines: Int
    public var events: Int
    public var bytes: Int

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
    public var stats: ScanStats
    public var diagnostics: [Diagnostic]

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
