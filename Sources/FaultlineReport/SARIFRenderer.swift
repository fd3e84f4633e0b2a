import FaultlineModel

/// SARIF 2.1.0 for code-scanning tools (GitHub code scanning, Azure DevOps, IDE viewers):
/// one run, one rule per distinct faultline rule, one result per incident and per unclassified
/// cluster, diagnostics as tool execution notifications. `docs/sarif.md` lists every field.
///
/// The document validates against the published OASIS schema (errata01), which the tests
/// check. Keys are in SARIF's conventional order; the output is pretty-printed with two-space
/// indentation and ends with one newline.
///
/// Locations: the `uri` of an artifact location is the evidence `source` as faultline wrote it,
/// percent-encoded where RFC 3986 requires (a space becomes `%20`, `<stdin>` becomes
/// `%3Cstdin%3E`, a backslash `%5C`). An archive member keeps faultline's own
/// `archive.zip!inner/path.log` notation: `!` is a legal URI character, so the string stays a
/// valid relative reference and shows the reader the same path as the other formats, at the
/// price of not resolving to a file in the repository (SARIF's nested `artifacts` with
/// `parentIndex` would, but few viewers follow them).
public enum SARIFRenderer {
    /// The most results written; GitHub code scanning shows at most 5,000 per run.
    public static let resultLimit = 5_000
    /// The most characters of an evidence line written as a region snippet.
    public static let snippetLimit = 500
    /// The id of the pseudo-rule that unclassified clusters are reported under.
    public static let unclassifiedRuleID = "faultline.unclassified"
    /// The `partialFingerprints` key of an incident's fingerprint.
    public static let fingerprintKey = "faultline/v1"
    /// The `partialFingerprints` key of an unclassified cluster (FNV-1a 64 of its template).
    public static let unclassifiedFingerprintKey = "faultline/unclassified/v1"
    /// The schema URI written as `$schema`.
    public static let schemaURI =
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    /// Renders `report` as a SARIF 2.1.0 log; ends with a newline.
    ///
    /// At most ``resultLimit`` results: incidents in rank order first, then unclassified
    /// clusters; when any are left out, a `warning` notification says how many of each.
    public static func render(_ report: Report, options: RenderOptions) -> String {
        let incidents = Array(report.incidents.prefix(resultLimit))
        let clusters = Array(report.unclassified.prefix(resultLimit - incidents.count))
        let omittedIncidents = report.incidents.count - incidents.count
        let omittedClusters = report.unclassified.count - clusters.count

        var rules: [JSONNode] = []
        var ruleIndex: [String: Int] = [:]
        for incident in incidents where ruleIndex[incident.rule] == nil {
            ruleIndex[incident.rule] = rules.count
            rules.append(descriptor(for: incident))
        }
        var results = incidents.map { incident in
            result(for: incident, ruleIndex: ruleIndex[incident.rule] ?? -1)
        }
        if !clusters.isEmpty {
            let index = rules.count
            rules.append(unclassifiedDescriptor)
            results += clusters.map { result(for: $0, ruleIndex: index) }
        }

        var notifications = report.diagnostics.map(notification)
        if omittedIncidents + omittedClusters > 0 {
            var parts: [String] = []
            if omittedIncidents > 0 { parts.append(Formatting.count(omittedIncidents, "incident")) }
            if omittedClusters > 0 { parts.append(Formatting.count(omittedClusters, "unclassified template")) }
            let text =
                "\(parts.joined(separator: " and ")) left out: at most \(Formatting.grouped(resultLimit)) results "
                + "are written, highest ranked first; the full report is in \(options.fullReportLocation)."
            notifications.append(jsonObject([("level", .string("warning")), ("message", message(text))]))
        }
        if options.hiddenByBaseline > 0 {
            notifications.append(
                jsonObject([
                    ("level", .string("note")), ("message", message(Baseline.hiddenMessage(options.hiddenByBaseline))),
                ]))
        }

        let driver = jsonObject([
            ("name", .string("faultline")),
            ("informationUri", options.toolInformationURI.map(JSONNode.string)),
            ("version", options.toolVersion.map(JSONNode.string)),
            ("rules", .array(rules)),
        ])
        let invocation = jsonObject([
            ("executionSuccessful", .bool(!report.diagnostics.contains { $0.severity == .error })),
            ("toolExecutionNotifications", .array(notifications)),
        ])
        let stats = report.stats
        let runProperties = jsonObject([
            (
                "stats",
                jsonObject([
                    ("files", .int(stats.files)), ("lines", .int(stats.lines)), ("events", .int(stats.events)),
                    ("bytes", .int(stats.bytes)),
                ])
            ),
            ("hiddenByBaseline", options.hiddenByBaseline > 0 ? .int(options.hiddenByBaseline) : nil),
        ])
        let run = jsonObject([
            ("tool", jsonObject([("driver", driver)])),
            ("invocations", .array([invocation])),
            ("columnKind", .string("unicodeCodePoints")),
            ("results", .array(results)),
            ("properties", runProperties),
        ])
        return jsonObject([
            ("$schema", .string(schemaURI)),
            ("version", .string("2.1.0")),
            ("runs", .array([run])),
        ]).rendered()
    }

    // MARK: Rules

    /// SARIF's level for a severity: `critical` and `error` → `error`, `warning` → `warning`,
    /// `info` → `note`.
    public static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// The descriptor of `incident`'s rule, from the highest-ranked incident of that rule (its
    /// title and cause carry that incident's values).
    private static func descriptor(for incident: Incident) -> JSONNode {
        jsonObject([
            ("id", .string(incident.rule)),
            ("name", .string(ruleName(incident.rule))),
            ("shortDescription", message(incident.title)),
            ("fullDescription", message(incident.cause)),
            ("defaultConfiguration", jsonObject([("level", .string(level(incident.severity)))])),
            (
                "help",
                jsonObject([
                    ("text", .string(helpText(incident))), ("markdown", .string(helpMarkdown(incident))),
                ])
            ),
            ("properties", jsonObject([("category", .string(incident.category.rawValue))])),
        ])
    }

    private static let unclassifiedDescriptor = jsonObject([
        ("id", .string(unclassifiedRuleID)),
        ("name", .string("Unclassified")),
        ("shortDescription", message("Error events that no rule explains")),
        (
            "fullDescription",
            message(
                "Error events that match no faultline rule, grouped by message template: variable parts are "
                    + "<*>, HTTP statuses and provider error codes stay literal.")
        ),
        ("defaultConfiguration", jsonObject([("level", .string("note"))])),
        (
            "help",
            jsonObject([
                (
                    "text",
                    .string(
                        "Read the example line. If the error recurs and has a known cause, write a rule for it "
                            + "(one YAML file with examples; see docs/rules.md).")
                ),
                (
                    "markdown",
                    .string(
                        "Read the example line. If the error recurs and has a known cause, write a rule for it "
                            + "(one YAML file with examples; see `docs/rules.md`).")
                ),
            ])
        ),
        ("properties", jsonObject([("category", .string("unclassified"))])),
    ])

    /// `litellm-unexpanded-env-var-key` → `LitellmUnexpandedEnvVarKey`.
    static func ruleName(_ id: String) -> String {
        let words = id.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
        let name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return name.isEmpty ? id : name
    }

    /// The fix steps numbered (continuation lines indented under their number), then the references.
    static func helpText(_ incident: Incident) -> String {
        var lines: [String] = []
        if !incident.fix.isEmpty {
            lines.append("Fix:")
            for (index, step) in incident.fix.enumerated() {
                let label = "\(index + 1). "
                let hanging = String(repeating: " ", count: label.count)
                let stepLines = step.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
                var trimmed = stepLines[...]
                while let last = trimmed.last, last.allSatisfy(\.isWhitespace) { trimmed = trimmed.dropLast() }
                for (lineIndex, line) in trimmed.enumerated() {
                    lines.append(lineIndex == 0 ? label + line : (line.isEmpty ? "" : hanging + line))
                }
                if trimmed.isEmpty { lines.append(String(label.dropLast())) }
            }
        }
        if !incident.references.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines.append("References:")
            lines += incident.references.map { "- " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// The fix steps as a Markdown ordered list (code kept in fenced blocks), then the references.
    static func helpMarkdown(_ incident: Incident) -> String {
        var lines: [String] = []
        if !incident.fix.isEmpty {
            lines += ["**Fix**", ""]
            for (index, step) in incident.fix.enumerated() {
                MarkdownRenderer.fixStep(step, number: index + 1, into: &lines)
            }
        }
        if !incident.references.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines += ["**References**", ""]
            lines += incident.references.map { "- " + Markdown.link($0) }
        }
        return lines.joined(separator: "\n")
    }

    // MARK: Results

    private static func result(for incident: Incident, ruleIndex: Int) -> JSONNode {
        let evidence = uniqueEvidence(incident.evidence)
        let related = evidence.dropFirst().enumerated().map { offset, item in
            location(item, id: offset + 1)
        }
        let fingerprints: JSONNode? =
            incident.fingerprint.isEmpty ? nil : jsonObject([(fingerprintKey, .string(incident.fingerprint))])
        let hundredths = Formatting.roundedHundredths(incident.confidence)
        let properties = jsonObject([
            ("id", .string(incident.id)),
            ("category", .string(incident.category.rawValue)),
            ("severity", .string(incident.severity.rawValue)),
            ("confidence", .double(Double(hundredths) / 100)),
            ("occurrences", .int(incident.occurrences)),
            ("firstSeen", incident.firstSeen.map(JSONNode.string)),
            ("lastSeen", incident.lastSeen.map(JSONNode.string)),
            (
                "values",
                .object(incident.values.sorted { $0.key < $1.key }.map { ($0.key, JSONNode.string($0.value)) })
            ),
            (
                "signals",
                .array(
                    incident.signals.map {
                        jsonObject([("effect", .string($0.effect)), ("text", .string($0.text))])
                    })
            ),
            (
                "candidates",
                .array(
                    incident.candidates.map {
                        jsonObject([("category", .string($0.category.rawValue)), ("why", .string($0.why))])
                    })
            ),
            (
                "explains",
                .array(
                    incident.explains.map {
                        jsonObject([
                            ("rule", .string($0.rule)), ("category", .string($0.category.rawValue)),
                            ("title", .string($0.title)), ("occurrences", .int($0.occurrences)),
                        ])
                    })
            ),
        ])
        return jsonObject([
            ("ruleId", .string(incident.rule)),
            ("ruleIndex", .int(ruleIndex)),
            ("level", .string(level(incident.severity))),
            ("message", message(incident.title + "\n\n" + incident.cause)),
            ("locations", .array(evidence.prefix(1).map { location($0, id: nil) })),
            ("relatedLocations", related.isEmpty ? nil : .array(related)),
            ("partialFingerprints", fingerprints),
            ("occurrenceCount", incident.occurrences >= 1 ? .int(incident.occurrences) : nil),
            ("rank", .double(Double(hundredths))),
            ("properties", properties),
        ])
    }

    private static func result(for cluster: UnclassifiedCluster, ruleIndex: Int) -> JSONNode {
        let times = Formatting.count(cluster.count, "time")
        return jsonObject([
            ("ruleId", .string(unclassifiedRuleID)),
            ("ruleIndex", .int(ruleIndex)),
            ("level", .string("note")),
            ("message", message("Unclassified error (\(times)): \(cluster.template)")),
            ("locations", .array([location(cluster.example, id: nil)])),
            (
                "partialFingerprints",
                jsonObject([(unclassifiedFingerprintKey, .string(fnv1a64Hex(cluster.template)))])
            ),
            ("occurrenceCount", cluster.count >= 1 ? .int(cluster.count) : nil),
            (
                "properties",
                jsonObject([
                    ("template", .string(cluster.template)),
                    ("count", .int(cluster.count)),
                    ("firstSeen", cluster.firstSeen.map(JSONNode.string)),
                    ("lastSeen", cluster.lastSeen.map(JSONNode.string)),
                ])
            ),
        ])
    }

    private static func notification(_ diagnostic: Diagnostic) -> JSONNode {
        var text = diagnostic.message
        if let hint = diagnostic.hint { text += " (\(hint))" }
        var locations: JSONNode?
        if let source = diagnostic.source {
            let region: JSONNode? =
                diagnostic.line.flatMap { line in
                    line >= 1
                        ? jsonObject([
                            ("startLine", .int(line)),
                            ("startColumn", diagnostic.column.flatMap { $0 >= 1 ? JSONNode.int($0) : nil }),
                        ]) : nil
                }
            locations = .array([
                jsonObject([
                    (
                        "physicalLocation",
                        jsonObject([
                            ("artifactLocation", jsonObject([("uri", .string(uri(source)))])), ("region", region),
                        ])
                    )
                ])
            ])
        }
        return jsonObject([
            ("level", .string(diagnostic.severity.rawValue)),
            ("message", message(text)),
            ("locations", locations),
        ])
    }

    private static func message(_ text: String) -> JSONNode {
        jsonObject([("text", .string(text))])
    }

    /// Evidence without repeats (SARIF's `relatedLocations` must be unique), order kept.
    private static func uniqueEvidence(_ evidence: [Evidence]) -> [Evidence] {
        var seen: Set<Evidence> = []
        return evidence.filter { seen.insert($0).inserted }
    }

    private static func location(_ evidence: Evidence, id: Int?) -> JSONNode {
        let snippet = Formatting.truncated(String(evidence.text.prefix(snippetLimit + 1)), to: snippetLimit)
        let region: JSONNode? =
            evidence.line >= 1
            ? jsonObject([("startLine", .int(evidence.line)), ("snippet", jsonObject([("text", .string(snippet))]))])
            : nil
        return jsonObject([
            ("id", id.map(JSONNode.int)),
            (
                "physicalLocation",
                jsonObject([
                    ("artifactLocation", jsonObject([("uri", .string(uri(evidence.source)))])), ("region", region),
                ])
            ),
        ])
    }

    /// `source` as a URI reference: bytes outside RFC 3986's unreserved, sub-delims, `:`, `@`
    /// and `/` are percent-encoded (so is `%`); a `:` before the first `/` is encoded too, so
    /// that `C:` is not read as a scheme.
    static func uri(_ source: String) -> String {
        var out = ""
        var beforeSlash = true
        for byte in source.utf8 {
            let character = Character(Unicode.Scalar(byte))
            let plain =
                byte < 0x80
                && (character.isLetter || character.isNumber || "-._~!$&'()*+,;=@/".contains(character)
                    || (character == ":" && !beforeSlash))
            if byte == UInt8(ascii: "/") { beforeSlash = false }
            if plain {
                out.append(character)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count < 2 ? "0" : "") + hex
            }
        }
        return out
    }

    /// FNV-1a 64 of the UTF-8 bytes, as 16 hex digits (the hash the engine's fingerprints use).
    static func fnv1a64Hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
