import FaultlineModel
import FaultlineText

/// Combines the reports of scan shards (`--format json`, decoded) into one report, exactly.
///
/// For two or more reports the result depends only on the set of reports, not on their order or
/// grouping (`merge([merge([a, b]), c]) == merge([a, b, c]) == merge([c, a, b])`), except for
/// diagnostics, which are concatenated in the order given. The rules:
///
/// - Incidents are keyed by ``FaultlineModel/Incident/fingerprint`` (an empty fingerprint by
///   rule id and cause text). `occurrences` add; `first_seen`/`last_seen` become the earliest
///   and latest (see ``TimestampOrder``); `confidence` and `severity` the maximum.
/// - Text (`title`, `cause`, `fix`, `rule`, `category`) comes from one representative: the
///   contributor whose text is smallest in a fixed order — for one fingerprint these are the
///   same in every shard, so the choice rarely shows.
/// - `evidence`: the union without repeats, sorted by source, then line (then text), capped at 5.
/// - `explains`: merged by rule, occurrences added; sorted by occurrences (most first), then rule.
/// - `values`: the union; where shards disagree on a key, the smallest value wins.
/// - `signals`, `candidates`, `references`: if every contributor has the same list, that list;
///   otherwise the union without repeats, sorted.
/// - Unclassified clusters are keyed by template: counts add, first/last seen as above, the
///   example with the smallest (source, line, text); sorted by count (most first), then
///   template. The 500-template cap of a scan is not re-applied (it would make merging
///   order-dependent).
/// - Stats add. Incidents are re-ranked — confidence, then severity (both highest first), then
///   the first evidence's source and line, then the fingerprint — and re-numbered `F1…Fn`.
///
/// A single report is returned unchanged (`merge([r]) == r`): a scan's own order (evidence most
/// telling first, the engine's ranking) is better than the normal form above, which only
/// exists to make the merge of several shards independent of their order.
public enum ReportMerger {
    /// The most evidence entries a merged incident keeps (as a scan does).
    public static let evidenceLimit = 5

    /// Merges `reports`; see the type's documentation for the rules.
    public static func merge(_ reports: [Report]) -> Report {
        if reports.count == 1, let only = reports.first { return only }
        var incidents: [String: Incident] = [:]
        var clusters: [String: UnclassifiedCluster] = [:]
        var stats = ScanStats()
        var diagnostics: [Diagnostic] = []
        for report in reports {
            for incident in report.incidents {
                let key =
                    incident.fingerprint.isEmpty ? "\u{0}\(incident.rule)\u{0}\(incident.cause)" : incident.fingerprint
                incidents[key] = incidents[key].map { merged($0, incident) } ?? normalised(incident)
            }
            for cluster in report.unclassified {
                clusters[cluster.template] = clusters[cluster.template].map { merged($0, cluster) } ?? cluster
            }
            stats.files += report.stats.files
            stats.lines += report.stats.lines
            stats.events += report.stats.events
            stats.bytes += report.stats.bytes
            diagnostics += report.diagnostics
        }
        var ranked = incidents.values.sorted(by: rankedBefore)
        for index in ranked.indices { ranked[index].id = "F\(index + 1)" }
        let unclassified = clusters.values.sorted { a, b in
            a.count != b.count ? a.count > b.count : a.template < b.template
        }
        return Report(
            version: reports.map(\.version).max() ?? 1, incidents: ranked, unclassified: unclassified, stats: stats,
            diagnostics: diagnostics)
    }

    // MARK: Incidents

    /// Combines incidents that share a fingerprint, exactly as ``merge(_:)`` combines them across
    /// shards (a scan uses this for an incident found in several sources). One incident is
    /// returned unchanged.
    public static func combine(_ incidents: [Incident]) -> Incident? {
        guard let first = incidents.first else { return nil }
        guard incidents.count > 1 else { return first }
        return incidents.dropFirst().reduce(normalised(first), merged)
    }

    /// An incident that has no counterpart yet, in the form a merge produces: evidence sorted and
    /// capped, symptoms merged by rule, repeats removed from lists.
    private static func normalised(_ incident: Incident) -> Incident {
        var copy = incident
        copy.evidence = cappedEvidence(incident.evidence)
        copy.explains = mergedSymptoms(incident.explains, [])
        copy.signals = unique(incident.signals)
        copy.candidates = unique(incident.candidates)
        copy.references = unique(incident.references)
        return copy
    }

    private static func merged(_ a: Incident, _ b: Incident) -> Incident {
        var out = textOrder(a, b) ? a : b
        out.severity = max(a.severity, b.severity)
        out.confidence = max(confidenceKey(a.confidence), confidenceKey(b.confidence))
        out.occurrences = a.occurrences + b.occurrences
        out.firstSeen = TimestampOrder.earliest(a.firstSeen, b.firstSeen)
        out.lastSeen = TimestampOrder.latest(a.lastSeen, b.lastSeen)
        out.evidence = cappedEvidence(a.evidence + b.evidence)
        out.explains = mergedSymptoms(a.explains, b.explains)
        out.values = a.values.merging(b.values) { min($0, $1) }
        out.signals = mergedList(a.signals, b.signals) { ($0.effect, $0.text) < ($1.effect, $1.text) }
        out.candidates = mergedList(a.candidates, b.candidates) {
            ($0.category.rawValue, $0.why) < ($1.category.rawValue, $1.why)
        }
        out.references = mergedList(a.references, b.references, by: <)
        return out
    }

    /// A total order on an incident's text, to pick the representative.
    private static func textOrder(_ a: Incident, _ b: Incident) -> Bool {
        let left = [a.title, a.cause, a.fix.joined(separator: "\u{0}"), a.rule, a.category.rawValue]
        let right = [b.title, b.cause, b.fix.joined(separator: "\u{0}"), b.rule, b.category.rawValue]
        return left.lexicographicallyPrecedes(right)
    }

    /// NaN sorts as 0.
    private static func confidenceKey(_ value: Double) -> Double { value.isNaN ? 0 : value }

    private static func cappedEvidence(_ evidence: [Evidence]) -> [Evidence] {
        Array(Set(evidence)).sorted { ($0.source, $0.line, $0.text) < ($1.source, $1.line, $1.text) }
            .prefix(evidenceLimit).map { $0 }
    }

    private static func mergedSymptoms(_ a: [Symptom], _ b: [Symptom]) -> [Symptom] {
        var byRule: [String: Symptom] = [:]
        for symptom in a + b {
            if var existing = byRule[symptom.rule] {
                existing.occurrences += symptom.occurrences
                if (symptom.title, symptom.category.rawValue) < (existing.title, existing.category.rawValue) {
                    existing.title = symptom.title
                    existing.category = symptom.category
                }
                byRule[symptom.rule] = existing
            } else {
                byRule[symptom.rule] = symptom
            }
        }
        return byRule.values.sorted { a, b in
            a.occurrences != b.occurrences ? a.occurrences > b.occurrences : a.rule < b.rule
        }
    }

    /// The common list when both agree (after removing repeats), else the sorted union.
    private static func mergedList<T: Hashable>(_ a: [T], _ b: [T], by areInIncreasingOrder: (T, T) -> Bool) -> [T] {
        let left = unique(a)
        let right = unique(b)
        if left == right { return left }
        return Array(Set(left + right)).sorted(by: areInIncreasingOrder)
    }

    private static func unique<T: Hashable>(_ items: [T]) -> [T] {
        var seen: Set<T> = []
        return items.filter { seen.insert($0).inserted }
    }

    /// The order of a merged report (a scan ranks the same way): confidence, then severity
    /// (highest first), then first evidence source and line, then fingerprint.
    public static func rankedBefore(_ a: Incident, _ b: Incident) -> Bool {
        let ca = confidenceKey(a.confidence)
        let cb = confidenceKey(b.confidence)
        if ca != cb { return ca > cb }
        if a.severity != b.severity { return a.severity > b.severity }
        let ea = a.evidence.first.map { ($0.source, $0.line) } ?? ("\u{10FFFF}", Int.max)
        let eb = b.evidence.first.map { ($0.source, $0.line) } ?? ("\u{10FFFF}", Int.max)
        if ea != eb { return ea < eb }
        if a.fingerprint != b.fingerprint { return a.fingerprint < b.fingerprint }
        return textOrder(a, b)
    }

    // MARK: Clusters

    private static func merged(_ a: UnclassifiedCluster, _ b: UnclassifiedCluster) -> UnclassifiedCluster {
        var out = a
        out.count = a.count + b.count
        out.firstSeen = TimestampOrder.earliest(a.firstSeen, b.firstSeen)
        out.lastSeen = TimestampOrder.latest(a.lastSeen, b.lastSeen)
        let key = { (e: Evidence) in (e.source, e.line, e.text) }
        out.example = key(b.example) < key(a.example) ? b.example : a.example
        return out
    }
}

/// Orders the timestamps logs write, so that merged first/last seen are the real earliest and latest.
///
/// Parsed: `YYYY-MM-DD` then `T` or a space, `HH:MM:SS` (or `HH:MM`), an optional fraction after
/// `.` or `,`, an optional `Z` or `±HH:MM`/`±HHMM` offset (no offset is read as UTC), with
/// any prefix before the date (`W 2024-03-10 16:17:26.978`, `[2024-…`) ignored. Parsed
/// timestamps come before unparsed ones; unparsed ones compare as strings; ties between equal
/// instants written differently are broken by the string, so the order is total and the
/// choice deterministic.
public enum TimestampOrder {
    /// `true` when `a` is earlier than `b` in that order.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        switch (instant(a), instant(b)) {
        case let (x?, y?): x != y ? x < y : a < b
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): a < b
        }
    }

    static func earliest(_ a: String?, _ b: String?) -> String? {
        guard let a else { return b }
        guard let b else { return a }
        return precedes(b, a) ? b : a
    }

    static func latest(_ a: String?, _ b: String?) -> String? {
        guard let a else { return b }
        guard let b else { return a }
        return precedes(a, b) ? b : a
    }

    /// Nanoseconds since 1970-01-01T00:00:00Z, or `nil` when `text` holds no date-time.
    static func instant(_ text: String) -> Int64? { Timestamp.nanoseconds(text) }
}
