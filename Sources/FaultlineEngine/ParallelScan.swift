import FaultlineIngest
import FaultlineModel
import FaultlineRules
import Foundation
import Synchronization

/// Scans many inputs on several cores with a result that does not depend on the number of workers.
///
/// Each input is read by a session of its own whose findings are numbered from a base derived
/// from the input's position, and the per-input results are combined in input order; so
/// `--jobs 8` and `--jobs 1` give the same report byte for byte. Rules whose sequence spans files
/// (`correlate.after.same_source: false`) need one session to see every input in order: with
/// such a rule loaded the inputs are scanned by one session, serially.
public enum ParallelScan {
    /// The number of workers `--jobs` defaults to: the machine's active cores.
    public static var defaultJobs: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Scans `files` with up to `jobs` workers; `prelude` diagnostics (a missing path) come first.
    public static func run(
        files: [InputFile], rules: CompiledRules, options: ScanOptions, jobs: Int, prelude: Diagnostics = Diagnostics(),
        progress: ScanProgress? = nil
    ) -> ScanResult {
        let crossFile = rules.rules.contains { $0.correlate?.after?.sameSource == false }
        if crossFile || files.count <= 1 {
            let session = ScanSession(rules: rules, options: options)
            session.record(prelude)
            session.progress = progress
            for file in files { session.scan(file) }
            return session.result()
        }
        let box = ResultBox(count: files.count)
        let workers = max(1, min(jobs, files.count))
        let work: @Sendable (Int) -> Void = { _ in
            while let i = box.next() {
                let session = ScanSession(rules: rules, options: options, orderBase: i << 36)
                session.progress = progress
                session.scan(files[i])
                box.store(session.result(), at: i)
            }
        }
        if workers == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers, execute: work)
        }
        var parts = box.results()
        if !prelude.isEmpty, !parts.isEmpty { parts[0].diagnostics = prelude.all + parts[0].diagnostics }
        return ScanResult.combine(parts) ?? ScanSession(rules: rules, options: options).result()
    }
}

/// Per-input results of parallel workers, and the next input to take; `Sendable` through its mutex.
private final class ResultBox: Sendable {
    private let state: Mutex<(slots: [ScanResult?], cursor: Int)>

    init(count: Int) { state = Mutex(([ScanResult?](repeating: nil, count: count), 0)) }

    func next() -> Int? {
        state.withLock { s in
            guard s.cursor < s.slots.count else { return nil }
            s.cursor += 1
            return s.cursor - 1
        }
    }

    func store(_ result: ScanResult, at index: Int) { state.withLock { $0.slots[index] = result } }

    func results() -> [ScanResult] { state.withLock { $0.slots.compactMap { $0 } } }
}
