import FaultlineModel
import FaultlineText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension LineReader {
    // MARK: - Input and encoding

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

    /// Fills `p` with up to `count` bytes of UTF-8 input; 0 at EOF. Detects UTF-16 on the first
    /// call and transcodes it from then on.
    func fill(_ p: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
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
}

/// `read(2)`, named apart from ``LineReader/read(into:)`` (Glibc, Musl and Darwin alike).
private func posixRead(_ fd: Int32, _ p: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    read(fd, p, count)
}
