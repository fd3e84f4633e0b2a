import FaultlineModel
import Foundation

/// Machine-readable JSON: the shape documented in `docs/json.md`, keys sorted, two-space
/// indentation, slashes unescaped, a final newline.
///
/// Every incident key is always present (`first_seen`/`last_seen` as `null` when the log gave
/// no timestamps, empty arrays and objects as `[]`/`{}`), and `confidence` is rounded to two
/// decimals, so the output is stable for golden files, diffs and baselines. The output decodes
/// back into a ``FaultlineModel/Report`` (that is how `faultline merge` reads shards).
public enum JSONRenderer {
    /// Renders `report` as JSON; ends with a newline.
    public static func render(_ report: Report, options: RenderOptions) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            let data = try encoder.encode(JSONReport(report))
            return compactingEmptyContainers(String(decoding: data, as: UTF8.self)) + "\n"
        } catch {
            // Unreachable with the sanitised values below; never crash on a report anyway.
            return
                "{\n  \"error\" : \"the report could not be encoded as JSON\",\n  \"version\" : \(report.version)\n}\n"
        }
    }
}

/// Foundation's pretty printer writes an empty array as `[`, a blank line and `]`; this joins
/// them into `[]` (and `{}`). Safe because a raw newline in the output is always structural:
/// newlines inside strings are escaped as `\n`.
private func compactingEmptyContainers(_ json: String) -> String {
    let lines = json.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [Substring] = []
    out.reserveCapacity(lines.count)
    var index = 0
    while index < lines.count {
        let line = lines[index]
        if index + 2 < lines.count, lines[index + 1].allSatisfy({ $0 == " " }), let open = line.last,
            open == "[" || open == "{"
        {
            let closing = lines[index + 2].drop(while: { $0 == " " })
            if closing.first == (open == "[" ? "]" : "}") {
                out.append(line + closing)
                index += 3
                continue
            }
        }
        out.append(line)
        index += 1
    }
    return out.joined(separator: "\n")
}

/// The top level: `version`, `incidents`, `unclassified`, `stats`, `diagnostics`.
private struct JSONReport: Encodable {
    let version: Int
    let incidents: [JSONIncident]
    let unclassified: [JSONCluster]
    let stats: ScanStats
    let diagnostics: [Diagnostic]

    init(_ report: Report) {
        version = report.version
        incidents = report.incidents.map(JSONIncident.init)
        unclassified = report.unclassified.map(JSONCluster.init)
        stats = report.stats
        diagnostics = report.diagnostics
    }
}

/// An unclassified cluster with every key always present.
private struct JSONCluster: Encodable {
    let cluster: UnclassifiedCluster

    enum CodingKeys: String, CodingKey {
        case template, count
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case example
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(cluster.template, forKey: .template)
        try c.encode(cluster.count, forKey: .count)
        try c.encode(cluster.firstSeen, forKey: .firstSeen)
        try c.encode(cluster.lastSeen, forKey: .lastSeen)
        try c.encode(cluster.example, forKey: .example)
    }
}

/// An incident with every key always present; the key names are those of `Incident.CodingKeys`.
private struct JSONIncident: Encodable {
    let incident: Incident

    enum CodingKeys: String, CodingKey {
        case id, rule, fingerprint, category, severity, confidence, title, cause, fix, references, occurrences
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case values, candidates, signals, explains, evidence
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(incident.id, forKey: .id)
        try c.encode(incident.rule, forKey: .rule)
        try c.encode(incident.fingerprint, forKey: .fingerprint)
        try c.encode(incident.category, forKey: .category)
        try c.encode(incident.severity, forKey: .severity)
        try c.encode(Double(Formatting.roundedHundredths(incident.confidence)) / 100, forKey: .confidence)
        try c.encode(incident.title, forKey: .title)
        try c.encode(incident.cause, forKey: .cause)
        try c.encode(incident.fix, forKey: .fix)
        try c.encode(incident.references, forKey: .references)
        try c.encode(incident.occurrences, forKey: .occurrences)
        try c.encode(incident.firstSeen, forKey: .firstSeen)
        try c.encode(incident.lastSeen, forKey: .lastSeen)
        try c.encode(incident.values, forKey: .values)
        try c.encode(incident.candidates, forKey: .candidates)
        try c.encode(incident.signals, forKey: .signals)
        try c.encode(incident.explains, forKey: .explains)
        try c.encode(incident.evidence, forKey: .evidence)
    }
}
