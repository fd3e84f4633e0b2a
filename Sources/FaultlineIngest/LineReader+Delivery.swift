import FaultlineModel
import FaultlineText

extension LineReader {
    /// Handles one physical line `buffer[offset ..< offset+length]`: unwraps a Docker JSON or CRI
    /// envelope (joining partial lines), then peels and delivers it.
    @inline(__always)
    func deliver(_ offset: Int, _ length: Int, truncated: Bool, _ body: (borrowing LineView) -> Void) {
        lineCount += 1
        let number = lineCount
        if truncated {
            recordTruncation(number)
        }
        let rawStart = UnsafePointer(buffer.base + offset)
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
            UnsafePointer(slot.text.base), slot.count,
            raw: UnsafeBufferPointer(start: slot.raw.base, count: slot.rawCount),
            number: slot.number, truncated: slot.truncated, stream: slot.stream, body)
    }

    /// Delivers every pending joined line, oldest first.
    func flushJoins(_ body: (borrowing LineView) -> Void) {
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
        // Called with n > 0 only, so an empty (never used) buffer always grows here.
        if decoded.capacity >= n { return decoded.base }
        let size = max(n, min(max(decoded.capacity * 2, 256), options.maxLineBytes))
        decoded.reallocate(capacity: size, keeping: 0)
        return decoded.base
    }

    private func scratchBuffer(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        // Called with n > 0 only, so an empty (never used) buffer always grows here.
        if scratch.capacity >= n { return scratch.base }
        let size = max(n, min(max(scratch.capacity * 2, 256), options.maxLineBytes))
        scratch.reallocate(capacity: size, keeping: 0)
        return scratch.base
    }
}
