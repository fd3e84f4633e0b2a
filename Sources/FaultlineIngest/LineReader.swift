import FaultlineModel

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
/// The reader does not own the descriptor and never closes it. Not thread-safe: one reader
/// per input, used by one task.
public final class LineReader {
    private let fd: Int32
    /// The name used in diagnostics (a path, or `<stdin>`).
    public let source: String
    private let options: ReaderOptions

    /// Problems met while reading: read errors and truncated lines. Input problems are never thrown.
    public private(set) var diagnostics: [Diagnostic] = []
    /// Bytes read from the descriptor so far.
    public private(set) var bytesRead: Int = 0
    /// Lines delivered so far.
    public private(set) var lineCount: Int = 0
    /// Lines cut because they exceeded ``ReaderOptions/maxLineBytes``.
    public private(set) var truncatedLineCount: Int = 0

    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private let maxCapacity: Int
    private var scratch: UnsafeMutablePointer<UInt8>?
    private var scratchCapacity = 0
    private var finished = false

    /// At most this many truncation diagnostics are recorded per input; the rest are summarised.
    static let maxTruncationDiagnostics = 100

    /// Creates a reader over `fileDescriptor`; `source` names the input in diagnostics.
    public init(fileDescriptor: Int32, source: String, options: ReaderOptions = ReaderOptions()) {
        self.fd = fileDescriptor
        self.source = source
        self.options = options
        self.capacity = options.bufferSize
        self.maxCapacity = options.maxLineBytes + options.bufferSize
        self.buffer = .allocate(capacity: options.bufferSize)
    }

    /// The current read-buffer capacity (tests check it stays bounded).
    var bufferCapacity: Int { capacity }

    deinit {
        buffer.deallocate()
        scratch?.deallocate()
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
                if pendingCR {
                    pendingCR = false
                    if buffer[start] == Bytes.lf {
                        start += 1
                        continue
                    }
                }
                let terminator = findTerminator(from: max(start, scanFrom), to: end)
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
                    scanFrom = end
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
            let n = readSome(into: buffer + end, count: want)
            if n > 0 {
                end += n
                bytesRead += n
            } else {
                eof = true
            }
        }
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
        guard let lf = Bytes.find(Bytes.lf, p, from: from, to: to) else {
            return Bytes.find(Bytes.cr, p, from: from, to: to)
        }
        return Bytes.find(Bytes.cr, p, from: from, to: lf) ?? lf
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

    /// One `read(2)`, retrying on EINTR and waiting on EAGAIN; 0 at EOF or on error (recorded).
    private func readSome(into p: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        guard count > 0 else { return 0 }
        while true {
            let n = read(fd, p, count)
            if n >= 0 { return n }
            let err = errno
            if err == EINTR { continue }
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

    @inline(__always)
    private func deliver(_ offset: Int, _ length: Int, truncated: Bool, _ body: (borrowing LineView) -> Void) {
        lineCount += 1
        let number = lineCount
        if truncated {
            truncatedLineCount += 1
            if truncatedLineCount <= Self.maxTruncationDiagnostics {
                diagnostics.append(
                    Diagnostic(
                        severity: .warning, source: source, line: number,
                        message: "line longer than \(options.maxLineBytes) bytes truncated"))
            }
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
        if n > 0, Bytes.find(Bytes.esc, p, from: 0, to: n) != nil {
            let s = scratchBuffer(n)
            n = Peeler.stripANSI(p, n, into: s)
            p = UnsafePointer(s)
        }
        var skip = Peeler.timestampPrefixLength(p, n)
        skip += Peeler.composePrefixLength(p + skip, n - skip)
        let text = UnsafeBufferPointer(start: p + skip, count: n - skip)
        body(LineView(number: number, raw: raw, text: text, truncated: truncated))
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
