import FaultlineEngine
import FaultlineIngest
import FaultlineModel
import FaultlineReport
import FaultlineRules
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Cancelled by the SIGINT handler of live mode: a lock-free atomic store, safe in a handler.
private let liveCancellation = Cancellation()

/// `--live`: incidents are printed as they are recognised, with count updates at a bounded rate,
/// and the full report at the end of input or on Ctrl-C.
enum LiveScan {
    /// How often, at most, a count update is printed for one incident.
    static let updateInterval: TimeInterval = 2

    static func run(files: [InputFile], rules: CompiledRules, options: ScanOptions, prelude: Diagnostics) -> ScanResult
    {
        installInterruptHandler()
        let session = ScanSession(rules: rules, options: options)
        session.record(prelude)
        session.cancellation = liveCancellation
        session.findingSink = LivePrinter(rules: rules)
        for file in files {
            if session.scan(file) == .stop { break }
        }
        signal(SIGINT, SIG_DFL)
        if liveCancellation.isCancelled { Output.stdout(LiveRenderer.interrupted) }
        Output.stdout("\n")
        return session.result()
    }

    /// Ctrl-C cancels the scan. Installed without `SA_RESTART`, so a read blocked on a terminal or
    /// a pipe returns EINTR and the reader, seeing the cancellation, ends the input as at EOF.
    private static func installInterruptHandler() {
        var action = sigaction()
        #if canImport(Darwin)
            action.__sigaction_u.__sa_handler = { _ in liveCancellation.cancel() }
        #else
            action.__sigaction_handler.sa_handler = { _ in liveCancellation.cancel() }
        #endif
        action.sa_flags = 0
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
        // A parent may have started us with SIGINT blocked (the mask is inherited): unblock it.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }
}

/// The finding sink of live mode: a line per new incident, count updates at a bounded rate.
private final class LivePrinter: FindingSink {
    private let rules: CompiledRules
    private var printed: [String: (count: Int, at: Date)] = [:]

    init(rules: CompiledRules) { self.rules = rules }

    func finding(_ finding: RuleFindings, isNew: Bool) -> SinkAction {
        let rule = rules.rules[finding.rule]
        guard !rule.symptom else { return .proceed }
        let key = "\(finding.rule)|\(finding.source)|\(finding.groupValues.joined(separator: "|"))"
        let evidence = finding.evidence.last
        if isNew || printed[key] == nil {
            printed[key] = (finding.occurrences, Date())
            Output.stdout(
                LiveRenderer.newIncident(
                    severity: rule.severity, category: rule.category, title: rule.title, evidence: evidence))
            return .proceed
        }
        guard let last = printed[key], Date().timeIntervalSince(last.at) >= LiveScan.updateInterval,
            finding.occurrences > last.count
        else { return .proceed }
        printed[key] = (finding.occurrences, Date())
        Output.stdout(
            LiveRenderer.update(category: rule.category, occurrences: finding.occurrences, evidence: evidence))
        return .proceed
    }
}

/// A one-line progress display on stderr (bytes, files, rate), for long scans on a terminal.
///
/// `Sendable`: the state the display thread shares with the caller sits behind one mutex.
final class ProgressDisplay: Sendable {
    private let state = Mutex((running: true, shown: false, finished: false))
    private let counter: ScanProgress
    private let started = Date()

    private init(counter: ScanProgress) { self.counter = counter }

    /// Starts the display when `enabled` is true, or when it is nil and stderr is a terminal and
    /// the CI variable is unset. Returns nil when no display runs.
    static func start(_ counter: ScanProgress, enabled: Bool?) -> ProgressDisplay? {
        let auto = isatty(2) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
        guard enabled ?? auto else { return nil }
        let display = ProgressDisplay(counter: counter)
        Thread.detachNewThread { display.loop() }
        return display
    }

    private func loop() {
        defer { state.withLock { $0.finished = true } }
        while true {
            Thread.sleep(forTimeInterval: 0.25)
            if !state.withLock({ $0.running }) { return }
            let elapsed = Date().timeIntervalSince(started)
            guard elapsed >= 1 else { continue }
            let (bytes, files) = counter.snapshot
            let mb = Double(bytes) / 1_000_000
            let line = String(
                format: "\rfaultline: %.1f MB, %d file%@, %.0f MB/s   ", mb, files, files == 1 ? "" : "s", mb / elapsed)
            Output.stderr(line)
            state.withLock { $0.shown = true }
        }
    }

    /// Stops the display and clears its line.
    func stop() {
        state.withLock { $0.running = false }
        while !state.withLock({ $0.finished }) { Thread.sleep(forTimeInterval: 0.01) }
        if state.withLock({ $0.shown }) { Output.stderr("\r\u{1B}[K") }
    }
}
