import ArgumentParser
import FaultlineModel
import FaultlineReport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a JSON report written by `faultline scan --format json`, naming the file in errors.
func readReport(_ path: String) throws -> Report {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CLIError("\(path): cannot read the report")
    }
    do {
        return try JSONDecoder().decode(Report.self, from: data)
    } catch {
        throw CLIError("\(path): not a faultline JSON report (\(describe(error)))")
    }
}

private func describe(_ error: Error) -> String {
    switch error {
    case DecodingError.dataCorrupted(let c): return c.debugDescription
    case DecodingError.keyNotFound(let key, let c):
        return "missing '\(key.stringValue)' at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
    case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
        return "\(c.debugDescription) at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
    default: return "\(error)"
    }
}

/// What `scan` and `merge` share: how the finished report is written and what the exit code is.
struct ReportOutput: ParsableArguments {
    @Option(name: .shortAndLong, help: "Report format: text, markdown, json, sarif or github.")
    var format: ReportFormat = .text

    @Option(name: .shortAndLong, help: "Write the report to this file (atomically) instead of standard output.")
    var output: String?

    @Option(
        name: .customLong("fail-on"),
        help: "Exit with 1 when an incident at or above this severity is found (info, warning, error, critical).")
    var failOn: Severity?

    @Option(
        name: .customLong("max-bytes"),
        help:
            "Markdown only: keep the report within this many bytes (1000000 for a job summary, 65000 for a PR comment), dropping the lowest-ranked incidents with a note."
    )
    var maxBytes: Int?

    @Option(help: "A previous JSON report: incidents whose fingerprint it holds are hidden, and counted.")
    var baseline: String?

    @Option(help: "Colour the text report: auto (only on a terminal, honouring NO_COLOR), always or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        if let maxBytes, maxBytes < 256 { throw ValidationError("--max-bytes must be at least 256 (got \(maxBytes))") }
    }

    /// Applies the baseline, renders, writes; returns whether --fail-on matched.
    func emit(_ report: Report) throws -> Bool {
        var report = report
        var hidden = 0
        if let baseline {
            let previous = try readReport(baseline)
            (report, hidden) = Baseline.filter(report, baseline: previous)
        }
        let useColor: Bool
        switch color {
        case .always: useColor = true
        case .never: useColor = false
        case .auto:
            useColor = output == nil && isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        }
        var options = RenderOptions(color: useColor)
        options.toolVersion = Faultline.version
        options.maxBytes = maxBytes
        options.hiddenByBaseline = hidden
        let text = ReportRenderer.render(report, format: format, options: options)
        if let output {
            try Output.writeFile(output, text)
        } else {
            Output.stdout(text)
        }
        if let failOn { return report.incidents.contains { $0.severity >= failOn } }
        return false
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine JSON reports of shards into one report (or re-render one report).",
        discussion: """
            Incidents are matched by fingerprint: occurrences add up, first/last seen and
            evidence combine, unclassified clusters merge by template, stats add. Merging one
            report re-renders it, so a JSON report can be turned into Markdown, SARIF or
            GitHub annotations later. docs/scale.md shows sharded scans.

            EXAMPLES:
              faultline merge part-*.json --format markdown -o fleet.md
              faultline merge report.json --format sarif -o report.sarif
              faultline merge report.json --format github --baseline main.json
            """)

    @Argument(help: "JSON reports written by 'faultline scan --format json'.")
    var reports: [String]

    @OptionGroup var out: ReportOutput

    func validate() throws {
        if reports.isEmpty { throw ValidationError("give at least one JSON report to merge") }
    }

    func run() throws {
        let parts = try reports.map(readReport)
        let merged = ReportMerger.merge(parts)
        try ExitStatus.finish(gateTripped: try out.emit(merged))
    }
}
