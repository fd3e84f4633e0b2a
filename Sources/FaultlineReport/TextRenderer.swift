import FaultlineModel

/// The terminal summary: incidents ranked, each with its cause, fix, evidence and references.
///
/// Diagnostics are not part of it (the CLI prints them to stderr); a last line says how many
/// there were. All text from the report is made inert first (see ``Formatting/inert(_:keepNewlines:)``):
/// a log line cannot drive the terminal.
public enum TextRenderer {
    /// The most evidence lines shown per incident.
    public static let evidenceLimit = 5

    /// Renders `report` for a terminal; ends with a newline.
    public static func render(_ report: Report, options: RenderOptions) -> String {
        let style = Style(color: options.color)
        let width = options.effectiveWidth
        var out: [String] = []
        let stats = report.stats

        if report.incidents.isEmpty {
            out.append("No incidents found in \(Formatting.scanSummary(stats)).")
        } else {
            let incidents = Formatting.count(report.incidents.count, "incident")
            out.append(style.bold("\(incidents) in \(Formatting.scanSummary(stats))"))
        }
        if options.hiddenByBaseline > 0 {
            out.append(Baseline.hiddenMessage(options.hiddenByBaseline) + ".")
        }

        for (index, incident) in report.incidents.enumerated() {
            out.append("")
            render(incident, rank: index + 1, width: width, style: style, into: &out)
        }

        if !report.unclassified.isEmpty {
            out.append("")
            out.append(style.bold("Unclassified errors (no rule explains them):"))
            for cluster in report.unclassified {
                let count = Formatting.count(cluster.count, "time")
                wrapped(
                    "\(count): \(Formatting.inert(cluster.template))", width: width, hanging: "  ", into: &out)
                let example = "\(cluster.example.source):\(cluster.example.line)  \(cluster.example.text)"
                out.append(
                    indent + "  "
                        + style.dim(Formatting.truncated(Formatting.inert(example), to: width - indent.count - 2)))
            }
        }

        if !report.diagnostics.isEmpty {
            out.append("")
            out.append("\(Formatting.count(report.diagnostics.count, "diagnostic")) (see stderr)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static let indent = "    "

    /// A log line as at most three rows of `width` characters (cut with `…` beyond), made inert.
    /// Log lines often have no spaces to wrap at, so rows are cut by character count.
    static func excerpt(_ text: String, width: Int, rows: Int = 3) -> [String] {
        let room = max(20, width)
        // Bound the work on a huge line before escaping it.
        let clean = Formatting.inert(String(text.prefix(room * rows * 4 + 1)))
        var out: [String] = []
        var rest = Substring(clean)
        while !rest.isEmpty && out.count < rows {
            if out.count == rows - 1 {
                out.append(Formatting.truncated(String(rest), to: room))
                break
            }
            out.append(String(rest.prefix(room)))
            rest = rest.dropFirst(room)
        }
        return out.isEmpty ? [""] : out
    }

    private static func render(
        _ incident: Incident, rank: Int, width: Int, style: Style, into out: inout [String]
    ) {
        let t = { (text: String) in Formatting.inert(text) }
        let severity = style.severity(incident.severity)
        out.append(
            "[\(rank)] \(severity)  \(incident.category.rawValue)  confidence "
                + Formatting.confidence(incident.confidence))
        for line in Formatting.wrap(t(incident.title), width: width - indent.count) {
            out.append(indent + style.bold(line))
        }
        paragraphs(incident.cause, width: width, into: &out)

        if !incident.values.isEmpty {
            let values = incident.values.sorted { $0.key < $1.key }.map { "\(t($0.key))=\(t($0.value))" }
            wrapped("Values: " + values.joined(separator: ", "), width: width, hanging: "  ", into: &out)
        }
        if !incident.signals.isEmpty {
            out.append(indent + "Confidence:")
            for signal in incident.signals {
                let mark = signal.effect.hasPrefix("-") ? "-" : "+"
                wrapped(" \(mark) \(t(signal.text))", width: width, hanging: "   ", into: &out)
            }
        }
        if !incident.fix.isEmpty {
            out.append(indent + "Fix:")
            for (index, step) in incident.fix.enumerated() {
                fixStep(step, number: index + 1, width: width, into: &out)
            }
        }
        if !incident.explains.isEmpty {
            out.append(indent + "Symptoms explained:")
            for symptom in incident.explains {
                let times = Formatting.count(symptom.occurrences, "time")
                wrapped(
                    "  - \(t(symptom.title)) (\(symptom.category.rawValue), \(times))", width: width,
                    hanging: "    ", into: &out)
            }
        }
        if !incident.candidates.isEmpty {
            out.append(indent + "Possible causes:")
            for (index, candidate) in incident.candidates.enumerated() {
                wrapped(
                    "  \(index + 1). \(candidate.category.rawValue): \(t(candidate.why))", width: width,
                    hanging: "     ", into: &out)
            }
        }
        if !incident.evidence.isEmpty {
            out.append(indent + "Evidence:")
            for evidence in incident.evidence.prefix(evidenceLimit) {
                out.append(indent + "  \(t(evidence.source)):\(evidence.line)")
                for line in excerpt(evidence.text, width: width - indent.count - 4) {
                    out.append(indent + "    " + style.dim(line))
                }
            }
            let more = incident.evidence.count - evidenceLimit
            if more > 0 { out.append(indent + "  … and \(more) more") }
        }
        wrapped(Formatting.inert(Formatting.seen(incident)), width: width, hanging: "  ", into: &out)
        out.append(indent + "Rule: " + t(incident.rule))
        if !incident.references.isEmpty {
            out.append(indent + "References:")
            for reference in incident.references {
                out.append(indent + "  " + t(reference))
            }
        }
    }

    /// Prose split into paragraphs at blank lines, each wrapped under the incident indent.
    private static func paragraphs(_ text: String, width: Int, into out: inout [String]) {
        let cleaned = Formatting.inert(text, keepNewlines: true)
        var first = true
        for paragraph in cleaned.split(separator: "\n\n", omittingEmptySubsequences: true) {
            if !first { out.append("") }
            first = false
            for line in Formatting.wrap(String(paragraph), width: width - indent.count) {
                out.append(indent + line)
            }
        }
    }

    /// One logical line wrapped to `width` under the incident indent; continuation lines get
    /// `hanging` extra indentation.
    private static func wrapped(_ text: String, width: Int, hanging: String, into out: inout [String]) {
        let leading = String(text.prefix(while: { $0 == " " }))
        let lines = Formatting.wrap(String(text.dropFirst(leading.count)), width: width - indent.count - hanging.count)
        for (index, line) in lines.enumerated() {
            out.append(indent + (index == 0 ? leading : hanging) + line)
        }
    }

    /// `  1. First line of prose` with code lines kept verbatim under the step.
    private static func fixStep(_ step: String, number: Int, width: Int, into out: inout [String]) {
        let label = "  \(number). "
        let hanging = String(repeating: " ", count: label.count)
        var first = true
        for block in Formatting.blocks(of: Formatting.inert(step, keepNewlines: true)) {
            switch block {
            case .prose(let text):
                let lines = Formatting.wrap(text, width: width - indent.count - label.count)
                for line in lines {
                    out.append(indent + (first ? label : hanging) + line)
                    first = false
                }
            case .code(let lines):
                if first {
                    out.append(indent + String(label.dropLast()))
                    first = false
                }
                for line in lines {
                    out.append(line.isEmpty ? "" : indent + hanging + "    " + line)
                }
            }
        }
        if first { out.append(indent + String(label.dropLast())) }
    }
}

/// ANSI styling, a no-op without colour.
struct Style {
    let color: Bool

    func bold(_ text: String) -> String { sgr("1", text) }
    func dim(_ text: String) -> String { sgr("2", text) }

    func severity(_ severity: Severity) -> String {
        let label = severity.rawValue.uppercased()
        switch severity {
        case .critical: return sgr("1;35", label)
        case .error: return sgr("1;31", label)
        case .warning: return sgr("1;33", label)
        case .info: return sgr("1;36", label)
        }
    }

    private func sgr(_ code: String, _ text: String) -> String {
        color && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
