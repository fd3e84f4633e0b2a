import Synchronization

/// What a sink tells the stage that feeds it after each item: go on, or stop reading.
///
/// A stage that receives ``stop`` delivers nothing more and ends its input as at EOF; the
/// stages after it still see their `finish`, so what was read is still reported.
public enum SinkAction: Sendable, Equatable {
    /// Deliver the next item.
    case proceed
    /// Deliver nothing more from this input.
    case stop
}

/// Receives the lines of one input from a ``LineReader``, as ripgrep's `Sink` receives matches.
///
/// The reader calls ``begin(source:)`` once, ``line(_:)`` for each line in order, and
/// ``finish(source:)`` once at the end of the input, also after a ``SinkAction/stop``. The line
/// is borrowed: copy its bytes out if they must outlive the call.
public protocol LineSink: AnyObject {
    /// Called before the first line of `source`.
    func begin(source: String)
    /// Called for each line; ``SinkAction/stop`` ends the input after this line.
    func line(_ line: borrowing LineView) -> SinkAction
    /// Called after the last line of `source`.
    func finish(source: String)
}

extension LineSink {
    /// Does nothing.
    public func begin(source: String) {}
    /// Does nothing.
    public func finish(source: String) {}
}

/// A flag that asks a running scan to stop: set from a signal handler (Ctrl-C in live mode) or
/// another thread; read by the readers (a `read(2)` interrupted by a signal then ends the input
/// as at EOF) and by the stages (which return ``SinkAction/stop``).
///
/// `Sendable`: the flag is an atomic; ``cancel()`` is a lock-free store, safe in a signal handler.
public final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    /// A flag not yet set.
    public init() {}

    /// Asks the scan to stop. Safe to call from a signal handler.
    public func cancel() { flag.store(true, ordering: .relaxed) }

    /// `true` once ``cancel()`` was called.
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Bytes and inputs read so far, shared by the readers of a scan and read by a progress display.
///
/// `Sendable`: both counters sit behind one mutex.
public final class ScanProgress: Sendable {
    private let counts = Mutex((bytes: 0, files: 0))

    /// Counters at zero.
    public init() {}

    /// Adds bytes read.
    public func add(bytes: Int) { counts.withLock { $0.bytes &+= bytes } }

    /// Counts one more input read.
    public func fileDone() { counts.withLock { $0.files &+= 1 } }

    /// (bytes, files) read so far.
    public var snapshot: (bytes: Int, files: Int) { counts.withLock { ($0.bytes, $0.files) } }
}

/// How a read is steered from outside: a cancellation flag, and where to count bytes read.
public struct ReadControl: Sendable {
    /// When set and cancelled, an interrupted `read(2)` ends the input as at EOF.
    public var cancellation: Cancellation?
    /// When set, bytes read are added to it about once per read buffer.
    public var progress: ScanProgress?

    /// A control with neither.
    public init(cancellation: Cancellation? = nil, progress: ScanProgress? = nil) {
        self.cancellation = cancellation
        self.progress = progress
    }
}

/// Bytes held in memory, handed out as a ``ByteSource`` (rule examples, tests, `explain` on a
/// string).
public final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    /// A source over `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// A source over the UTF-8 bytes of `text`.
    public convenience init(_ text: String) { self.init(Array(text.utf8)) }

    /// Copies the next bytes, at most `count`, to `p` and returns how many; 0 once all are read.
    public func read(into p: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        let n = min(count, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { buf in
            if let base = buf.baseAddress { p.update(from: base + offset, count: n) }
        }
        offset += n
        return n
    }
}
