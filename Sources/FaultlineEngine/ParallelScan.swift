import FaultlineIngest
import FaultlineModel
import FaultlineRules
import Foundation

/// Bytes and files read so far, shared by the workers of a scan and read by a progress display.
public final class ScanProgress: @unchecked Sendable {
    // Guarded by `lock`; every access goes through the methods below.
    private let lock = NSLock()
    private var bytes = 0
    private var files = 0

    public init() {}

    /// Adds bytes read.
    public func add(bytes: Int) {
        lock.lock()
        self.bytes += bytes
        lock.unlock()
    }

    /// Counts one more input read.
    public func fileDone() {
        lock.lock()
        files += 1
        lock.unlock()
    }

    /// (bytes, files) read so far.
    public var snapshot: (bytes: Int, files: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (bytes, files)
    }
}

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
        files: [InputFile], rules: CompiledRules, options: ScanOptions, jobs: Int, prelude: [Diagnostic] = [],
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
        if !prelude.isEmpty, !parts.isEmpty { parts[0].diagnostics = prelude + parts[0].diagnostics }
        return ScanResult.combine(parts) ?? ScanSession(rules: rules, options: options).result()
    }
}

/// Per-input results of parallel workers, and the next input to take.
private final class ResultBox: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var slots: [ScanResult?]
    private var cursor = 0

    init(count: Int) { slots = [ScanResult?](repeating: nil, count: count) }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard cursor < slots.count else { return nil }
        cursor += 1
        return cursor - 1
    }

    func store(_ result: ScanResult, at index: Int) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    func results() -> [ScanResult] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
