import ArgumentParser
import FaultlineEngine
import FaultlineIngest
import FaultlineModel
import FaultlineReport
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ReportFormat: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}

/// When to colour the text report.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scan logs for known failures (the default command).",
        discussion: """
            PATHs are files or folders (walked recursively, in sorted order); '-' or no
            PATH reads standard input. .gz, .zip, .tar and .tar.gz files are read in place,
            as streams; evidence names members as 'artifact.zip!logs/app.log:123'. In a folder walk, binary files (a NUL byte in the
            first 8 KiB) are skipped with a note; files named explicitly are always read.
            A missing or unreadable path is reported and every other input is still
            scanned.

            EXAMPLES:
              docker compose logs api 2>&1 | faultline
              faultline scan ci-logs/ --format json -o report.json
              faultline scan app.log --fail-on warning
            """
    )

    @Argument(help: "Log files or folders to scan; '-' (or nothing) reads standard input.")
    var paths: [String] = []

    @OptionGroup var out: ReportOutput

    @Option(
        name: .customLong("rules"), help: "A folder of your own rule files, added to the shipped ones (repeatable).")
    var ruleFolders: [String] = []

    @Option(
        name: .customLong("max-line-bytes"),
        help: "Longer lines are truncated to this many bytes, with a diagnostic naming file:line.")
    var maxLineBytes: Int = 1 << 20

    @Option(
        help: "In folders, scan only files matching this glob (repeatable; '*.log', 'jobs/**/*.txt').")
    var include: [String] = []

    @Option(help: "In folders, skip files or folders matching this glob (repeatable; 'node_modules/**').")
    var exclude: [String] = []

    @Flag(help: "Follow symbolic links in folders (loops are detected and reported).")
    var follow = false

    @Option(
        name: .shortAndLong,
        help: "Scan files on this many cores (default: all). The report is the same for any value.")
    var jobs: Int = ParallelScan.defaultJobs

    @Flag(
        help:
            "Print each incident the moment it is recognised (for tail -f and kubectl logs -f), then the full report at the end of input or on Ctrl-C."
    )
    var live = false

    @Flag(
        inversion: .prefixedNo,
        help: "Show progress on stderr (default: only when stderr is a terminal and not in CI).")
    var progress: Bool?

    func validate() throws {
        if maxLineBytes < 64 {
            throw ValidationError("--max-line-bytes must be at least 64 (got \(maxLineBytes))")
        }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1 (got \(jobs))") }
    }

    func run() throws {
        let loaded = LoadedRules.load(userFolders: ruleFolders)
        Output.diagnostics(loaded.diagnostics)

        var inputs = paths.isEmpty ? ["-"] : paths
        if inputs.filter({ $0 == "-" }).count > 1 {
            inputs = inputs.enumerated().filter { $0.element != "-" || inputs.firstIndex(of: "-") == $0.offset }
                .map(\.element)
        }
        if inputs.contains("-") && isatty(0) == 1 {
            Output.stderr(
                "faultline: reading logs from standard input (pipe logs in, or give paths; --help for usage)\n")
        }
        var walked = Diagnostics()
        let files = InputWalker.expand(
            inputs, options: WalkOptions(include: include, exclude: exclude, followSymlinks: follow),
            diagnostics: &walked)
        var options = ScanOptions()
        options.reader.maxLineBytes = maxLineBytes

        let compiled = CompiledRules(loaded.rules)
        let result: ScanResult
        if live {
            result = LiveScan.run(
                files: files, rules: compiled, options: options, prelude: walked)
        } else {
            let counter = ScanProgress()
            let display = ProgressDisplay.start(counter, enabled: progress)
            result = ParallelScan.run(
                files: files, rules: compiled, options: options, jobs: jobs, prelude: walked,
                progress: counter)
            display?.stop()
        }
        let report = ReportBuilder.build(result, rules: compiled)
        Output.diagnostics(report.diagnostics)

        let failed = try out.emit(report)
        let inputErrors = report.diagnostics.contains { $0.severity == .error }
        try ExitStatus.finish(errors: loaded.hasErrors || inputErrors, gateTripped: failed)
    }
}
