import FaultlineModel
import FaultlineText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits a file descriptor's bytes into lines with one reusable buffer.
///
/// The buffer starts at ``ReaderOptions/bufferSize`` bytes and grows only while a line is
/// longer than it, up to `maxLineBytes + bufferSize`. Lines end at `\n`, `\r\n` or a lone
/// `\r`. A line longer than ``ReaderOptions/maxLineBytes`` is delivered cut to that length
/// with `truncated == true`; its remainder is skipped without being buffered, and a warning
/// diagnostic names `source:line`. Nothing is allocated per line once the buffers are warm.
///
/// Wrappers are detected per line from content, never from the file name:
/// - A UTF-16 stream (BOM `FF FE` / `FE FF`, or the NUL pattern of ASCII text in its first four
///   bytes) is transcoded to UTF-8 as it is read; line numbers count transcoded lines.
/// - A Docker json-file envelope (`{"log":"...\n","stream":"stderr","time":"..."}`) is decoded;
///   pieces of a partial line (a `"log"` without its trailing `\n`) are joined with the following
///   envelopes of the same stream until one ends the line.
/// - Kubernetes CRI partial lines (`<ts> stdout P ...`) are joined with the following lines of the
///   same stream until an `F` line.
/// - The content is then peeled (ANSI escapes, CI timestamps, compose prefixes, CI markers; see
///   ``LineView``).
///
/// A joined line is capped at ``ReaderOptions/maxLineBytes`` like any other line; a joined line
/// is delivered when it ends, so when stdout and stderr interleave mid-line, the lines of the
/// other stream may be delivered before it (its ``LineView/number`` is still the first piece's).
///
/// The reader does not own the descriptor and never closes it. Not thread-safe: one reader
/// per input, used by one task.
public final class LineReader {
    let fd: Int32
    /// When set, bytes come from this source instead of `fd` (archive members).
    let input: ByteSource?
    /// The name used in diagnostics (a path, or `<stdin>`).
    public let source: String
    let options: ReaderOptions
    let control: ReadControl
    /// Set when the sink asked to stop: nothing more is delivered.
    var stopRequested = false

    /// Problems met while reading: read errors and truncated lines. Input problems are never thrown.
    public internal(set) var diagnostics: [Diagnostic] = []
    /// Bytes read from the descriptor so far.
    public internal(set) var bytesRead: Int = 0
    /// Lines read so far: physical lines of the source, each piece of a joined partial line
    /// counted (after UTF-16 transcoding). The number of the last line read.
    public internal(set) var lineCount: Int = 0
    /// Lines handed to the callback so far (joined partial lines count once).
    public internal(set) var deliveredLineCount: Int = 0
    /// Lines cut because they exceeded ``ReaderOptions/maxLineBytes``.
    public internal(set) var truncatedLineCount: Int = 0

    /// The read buffer.
    var buffer: ByteBuffer
    let maxCapacity: Int
    /// ANSI-stripped line content.
    var scratch = ByteBuffer(capacity: 0)
    var finished = false

    // Encoding detection: the first bytes read, handed out before any further read.
    var sniffBytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
    var sniffStart = 0
    var sniffEnd = 0
    var encodingDecided = false
    var transcoder: UTF16Transcoder?

    // Docker JSON decoding and partial-line joining.
    /// Decoded Docker JSON `"log"` values.
    var decoded = ByteBuffer(capacity: 0)
    let joins = (stdout: JoinSlot(), stderr: JoinSlot())
    var joinsActive = false

    /// At most this many truncation diagnostics are recorded per input; the rest are summarised.
    static let maxTruncationDiagnostics = 100

    /// Creates a reader over `fileDescriptor`; `source` names the input in diagnostics. A read
    /// interrupted by a signal is retried unless `control`'s cancellation is set.
    public init(
        fileDescriptor: Int32, source: String, options: ReaderOptions = ReaderOptions(),
        control: ReadControl = ReadControl()
    ) {
        self.fd = fileDescriptor
        self.input = nil
        self.source = source
        self.options = options
        self.control = control
        self.maxCapacity = options.maxLineBytes + options.bufferSize
        self.buffer = ByteBuffer(capacity: options.bufferSize)
    }

    /// Creates a reader over a byte source (bytes in memory, an archive member's decompressed
    /// stream): the source writes straight into the read buffer, so nothing is staged in between.
    public init(
        input: ByteSource, source: String, options: ReaderOptions = ReaderOptions(),
        control: ReadControl = ReadControl()
    ) {
        self.fd = -1
        self.input = input
        self.source = source
        self.options = options
        self.control = control
        self.maxCapacity = options.maxLineBytes + options.bufferSize
        self.buffer = ByteBuffer(capacity: options.bufferSize)
    }

    /// The current read-buffer capacity (tests check it stays bounded).
    var bufferCapacity: Int { buffer.capacity }

    /// Reads to EOF (or until `sink` says stop), pushing each line into `sink` between its
    /// `begin` and `finish`. Returns ``SinkAction/stop`` when the sink stopped the input.
    ///
    /// Read errors and truncations are appended to ``diagnostics`` (naming `source:line`), never
    /// thrown. Calling it again after EOF only calls `begin` and `finish`.
    @discardableResult
    public func read(into sink: LineSink) -> SinkAction {
        sink.begin(source: source)
        withExtendedLifetime(sink) {
            // The sink outlives the loop (extended above): no retain and release per line.
            unowned(unsafe) let target = sink
            forEachLine { line in
                if target.line(line) == .stop { stopRequested = true }
            }
        }
        sink.finish(source: source)
        return stopRequested ? .stop : .proceed
    }

    /// Reads to EOF, calling `body` for each line.
    ///
    /// Read errors and truncations are appended to ``diagnostics`` (naming `source:line`), never
    /// thrown. Calling it again after EOF does nothing.
    public func forEachLine(_ body: (borrowing LineView) -> Void) {
        guard !finished else { return }
        finished = true
        let maxLine = options.maxLineBytes
        var s = ScanState()
        while true {
            deliverCompleteLines(&s, maxLine, body)
            if s.eof {
                if s.start < s.end, !s.discarding {
                    deliver(s.start, s.end - s.start, truncated: false, body)
                }
                break
            }
            refill(&s)
        }
        if !stopRequested { flushJoins(body) }
        summariseTruncations()
    }

    /// Where ``forEachLine(_:)`` is in the read buffer.
    struct ScanState {
        var start = 0
        var end = 0
        var pendingCR = false
        var discarding = false
        var eof = false
        var scanFrom = 0  // buffer[start..<scanFrom] is known to hold no terminator
    }

    /// Delivers every complete line in `buffer[s.start..<s.end]`; stops at a partial line, or
    /// when the sink asked to stop (then as at EOF).
    @inline(__always)
    private func deliverCompleteLines(_ s: inout ScanState, _ maxLine: Int, _ body: (borrowing LineView) -> Void) {
        while s.start < s.end {
            if stopRequested {
                s.eof = true
                s.discarding = true
                break
            }
            if s.pendingCR {
                s.pendingCR = false
                if buffer[s.start] == Bytes.lf {
                    s.start += 1
                    continue
                }
            }
            var waitFrom = s.end
            let terminator = lineTerminator(s, waitFrom: &waitFrom)
            if s.discarding {
                guard let t = terminator else {
                    s.start = s.end
                    break
                }
                s.discarding = false
                s.pendingCR = buffer[t] == Bytes.cr
                s.start = t + 1
                continue
            }
            if let t = terminator {
                let length = t - s.start
                if length > maxLine {
                    deliver(s.start, maxLine, truncated: true, body)
                } else {
                    deliver(s.start, length, truncated: false, body)
                }
                s.pendingCR = buffer[t] == Bytes.cr
                s.start = t + 1
            } else if s.end - s.start > maxLine {
                deliver(s.start, maxLine, truncated: true, body)
                s.discarding = true
                s.start = s.end
            } else {
                s.scanFrom = waitFrom
                break
            }
        }
    }

    /// The terminator of the line at `s.start`, or `nil` when the line is not complete yet (then
    /// `waitFrom` is where to look again). A GitLab section marker's `\r` before `ESC[0K` does not
    /// end its line.
    @inline(__always)
    private func lineTerminator(_ s: ScanState, waitFrom: inout Int) -> Int? {
        var terminator = findTerminator(from: max(s.start, s.scanFrom), to: s.end)
        while let t = terminator, !s.discarding, buffer[t] == Bytes.cr, isSectionCR(s.start, t, s.end, s.eof) {
            if t + 1 == s.end {
                terminator = nil
                waitFrom = t
                break
            }
            terminator = findTerminator(from: t + 1, to: s.end)
        }
        return terminator
    }

    /// Moves the partial tail to the front, grows the buffer if a long line fills it, and reads
    /// more (setting `s.eof` at the end of the input).
    @inline(__always)
    private func refill(_ s: inout ScanState) {
        if s.start > 0 {
            if s.start < s.end {
                memmove(buffer.base, buffer.base + s.start, s.end - s.start)
            }
            s.end -= s.start
            s.scanFrom = max(0, s.scanFrom - s.start)
            s.start = 0
        }
        if s.end == buffer.capacity {
            grow()
        }
        let want = min(buffer.capacity - s.end, options.bufferSize)
        let n = fill(buffer.base + s.end, want)
        if n > 0 {
            s.end += n
        } else {
            s.eof = true
        }
    }

    /// One diagnostic for the truncated lines beyond ``maxTruncationDiagnostics``.
    private func summariseTruncations() {
        let unreported = truncatedLineCount - Self.maxTruncationDiagnostics
        if unreported > 0 {
            diagnostics.append(
                Diagnostic(
                    severity: .warning, source: source,
                    message: "\(unreported) more lines longer than \(options.maxLineBytes) bytes truncated"))
        }
    }

    @inline(__always)
    private func findTerminator(from: Int, to: Int) -> Int? {
        let p = UnsafePointer(buffer.base)
        guard let lf = ASCII.find(Bytes.lf, p, from: from, to: to) else {
            return ASCII.find(Bytes.cr, p, from: from, to: to)
        }
        return ASCII.find(Bytes.cr, p, from: from, to: lf) ?? lf
    }

    private func grow() {
        let capacity = buffer.capacity
        let newCapacity = min(max(capacity * 2, capacity + 1), maxCapacity)
        guard newCapacity > capacity else { return }
        buffer.reallocate(capacity: newCapacity, keeping: capacity)
    }

    /// `true` when the `\r` at `t` belongs to a GitLab section marker (`section_start:…:name\r`
    /// followed by `ESC`), or might (it ends the buffer and more input may follow).
    @inline(__always)
    private func isSectionCR(_ start: Int, _ t: Int, _ end: Int, _ eof: Bool) -> Bool {
        if t + 1 < end {
            guard buffer[t + 1] == Bytes.esc else { return false }
        } else if eof {
            return false
        }
        return Peeler.startsWithSectionMarker(UnsafePointer(buffer.base + start), t - start)
    }
}
