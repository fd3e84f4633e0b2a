import FaultlineModel

/// GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per
/// incident, at its first evidence line, within GitHub's annotation limits.
///
/// Output: a plain first line (`faultline: 3 incidents in 2 files (…)`, not a command), then
/// one command per annotated incident in rank order:
///
///     ::error file=PATH,line=N,title=TITLE::CAUSE%0A%0AFix: FIRST STEP
///
/// `critical` and `error` give `::error`, `warning` gives `::warning`, `info` gives `::notice`.
/// GitHub shows at most 10 annotations of each level per step and 50 per job
/// (``Limits/github``); incidents are taken greedily in rank order while their level and the
/// job have room, and a last `::notice::N more incidents not annotated; see the full report`
/// counts the rest. A positive ``RenderOptions/hiddenByBaseline`` adds
/// `::notice::N known incidents hidden by the baseline`. Both notices are reserved out of the
/// notice and job budgets before incidents are placed, so the output never exceeds the limits.
/// Unclassified clusters and diagnostics are not annotated.
///
/// Escaping follows GitHub's runner: in the message `%`, `\r`, `\n` become `%25`, `%0D`,
/// `%0A`; in property values also `:` → `%3A` and `,` → `%2C`. Other control characters are
/// made inert (visible `\x1b` escapes), so every command is exactly one line and a log line
/// cannot inject another workflow command.
public enum GitHubAnnotationsRenderer {
    /// How many annotations GitHub will show.
    public struct Limits: Sendable, Hashable {
        /// Annotations of one level (error, warning, notice) per step.
        public var perLevel: Int
        /// Annotations of all levels per job.
        public var perJob: Int

        /// GitHub's documented limits: 10 per level per step, 50 per job.
        public static let github = Limits(perLevel: 10, perJob: 50)

        /// Creates limits of `perLevel` annotations per level and step and `perJob` in all.
        public init(perLevel: Int, perJob: Int) {
            self.perLevel = perLevel
            self.perJob = perJob
        }
    }

    /// The workflow command of a severity: `error`, `warning` or `notice`.
    public static func command(for severity: Severity) -> String {
        switch severity {
        case .critical, .error: "error"
        case .warning: "warning"
        case .info: "notice"
        }
    }

    /// Renders `report` as workflow commands within `limits`; ends with a newline.
    public static func render(_ report: Report, options: RenderOptions, limits: Limits = .github) -> String {
        var lines = [summary(report)]
        let baselineNotice = options.hiddenByBaseline > 0
        var chosen = choose(report.incidents, limits: limits, reservedNotices: baselineNotice ? 1 : 0)
        if chosen.count < report.incidents.count {
            chosen = choose(report.incidents, limits: limits, reservedNotices: baselineNotice ? 2 : 1)
        }
        for incident in chosen {
            lines.append(annotation(incident))
        }
        let omitted = report.incidents.count - chosen.count
        var trailers: [String] = []
        if omitted > 0 {
            let incidents = omitted == 1 ? "1 more incident" : "\(Formatting.grouped(omitted)) more incidents"
            trailers.append("::notice::\(incidents) not annotated; see the full report")
        }
        if baselineNotice {
            trailers.append("::notice::" + escapeData(Baseline.hiddenMessage(options.hiddenByBaseline)))
        }
        // The reservation above keeps room for these unless the limits are below two.
        let notices = chosen.filter { command(for: $0.severity) == "notice" }.count
        let room = min(limits.perLevel - notices, limits.perJob - chosen.count)
        lines += trailers.prefix(max(0, room))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The incidents to annotate, in rank order, leaving `reservedNotices` notice (and job)
    /// slots free.
    private static func choose(_ incidents: [Incident], limits: Limits, reservedNotices: Int) -> [Incident] {
        var used: [String: Int] = [:]
        var total = 0
        let jobRoom = limits.perJob - reservedNotices
        var chosen: [Incident] = []
        for incident in incidents {
            guard total < jobRoom else { break }
            let level = command(for: incident.severity)
            let room = limits.perLevel - (level == "notice" ? reservedNotices : 0)
            guard used[level, default: 0] < room else { continue }
            used[level, default: 0] += 1
            total += 1
            chosen.append(incident)
        }
        return chosen
    }

    private static func summary(_ report: Report) -> String {
        let scanned = Formatting.scanSummary(report.stats)
        return report.incidents.isEmpty
            ? "faultline: no incidents found in \(scanned)."
            : "faultline: \(Formatting.count(report.incidents.count, "incident")) in \(scanned)."
    }

    private static func annotation(_ incident: Incident) -> String {
        var properties: [String] = []
        if let evidence = incident.evidence.first {
            properties.append("file=" + escapeProperty(evidence.source))
            if evidence.line >= 1 { properties.append("line=\(evidence.line)") }
        }
        properties.append("title=" + escapeProperty(incident.title))
        var message = incident.cause
        if let step = incident.fix.first { message += "\n\nFix: " + step }
        return "::\(command(for: incident.severity)) \(properties.joined(separator: ","))::\(escapeData(message))"
    }

    /// The message of a command: `%`, `\r`, `\n` escaped, then made inert (other control
    /// characters as visible `\x..` escapes).
    static func escapeData(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out.append(contentsOf: "%25".unicodeScalars)
            case "\r": out.append(contentsOf: "%0D".unicodeScalars)
            case "\n": out.append(contentsOf: "%0A".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return Formatting.inert(String(out))
    }

    /// A property value: like ``escapeData(_:)``, and `:` and `,` escaped too.
    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}
