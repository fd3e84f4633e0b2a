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
    private let fd: Int32
    /// When set, bytes come from this source instead of `fd` (archive members).
    private let input: ByteSource?
    /// The name used in diagnostics (a path, or `<stdin>`).
    public let source: String
    private let options: ReaderOptions
    private let control: ReadControl
    /// Set when the sink asked to stop: nothing more is delivered.
    private var stopRequested = false

    /// Problems met while reading: read errors and truncated lines. Input problems are never thrown.
    public private(set) var diagnostics: [Diagnostic] = []
    /// Bytes read from the descriptor so far.
    public private(set) var bytesRead: Int = 0
    /// Lines read so far: physical lines of the source, each piece of a joined partial line
    /// counted (after UTF-16 transcoding). The number of the last line read.
    public private(set) var lineCount: Int = 0
    /// Lines handed to the callback so far (joined partial lines count once).
    public private(set) var deliveredLineCount: Int = 0
    /// Lines cut because they exceeded ``ReaderOptions/maxLineBytes``.
    public private(set) var truncatedLineCount: Int = 0

    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private let maxCapacity: Int
    private var scratch: UnsafeMutablePointer<UInt8>?
    private var scratchCapacity = 0
    private var finished = false

    // Encoding detection: the first bytes read, handed out before any further read.
    private var sniffBytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
    private var sniffStart = 0
    private var sniffEnd = 0
    private var encodingDecided = false
    private var transcoder: UTF16Transcoder?

    // Docker JSON decoding and partial-line joining.
    private var decoded: UnsafeMutablePointer<UInt8>?
    private var decodedCapacity = 0
    private let joins = (stdout: JoinSlot(), stderr: JoinSlot())
    private var joinsActive = false

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
        self.capacity = options.bufferSize
        self.maxCapacity = options.maxLineBytes + options.bufferSize
        self.buffer = .allocate(capacity: options.bufferSize)
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
        self.capacity = options.bufferSize
        self.maxCapacity = options.maxLineBytes + options.bufferSize
        self.buffer = .allocate(capacity: options.bufferSize)
    }

    /// The current read-buffer capacity (tests check it stays bounded).
    var bufferCapacity: Int { capacity }

    deinit {
        buffer.deallocate()
        scratch?.deallocate()
        decoded?.deallocate()
        transcoder?.free()
    }

    /// Reads to EOF (or until `sink` says stop), pushing each line into `sink` between its
    /// `begin` and `finish`. Returns ``SinkAction/stop`` when the sink stopped the input.
    ///
    /// Read errors and truncations are appended to ``diagnostics`` (naming `source:line`), never
    /// thrown. Calling it again after EOF only calls `begin` and `finish`.
    @discardableResult
    public func read(into sink: LineSink) -> SinkAction {
        sink.begin(source: source)
        forEachLine { line in
            if sink.line(line) == .stop { stopRequested = true }
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
        var start = 0
        var end = 0
        var pendingCR = false
        var discarding = false
        var eof = false
        var scanFrom = 0  // buffer[start..<scanFrom] is known to hold no terminator
        while true {
            // Deliver every complete line in buffer[start..<end].
            while start < end {
                if stopRequested {
                    eof = true
                    discarding = true
                    break
                }
                if pendingCR {
                    pendingCR = false
                    if buffer[start] == Bytes.lf {
                        start += 1
                        continue
                    }
                }
                var terminator = findTerminator(from: max(start, scanFrom), to: end)
                var waitFrom = end
                // A GitLab section marker's `\r` before `ESC[0K` does not end its line.
                while let t = terminator, !discarding, buffer[t] == Bytes.cr, isSectionCR(start, t, end, eof) {
                    if t + 1 == end {
                        terminator = nil
                        waitFrom = t
                        break
                    }
                    terminator = findTerminator(from: t + 1, to: end)
                }
                if discarding {
                    guard let t = terminator else {
                        start = end
                        break
                    }
                    discarding = false
                    pendingCR = buffer[t] == Bytes.cr
                    start = t + 1
                    continue
                }
                if let t = terminator {
                    let length = t - start
                    if length > maxLine {
                        deliver(start, maxLine, truncated: true, body)
                    } else {
                        deliver(start, length, truncated: false, body)
                    }
                    pendingCR = buffer[t] == Bytes.cr
                    start = t + 1
                } else if end - start > maxLine {
                    deliver(start, maxLine, truncated: true, body)
                    discarding = true
                    start = end
                } else {
                    scanFrom = waitFrom
                    break
                }
            }
            if eof {
                if start < end, !discarding {
                    deliver(start, end - start, truncated: false, body)
                }
                break
            }
            // Move the partial tail to the front, grow if a long line fills the buffer, refill.
            if start > 0 {
                if start < end {
                    memmove(buffer, buffer + start, end - start)
                }
                end -= start
                scanFrom = max(0, scanFrom - start)
                start = 0
            }
            if end == capacity {
                grow()
            }
            let want = min(capacity - end, options.bufferSize)
            let n = fill(buffer + end, want)
            if n > 0 {
                end += n
            } else {
                eof = true
            }
        }
        if !stopRequested { flushJoins(body) }
        let unreported = truncatedLineCount - Self.maxTruncationDiagnostics
        if unreported > 0 {
            diagnostics.append(
                Diagnostic(
                    severity: .warning, source: source,
                    message: "\(unreported) more lines longer than \(maxLine) bytes truncated"))
        }
    }

    @inline(__always)
    private func findTerminator(from: Int, to: Int) -> Int? {
        let p = UnsafePointer(buffer)
        guard let lf = ASCII.find(Bytes.lf, p, from: from, to: to) else {
            return ASCII.find(Bytes.cr, p, from: from, to: to)
        }
        return ASCII.find(Bytes.cr, p, from: from, to: lf) ?? lf
    }

    private func grow() {
        let newCapacity = min(max(capacity * 2, capacity + 1), maxCapacity)
        guard newCapacity > capacity else { return }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: buffer, count: capacity)
        buffer.deallocate()
        buffer = bigger
        capacity = newCapacity
    }

    /// One read from the source, counted into the progress (when set).
    private func readSome(into p: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        guard count > 0, !stopRequested else { return 0 }
        let n = input.map { $0.read(into: p, count: count) } ?? readDescriptor(into: p, count: count)
        if n > 0, let progress = control.progress { progress.add(bytes: n) }
        return n
    }

    /// One `read(2)`, retrying on EINTR (unless the scan was cancelled: a read interrupted by
    /// Ctrl-C then ends the input as at EOF) and waiting on EAGAIN; 0 at EOF or on error (recorded).
    private func readDescriptor(into p: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        while true {
            let n = posixRead(fd, p, count)
            if n >= 0 { return n }
            let err = errno
            if err == EINTR {
                if control.cancellation?.isCancelled == true { return 0 }
                continue
            }
            if err == EAGAIN || err == EWOULDBLOCK {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&pfd, 1, -1)
                continue
            }
            let message = String(cString: strerror(err))
            diagnostics.append(
                Diagnostic(severity: .error, source: source, line: lineCount + 1, message: "read error: \(message)"))
            return 0
        }
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
        return Peeler.startsWithSectionMarker(UnsafePointer(buffer + start), t - start)
    }

    /// Handles one physical line `buffer[offset ..< offset+length]`: unwraps a Docker JSON or CRI
    /// envelope (joining partial lines), then peels and delivers it.
    @inline(__always)
    private func deliver(_ offset: Int, _ length: Int, truncated: Bool, _ body: (borrowing LineView) -> Void) {
        lineCount += 1
        let number = lineCount
        if truncated {
            recordTruncation(number)
        }
        let rawStart = UnsafePointer(buffer + offset)
        let raw = UnsafeBufferPointer(start: rawStart, count: length)
        var p = rawStart
        var n = length
        // UTF-8 BOM on line 1.
        if number == 1, n >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF {
            p += 3
            n -= 3
        }
        var timestamp = -1  // the RFC 3339 timestamp length at p[0] once measured
        if n > 0 {
            let b = p[0]
            if b == 0x7B {
                if DockerJSON.mayBeEnvelope(p, n) {
                    let dst = decodedBuffer(n)
                    if let envelope = DockerJSON.parse(p, n, into: dst) {
                        piece(
                            UnsafePointer(dst), envelope.length, complete: envelope.complete, kind: .docker,
                            stream: envelope.stream, raw: raw, number: number, truncated: truncated, body)
                        return
                    }
                }
            } else if ASCII.isDigit(b), n >= 20 {
                timestamp = Timestamp.rfc3339Length(p, n, zOnly: false)
                if timestamp > 0, let cri = Peeler.criPrefix(p, n, timestamp: timestamp) {
                    piece(
                        p + cri.length, n - cri.length, complete: !cri.partial, kind: .cri, stream: cri.stream,
                        raw: raw, number: number, truncated: truncated, body)
                    return
                }
            }
        }
        if joinsActive {
            flushJoins(body)
        }
        emit(p, n, raw: raw, number: number, truncated: truncated, stream: .unknown, timestamp: timestamp, body)
    }

    /// One piece of a Docker JSON or CRI line: delivered at once when it is whole, else joined.
    @inline(__always)
    private func piece(
        _ p: UnsafePointer<UInt8>, _ n: Int, complete: Bool, kind: JoinSlot.Kind, stream: LineStream,
        raw: UnsafeBufferPointer<UInt8>, number: Int, truncated: Bool, _ body: (borrowing LineView) -> Void
    ) {
        let slot = stream == .stderr ? joins.stderr : joins.stdout
        if joinsActive, slot.active {
            if slot.kind == kind {
                append(slot, p, n, truncated: truncated)
                if complete {
                    flush(slot, body)
                }
                return
            }
            flush(slot, body)
        }
        if complete {
            emit(p, n, raw: raw, number: number, truncated: truncated, stream: stream, body)
            return
        }
        slot.start(kind: kind, stream: stream, number: number, raw: raw, cap: options.maxLineBytes)
        slot.truncated = truncated
        joinsActive = true
        append(slot, p, n, truncated: false)
    }

    /// Appends a piece to a pending joined line, cutting it at `maxLineBytes` (one diagnostic).
    private func append(_ slot: JoinSlot, _ p: UnsafePointer<UInt8>, _ n: Int, truncated: Bool) {
        let room = options.maxLineBytes - slot.count
        if n > room || truncated {
            if !slot.truncated {
                slot.truncated = true
                if !truncated { recordTruncation(slot.number) }
            }
        }
        slot.append(p, min(n, max(0, room)), cap: options.maxLineBytes)
    }

    /// Delivers a pending joined line.
    private func flush(_ slot: JoinSlot, _ body: (borrowing LineView) -> Void) {
        guard slot.active else { return }
        slot.active = false
        joinsActive = joins.stdout.active || joins.stderr.active
        emit(
            UnsafePointer(slot.text), slot.count, raw: UnsafeBufferPointer(start: slot.raw, count: slot.rawCount),
            number: slot.number, truncated: slot.truncated, stream: slot.stream, body)
    }

    /// Delivers every pending joined line, oldest first.
    private func flushJoins(_ body: (borrowing LineView) -> Void) {
        let out = joins.stdout
        let err = joins.stderr
        if out.active, err.active, err.number < out.number {
            flush(err, body)
        }
        flush(out, body)
        flush(err, body)
    }

    private func recordTruncation(_ number: Int) {
        truncatedLineCount += 1
        if truncatedLineCount <= Self.maxTruncationDiagnostics {
            diagnostics.append(
                Diagnostic(
                    severity: .warning, source: source, line: number,
                    message: "line longer than \(options.maxLineBytes) bytes truncated"))
        }
    }

    /// Peels the unwrapped content `p[0..<n]` and hands the line to `body`.
    @inline(__always)
    private func emit(
        _ content: UnsafePointer<UInt8>, _ count: Int, raw: UnsafeBufferPointer<UInt8>, number: Int, truncated: Bool,
        stream: LineStream, timestamp: Int = -1, _ body: (borrowing LineView) -> Void
    ) {
        var p = content
        var n = count
        var timestamp = timestamp
        if n > 0, ASCII.find(Bytes.esc, p, from: 0, to: n) != nil {
            let s = scratchBuffer(n)
            n = ANSI.strip(p, n, into: s)
            p = UnsafePointer(s)
            timestamp = -1  // escapes may have hidden or split a timestamp: measure again
        }
        let peeled = Peeler.peel(p, n, timestamp: timestamp)
        let text = UnsafeBufferPointer(start: p + peeled.skip, count: n - peeled.skip)
        let service =
            peeled.serviceCount > 0
            ? UnsafeBufferPointer(start: p + peeled.serviceStart, count: peeled.serviceCount)
            : UnsafeBufferPointer(start: nil, count: 0)
        deliveredLineCount += 1
        body(
            LineView(
                number: number, raw: raw, text: text, truncated: truncated, service: service, marker: peeled.marker,
                stream: stream == .unknown ? peeled.stream : stream))
    }

    private func decodedBuffer(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if let d = decoded, decodedCapacity >= n { return d }
        decoded?.deallocate()
        let size = max(n, min(max(decodedCapacity * 2, 256), options.maxLineBytes))
        let d = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        decoded = d
        decodedCapacity = size
        return d
    }

    // MARK: - Input and encoding

    /// Fills `p` with up to `count` bytes of UTF-8 input; 0 at EOF. Detects UTF-16 on the first
    /// call and transcodes it from then on.
    private func fill(_ p: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        if !encodingDecided {
            decideEncoding()
        }
        if transcoder != nil {
            let got = transcoder?.fill(p, count) { dst, want in
                let n = readSome(into: dst, count: want)
                bytesRead += n
                return n
            }
            return got ?? 0
        }
        if sniffStart < sniffEnd {
            var o = 0
            withUnsafeBytes(of: sniffBytes) { sniffed in
                while o < count, sniffStart < sniffEnd {
                    p[o] = sniffed[sniffStart]
                    o += 1
                    sniffStart += 1
                }
            }
            return o
        }
        let n = readSome(into: p, count: count)
        bytesRead += n
        return n
    }

    /// Reads up to four bytes (fewer when they already rule UTF-16 out) and picks the encoding.
    private func decideEncoding() {
        encodingDecided = true
        var bytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        var got = 0
        var verdict = UTF16.Sniff.undecided
        withUnsafeMutableBytes(of: &bytes) { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            while verdict == .undecided {
                let n = got < 4 ? readSome(into: base + got, count: 4 - got) : 0
                bytesRead += n
                got += n
                verdict = UTF16.sniff(UnsafePointer(base), got, atEOF: n == 0)
            }
            if case .utf16(let order, let bom) = verdict {
                transcoder = UTF16Transcoder(
                    order: order, capacity: max(options.bufferSize, 4), prefix: UnsafePointer(base + bom),
                    count: got - bom)
            }
        }
        if transcoder == nil {
            sniffBytes = bytes
            sniffStart = 0
            sniffEnd = got
        }
    }

    private func scratchBuffer(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if let s = scratch, scratchCapacity >= n { return s }
        scratch?.deallocate()
        let size = max(n, min(max(scratchCapacity * 2, 256), options.maxLineBytes))
        let s = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        scratch = s
        scratchCapacity = size
        return s
    }
}

/// A partial line being joined (one per output stream): its text so far and a copy of its first
/// physical line (the evidence). Buffers grow on demand up to the line cap and are reused.
final class JoinSlot {
    enum Kind: UInt8 {
        case docker, cri
    }

    var active = false
    var kind = Kind.docker
    var stream = LineStream.unknown
    var number = 0
    var truncated = false
    private(set) var text: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var textCapacity = 0
    private(set) var raw: UnsafeMutablePointer<UInt8>
    private(set) var rawCount = 0
    private var rawCapacity = 0

    init() {
        text = .allocate(capacity: 1)
        raw = .allocate(capacity: 1)
        textCapacity = 1
        rawCapacity = 1
    }

    deinit {
        text.deallocate()
        raw.deallocate()
    }

    /// Starts a new joined line whose first physical line is `raw`.
    func start(kind: Kind, stream: LineStream, number: Int, raw first: UnsafeBufferPointer<UInt8>, cap: Int) {
        active = true
        self.kind = kind
        self.stream = stream
        self.number = number
        truncated = false
        count = 0
        if rawCapacity < first.count {
            raw.deallocate()
            rawCapacity = max(first.count, min(rawCapacity * 2, cap))
            raw = .allocate(capacity: rawCapacity)
        }
        if let base = first.baseAddress, first.count > 0 {
            raw.update(from: base, count: first.count)
        }
        rawCount = first.count
    }

    /// Appends `n` bytes (the caller keeps `count + n` within `cap`).
    func append(_ p: UnsafePointer<UInt8>, _ n: Int, cap: Int) {
        guard n > 0 else { return }
        if count + n > textCapacity {
            let size = min(max(count + n, textCapacity * 2, 256), max(cap, count + n))
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
            bigger.update(from: text, count: count)
            text.deallocate()
            text = bigger
            textCapacity = size
        }
        (text + count).update(from: p, count: n)
        count += n
    }
}

/// `read(2)`, named apart from ``LineReader/read(into:)`` (Glibc, Musl and Darwin alike).
private func posixRead(_ fd: Int32, _ p: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    read(fd, p, count)
}
