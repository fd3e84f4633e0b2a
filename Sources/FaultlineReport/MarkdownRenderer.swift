import FaultlineModel

/// A Markdown incident report, fit to paste into a ticket, a PR comment or a CI job summary.
///
/// Every piece of report text is treated as untrusted: prose is escaped (inline code spans
/// written as `` `…` `` are kept, re-fenced safely), evidence goes into fenced blocks whose fence
/// is longer than any backtick run inside, table cells escape `|`, and HTML is entity-encoded.
/// A log line containing ```` ``` ````, `|` or `<script>` renders as inert text.
public enum MarkdownRenderer {
    /// The most evidence entries shown per incident.
    public static let evidenceLimit = 5
    /// The most characters shown of one evidence line.
    public static let excerptLimit = 500

    /// Renders `report` as GitHub-flavoured Markdown; ends with a newline.
    ///
    /// With ``RenderOptions/maxBytes`` set and the full report longer (in UTF-8 bytes), parts
    /// are left out whole, never cut: unclassified rows first (least frequent first), then
    /// incidents from the lowest rank up (their table row and their section), then diagnostics;
    /// a last paragraph says "N more incidents (and M unclassified templates) not shown; the
    /// full report is in …" (``RenderOptions/fullReportLocation``). The summary line keeps the
    /// total count. If even the summary and that paragraph do not fit, the output is that
    /// paragraph alone, and if that does not fit either, it is empty. The result is never
    /// longer than `maxBytes`.
    public static func render(_ report: Report, options: RenderOptions) -> String {
        let parts = Parts(report, options: options)
        let full = Selection(
            incidents: report.incidents.count, clusters: report.unclassified.count,
            diagnostics: report.diagnostics.count)
        guard let maxBytes = options.maxBytes, parts.size(full) > maxBytes else {
            return parts.assemble(full)
        }
        var selection = full
        selection.trailer = true
        while parts.size(selection) > maxBytes {
            if selection.clusters > 0 {
                selection.clusters -= 1
            } else if selection.incidents > 0 {
                selection.incidents -= 1
            } else if selection.diagnostics > 0 {
                selection.diagnostics -= 1
            } else {
                let alone = parts.trailer(selection) + "\n"
                return alone.utf8.count <= maxBytes ? alone : ""
            }
        }
        return parts.assemble(selection)
    }

    /// How much of a report is shown.
    private struct Selection {
        var incidents: Int
        var clusters: Int
        var diagnostics: Int
        var trailer = false
    }

    /// A report pre-rendered in parts whose sizes add up, so that a selection's size is known
    /// without assembling it.
    private struct Parts {
        let report: Report
        let options: RenderOptions
        var head: [String] = []
        var tableHead: [String] = []
        var rows: [String] = []
        var sections: [[String]] = []
        var clusterHead: [String] = []
        var clusterRows: [String] = []
        var diagnosticHead: [String] = []
        var diagnosticRows: [String] = []
        /// Bytes of the first k table rows and incident sections, of the first k cluster rows,
        /// of the first k diagnostic rows.
        var incidentBytes: [Int] = [0]
        var clusterBytes: [Int] = [0]
        var diagnosticBytes: [Int] = [0]

        init(_ report: Report, options: RenderOptions) {
            self.report = report
            self.options = options
            head = ["# faultline report", ""]
            let summary = Formatting.scanSummary(report.stats)
            if report.incidents.isEmpty {
                head.append("No incidents found in \(summary).")
            } else {
                head.append("**\(Formatting.count(report.incidents.count, "incident"))** in \(summary).")
            }
            if options.hiddenByBaseline > 0 {
                head += ["", Baseline.hiddenMessage(options.hiddenByBaseline) + "."]
            }
            tableHead = [
                "", "| # | Severity | Category | Confidence | Title | Occurrences |", "|---:|---|---|---:|---|---:|",
            ]
            for (index, incident) in report.incidents.enumerated() {
                let cells = [
                    "\(index + 1)", incident.severity.rawValue, "`\(incident.category.rawValue)`",
                    Formatting.confidence(incident.confidence), Markdown.text(incident.title),
                    Formatting.grouped(incident.occurrences),
                ]
                rows.append("| " + cells.joined(separator: " | ") + " |")
                var section = [""]
                MarkdownRenderer.render(incident, rank: index + 1, into: &section)
                sections.append(section)
            }
            clusterHead = [
                "", "## Unclassified errors", "", "Error events that no rule explains, grouped by message template.",
                "", "| Count | Template | First seen | Last seen | Example |", "|---:|---|---|---|---|",
            ]
            for cluster in report.unclassified {
                let example =
                    "`\(cluster.example.source):\(cluster.example.line)` "
                    + Markdown.codeSpan(Formatting.truncated(cluster.example.text, to: 200))
                let cells = [
                    Formatting.grouped(cluster.count),
                    Markdown.codeSpan(Formatting.truncated(cluster.template, to: 200)),
                    cluster.firstSeen.map { Markdown.text($0) } ?? "", cluster.lastSeen.map { Markdown.text($0) } ?? "",
                    example,
                ]
                clusterRows.append(
                    "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
            }
            diagnosticHead = ["", "## Diagnostics", ""]
            diagnosticRows = report.diagnostics.map { "- " + MarkdownRenderer.diagnostic($0) }
            for (row, section) in zip(rows, sections) {
                incidentBytes.append((incidentBytes.last ?? 0) + Self.bytes([row]) + Self.bytes(section))
            }
            for row in clusterRows { clusterBytes.append((clusterBytes.last ?? 0) + Self.bytes([row])) }
            for row in diagnosticRows { diagnosticBytes.append((diagnosticBytes.last ?? 0) + Self.bytes([row])) }
        }

        /// Lines joined by and ending with a newline take their bytes plus one each.
        static func bytes(_ lines: some Sequence<String>) -> Int { lines.reduce(0) { $0 + $1.utf8.count + 1 } }

        /// "N more incidents (and M unclassified templates) not shown; the full report is in …."
        func trailer(_ selection: Selection) -> String {
            let incidents = report.incidents.count - selection.incidents
            let clusters = report.unclassified.count - selection.clusters
            let diagnostics = report.diagnostics.count - selection.diagnostics
            var others: [String] = []
            if clusters > 0 { others.append(Formatting.count(clusters, "unclassified template")) }
            if diagnostics > 0 { others.append(Formatting.count(diagnostics, "diagnostic")) }
            var text: String
            if incidents > 0 {
                let more = selection.incidents > 0 ? "more " : ""
                text = "\(Formatting.grouped(incidents)) \(more)\(incidents == 1 ? "incident" : "incidents")"
                if !others.isEmpty { text += " (and \(others.joined(separator: " and ")))" }
            } else {
                text = others.joined(separator: " and ")
            }
            return text + " not shown; the full report is in \(Markdown.prose(options.fullReportLocation))."
        }

        /// The lines of `selection`, in order.
        func lines(_ selection: Selection) -> [String] {
            var out = head
            if selection.incidents > 0 {
                out += tableHead
                out += rows.prefix(selection.incidents)
            }
            for section in sections.prefix(selection.incidents) { out += section }
            if selection.clusters > 0 {
                out += clusterHead
                out += clusterRows.prefix(selection.clusters)
            }
            if selection.diagnostics > 0 {
                out += diagnosticHead
                out += diagnosticRows.prefix(selection.diagnostics)
            }
            if selection.trailer { out += ["", trailer(selection)] }
            return out
        }

        func assemble(_ selection: Selection) -> String {
            lines(selection).joined(separator: "\n") + "\n"
        }

        /// The UTF-8 size of `assemble(selection)`, from the precomputed sums.
        func size(_ selection: Selection) -> Int {
            var total = Self.bytes(head)
            if selection.incidents > 0 { total += Self.bytes(tableHead) + incidentBytes[selection.incidents] }
            if selection.clusters > 0 { total += Self.bytes(clusterHead) + clusterBytes[selection.clusters] }
            if selection.diagnostics > 0 {
                total += Self.bytes(diagnosticHead) + diagnosticBytes[selection.diagnostics]
            }
            if selection.trailer { total += Self.bytes(["", trailer(selection)]) }
            return total
        }
    }

    fileprivate static func render(_ incident: Incident, rank: Int, into out: inout [String]) {
        out.append("## \(rank). \(Markdown.text(incident.title))")
        out.append("")
        out.append(
            "**Severity:** \(incident.severity.rawValue) · **Category:** `\(incident.category.rawValue)` · "
                + "**Confidence:** \(Formatting.confidence(incident.confidence)) · "
                + "**Rule:** \(Markdown.codeSpan(incident.rule))")
        out.append("")
        out.append(Markdown.text(Formatting.seen(incident)) + ".")

        let paragraphs = Formatting.inert(incident.cause, keepNewlines: true)
            .split(separator: "\n\n", omittingEmptySubsequences: true)
        for (index, paragraph) in paragraphs.enumerated() {
            out.append("")
            let text = Markdown.prose(String(paragraph))
            out.append(index == 0 ? "**Cause.** " + text : Markdown.prose(String(paragraph), atLineStart: true))
        }

        if !incident.values.isEmpty {
            out.append("")
            let values = incident.values.sorted { $0.key < $1.key }
                .map { "\(Markdown.codeSpan($0.key)) = \(Markdown.codeSpan($0.value))" }
            out.append("**Values:** " + values.joined(separator: ", "))
        }
        if !incident.signals.isEmpty {
            section("Confidence signals", into: &out)
            for signal in incident.signals {
                let mark = signal.effect.hasPrefix("-") ? "(−)" : "(+)"
                out.append("- \(mark) \(Markdown.prose(signal.text))")
            }
        }
        if !incident.fix.isEmpty {
            section("Fix", into: &out)
            for (index, step) in incident.fix.enumerated() {
                fixStep(step, number: index + 1, into: &out)
            }
        }
        if !incident.explains.isEmpty {
            section("Symptoms explained", into: &out)
            for symptom in incident.explains {
                out.append(
                    "- \(Markdown.prose(symptom.title, atLineStart: true)) — `\(symptom.category.rawValue)`, "
                        + "\(Formatting.count(symptom.occurrences, "occurrence")) (rule \(Markdown.codeSpan(symptom.rule)))"
                )
            }
        }
        if !incident.candidates.isEmpty {
            section("Possible causes", into: &out)
            for (index, candidate) in incident.candidates.enumerated() {
                out.append("\(index + 1). `\(candidate.category.rawValue)` — \(Markdown.prose(candidate.why))")
            }
        }
        if !incident.evidence.isEmpty {
            section("Evidence", into: &out)
            for evidence in incident.evidence.prefix(evidenceLimit) {
                out.append("- " + Markdown.codeSpan("\(evidence.source):\(evidence.line)"))
                out.append("")
                let lines = Formatting.inert(String(evidence.text.prefix(excerptLimit * 4)), keepNewlines: true)
                    .split(separator: "\n", omittingEmptySubsequences: false)
                    .map { Formatting.truncated(String($0), to: excerptLimit) }
                out.append(contentsOf: Markdown.fenced(lines, indent: "  "))
            }
            let more = incident.evidence.count - evidenceLimit
            if more > 0 { out.append("- … and \(more) more (see the JSON report)") }
        }
        if !incident.references.isEmpty {
            section("References", into: &out)
            for reference in incident.references {
                out.append("- " + Markdown.link(reference))
            }
        }
    }

    private static func section(_ title: String, into out: inout [String]) {
        out.append("")
        out.append("**\(title)**")
        out.append("")
    }

    /// An ordered-list item; prose paragraphs and code blocks indented to the item's content.
    static func fixStep(_ step: String, number: Int, into out: inout [String]) {
        let label = "\(number). "
        let indent = String(repeating: " ", count: label.count)
        var first = true
        for block in Formatting.blocks(of: Formatting.inert(step, keepNewlines: true)) {
            switch block {
            case .prose(let text):
                if first {
                    out.append(label + Markdown.prose(text, atLineStart: true))
                } else {
                    out.append("")
                    out.append(indent + Markdown.prose(text, atLineStart: true))
                }
            case .code(let lines):
                if first {
                    out.append(label.trimmingTrailingSpace)
                }
                out.append("")
                out.append(contentsOf: Markdown.fenced(lines, indent: indent))
            }
            first = false
        }
        if first { out.append(label.trimmingTrailingSpace) }
    }

    fileprivate static func diagnostic(_ diagnostic: Diagnostic) -> String {
        var location = ""
        if let source = diagnostic.source {
            var place = source
            if let line = diagnostic.line {
                place += ":\(line)"
                if let column = diagnostic.column { place += ":\(column)" }
            }
            location = " " + Markdown.codeSpan(place)
        }
        var text = "**\(diagnostic.severity.rawValue)**\(location): \(Markdown.prose(diagnostic.message))"
        if let hint = diagnostic.hint { text += " (\(Markdown.prose(hint)))" }
        return text
    }
}

extension String {
    fileprivate var trimmingTrailingSpace: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
