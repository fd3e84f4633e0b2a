import FaultlineEngine
import FaultlineIngest
import FaultlineModel
import FaultlineRules
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Set by the SIGINT handler of live mode; read for each line.
nonisolated(unsafe) private var interrupted: sig_atomic_t = 0

/// `--live`: incidents are printed as they are recognised, with count updates at a bounded rate,
/// and the full report at the end of input or on Ctrl-C.
enum LiveScan {
    /// How often, at most, a count update is printed for one incident.
    static let updateInterval: TimeInterval = 2

    static func run(files: [InputFile], rules: CompiledRules, options: ScanOptions, prelude: [Diagnostic]) -> ScanResult
    {
        // Without SA_RESTART, a read blocked on a terminal or a pipe returns EINTR on Ctrl-C, and
        // the reader then ends the input as at EOF.
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            interrupted = 1
            LineReader.interrupted = 1
        }
        action.sa_flags = 0
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
        // A parent may have started us with SIGINT blocked (the mask is inherited): unblock it.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        let session = ScanSession(rules: rules, options: options)
        session.record(prelude)
        session.isCancelled = { interrupted != 0 }
        var printed: [String: (count: Int, at: Date)] = [:]
        session.onFinding = { finding, isNew in
            let rule = rules.rules[finding.rule]
            guard !rule.symptom else { return }
            let key = "\(finding.rule)|\(finding.source)|\(finding.groupValues.joined(separator: "|"))"
            let evidence = finding.evidence.last.map { " at \($0.source):\($0.line)" } ?? ""
            if isNew || printed[key] == nil {
                printed[key] = (finding.occurrences, Date())
                Output.stdout(
                    "● \(rule.severity.rawValue.uppercased())  \(rule.category.rawValue)  \(rule.title)\(evidence)\n")
                return
            }
            guard let last = printed[key], Date().timeIntervalSince(last.at) >= updateInterval,
                finding.occurrences > last.count
            else { return }
            printed[key] = (finding.occurrences, Date())
            Output.stdout("  … \(rule.category.rawValue): \(finding.occurrences) times so far\(evidence)\n")
        }
        for file in files {
            if interrupted != 0 { break }
            session.scan(file)
        }
        signal(SIGINT, SIG_DFL)
        if interrupted != 0 { Output.stdout("\n(interrupted: the report covers what was read)\n") }
        Output.stdout("\n")
        return session.result()
    }
}

/// A one-line progress display on stderr (bytes, files, rate), for long scans on a terminal.
final class ProgressDisplay: @unchecked Sendable {
    // `running` is guarded by `lock`; the thread only reads the counter.
    private let lock = NSLock()
    private var running = true
    private var shown = false
    private let counter: ScanProgress
    private let started = Date()
    private var thread: Thread?

    private init(counter: ScanProgress) { self.counter = counter }

    /// Starts the display when `enabled` is true, or when it is nil and stderr is a terminal and
    /// the CI variable is unset. Returns nil when no display runs.
    static func start(_ counter: ScanProgress, enabled: Bool?) -> ProgressDisplay? {
        let auto = isatty(2) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
        guard enabled ?? auto else { return nil }
        let display = ProgressDisplay(counter: counter)
        let thread = Thread { display.loop() }
        display.thread = thread
        thread.start()
        return display
    }

    private func loop() {
        while true {
            Thread.sleep(forTimeInterval: 0.25)
            lock.lock()
            let go = running
            lock.unlock()
            if !go { return }
            let elapsed = Date().timeIntervalSince(started)
            guard elapsed >= 1 else { continue }
            let (bytes, files) = counter.snapshot
            let mb = Double(bytes) / 1_000_000
            let line = String(
                format: "\rfaultline: %.1f MB, %d file%@, %.0f MB/s   ", mb, files, files == 1 ? "" : "s", mb / elapsed)
            Output.stderr(line)
            lock.lock()
            shown = true
            lock.unlock()
        }
    }

    /// Stops the display and clears its line.
    func stop() {
        lock.lock()
        running = false
        let wasShown = shown
        lock.unlock()
        while thread?.isFinished == false { Thread.sleep(forTimeInterval: 0.01) }
        if wasShown { Output.stderr("\r\u{1B}[K") }
    }
}
