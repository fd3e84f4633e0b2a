import FaultlineEvents
import FaultlineIngest
import FaultlineModel
import FaultlineRules

/// Settings of a scan.
public struct ScanOptions: Sendable {
    /// How inputs are read: the read buffer size and the longest line delivered whole.
    public var reader: ReaderOptions
    /// Limits on one event (lines and bytes) before it is flushed.
    public var assembler: AssemblerOptions
    /// How many evidence lines an incident keeps.
    public var maxEvidence: Int
    /// How many unclassified templates are kept before new ones are counted together.
    public var maxUnclassified: Int
    /// Bounds on what an archive may decompress to (zip bombs end in a diagnostic).
    public var archive = ArchiveLimits()

    /// Creates settings: 5 evidence lines per incident and 500 unclassified templates unless given,
    /// default reader and assembler options, default archive limits.
    public init(
        reader: ReaderOptions = ReaderOptions(), assembler: AssemblerOptions = AssemblerOptions(), maxEvidence: Int = 5,
        maxUnclassified: Int = 500
    ) {
        self.reader = reader
        self.assembler = assembler
        self.maxEvidence = maxEvidence
        self.maxUnclassified = maxUnclassified
    }
}

/// Identifies what one rule found in one source for one set of grouping values.
public struct FindingKey: Hashable, Sendable {
    /// The rule's index in ``CompiledRules/rules``.
    public let rule: Int
    /// The source name: a path, `<stdin>`, or `archive.zip!inner/path`.
    public let source: String
    /// The rule's `group_by` values, joined.
    public let group: String
    /// The docker compose service within the source, or "".
    public let service: String

    /// Creates a key; a key with an empty `group` and `service` identifies a rule in a source (as
    /// ``ScanResult/contrast`` does).
    public init(rule: Int, source: String, group: String = "", service: String = "") {
        self.rule = rule
        self.source = source
        self.group = group
        self.service = service
    }
}

/// A rule's signal seen in a source.
public struct SignalKey: Hashable, Sendable {
    /// The rule's index in ``CompiledRules/rules``.
    public let rule: Int
    /// The signal's index in the rule's `signals`.
    public let signal: Int
    /// The source name the signal was seen in.
    public let source: String
}

/// Everything one rule found in one source for one set of grouping values, before folding.
public struct RuleFindings: Sendable {
    /// The rule's index in ``CompiledRules/rules``.
    public let rule: Int
    /// The source name: a path, `<stdin>`, or `archive.zip!inner/path`.
    public let source: String
    /// The docker compose service within the source (several services share one stream in
    /// `docker compose logs`), or "".
    public internal(set) var service: String = ""
    /// The `group_by` values (same order as the rule's `group_by`), empty strings where absent.
    public internal(set) var groupValues: [String] = []
    /// How many events the rule matched here (one per event, whatever the number of lines).
    public internal(set) var occurrences: Int = 0
    /// The timestamp of the first matched event as written; nil when that event has none.
    public internal(set) var firstSeen: String?
    /// The timestamp of the latest matched event that had one, as written.
    public internal(set) var lastSeen: String?
    /// Unredacted evidence (redaction happens when the report is built).
    public internal(set) var evidence: [Evidence] = []
    /// Evidence line numbers, for example checks; capped.
    public internal(set) var lines: [(source: String, line: Int)] = []
    /// Values of the matched events by name (unredacted): the first value seen for a name is kept;
    /// within one event a rule's capture wins over an extracted value.
    public internal(set) var values: [String: String] = [:]
    /// The sequence signal (`follows …`) of the first event that had one; at most one.
    public internal(set) var signals: [Signal] = []
    /// Global order of the first match, to keep ties and time spans deterministic.
    public internal(set) var order: Int = 0
    /// Global order of the last match, the other end of the span ``order`` starts.
    public internal(set) var lastOrder: Int = 0
}

/// The outcome of scanning, before folding and ranking.
public struct ScanResult: Sendable {
    /// What each rule found per source and grouping values, in the order first found.
    public var findings: [RuleFindings]
    /// Per rule and source: where a succeeding request of the contrasting kind was seen.
    public var contrast: [FindingKey: Evidence]
    /// Where each rule signal was seen, per source.
    public var signals: [SignalKey: Evidence]
    /// Package versions seen per source (`version.<package>` names without the prefix).
    public var versions: [String: [String: String]]
    /// Request outcomes per operation and source.
    public var outcomes: [OperationKey: Outcomes]
    /// Error events that no rule matched, clustered by template.
    public var miner: TemplateMiner
    /// What the scan read.
    public var stats: ScanStats
    /// Problems met while reading and matching, in order, unredacted (the report redacts them).
    public var diagnostics: [Diagnostic]

    /// The unclassified clusters, most frequent first.
    public var unclassified: [UnclassifiedCluster] {
        miner.clusters.map {
            UnclassifiedCluster(
                template: $0.template, count: $0.count, firstSeen: $0.firstSeen, lastSeen: $0.lastSeen,
                example: $0.example)
        }
    }

    /// Combines results of disjoint inputs, in input order, as one session reading them in that
    /// order would have produced them (sessions numbered their findings from distinct bases).
    public static func combine(_ parts: [ScanResult]) -> ScanResult? {
        guard var out = parts.first else { return nil }
        for p in parts.dropFirst() {
            out.findings += p.findings
            out.contrast.merge(p.contrast) { a, _ in a }
            out.signals.merge(p.signals) { a, _ in a }
            out.versions.merge(p.versions) { a, b in a.merging(b) { x, _ in x } }
            out.outcomes.merge(p.outcomes) { a, b in
                var m = a
                m.merge(b)
                return m
            }
            out.miner.merge(p.miner)
            out.stats.files += p.stats.files
            out.stats.lines += p.stats.lines
            out.stats.events += p.stats.events
            out.stats.bytes += p.stats.bytes
            out.diagnostics += p.diagnostics
        }
        out.findings.sort { $0.order < $1.order }
        return out
    }
}
