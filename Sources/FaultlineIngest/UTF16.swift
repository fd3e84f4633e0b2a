import FaultlineText

/// UTF-16 input (Windows logs): detection at the start of a stream and streaming transcoding
/// to UTF-8 with bounded buffers.
enum UTF16 {
    /// The byte order of a UTF-16 stream.
    enum Order: Equatable {
        case little, big
    }

    /// What the first bytes of a stream say about its encoding.
    enum Sniff: Equatable {
        /// More bytes are needed to decide.
        case undecided
        /// Not UTF-16: read the bytes as they are.
        case utf8
        /// UTF-16 in the given byte order; `bom` bytes (0 or 2) start the stream and are dropped.
        case utf16(Order, bom: Int)
    }

    /// Decides from the first `count` bytes: a UTF-16 BOM (`FF FE` little-endian, `FE FF`
    /// big-endian), or, without one, the NUL pattern of ASCII text in the first four bytes
    /// (`x 00 y 00` little-endian, `00 x 00 y` big-endian). `atEOF` says no more bytes follow.
    static func sniff(_ p: UnsafePointer<UInt8>, _ count: Int, atEOF: Bool) -> Sniff {
        if count >= 2 {
            if p[0] == 0xFF, p[1] == 0xFE { return .utf16(.little, bom: 2) }
            if p[0] == 0xFE, p[1] == 0xFF { return .utf16(.big, bom: 2) }
        }
        // Only a NUL in the first two bytes can start a BOM-less UTF-16 pattern.
        if count >= 1, p[0] != 0, count < 2 || p[1] != 0 {
            if count >= 2 || atEOF { return .utf8 }
            // One byte so far: FF/FE may still start a BOM.
            return p[0] == 0xFF || p[0] == 0xFE ? .undecided : .utf8
        }
        if count < 4 { return atEOF ? .utf8 : .undecided }
        if p[0] != 0, p[1] == 0, p[2] != 0, p[3] == 0 { return .utf16(.little, bom: 0) }
        if p[0] == 0, p[1] != 0, p[2] == 0, p[3] != 0 { return .utf16(.big, bom: 0) }
        return .utf8
    }

    /// `true` when `p[0..<count]` (the start of a file) is UTF-16 text: detected by ``sniff``
    /// and holding no U+0000 code unit. Used by the binary sniff of walked files, whose NUL bytes
    /// are then not a sign of a binary.
    static func isText(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        guard case .utf16(_, let bom) = sniff(p, count, atEOF: true) else { return false }
        var i = bom
        while i + 1 < count {
            if p[i] == 0, p[i + 1] == 0 { return false }
            i += 2
        }
        return true
    }
}

/// Streaming UTF-16 to UTF-8 transcoder over a file descriptor's bytes, with a fixed input
/// buffer (freed with the transcoder: it is not copyable); an odd trailing byte or an unpaired
/// surrogate becomes U+FFFD.
struct UTF16Transcoder: ~Copyable {
    let order: UTF16.Order
    private var input: UnsafeMutablePointer<UInt8>
    private let inputCapacity: Int
    private var inStart = 0
    private var inEnd = 0
    private var inputDone = false
    private var high: UInt32 = 0  // a pending high surrogate, or 0
    private var pending: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)  // UTF-8 bytes that did not fit
    private var pendingStart = 0
    private var pendingEnd = 0

    /// Creates a transcoder whose input buffer holds `capacity` (at least 4) bytes, starting with
    /// the `count` already-read bytes at `prefix`.
    init(order: UTF16.Order, capacity: Int, prefix: UnsafePointer<UInt8>, count: Int) {
        self.order = order
        self.inputCapacity = max(capacity, 4, count)
        self.input = .allocate(capacity: inputCapacity)
        input.update(from: prefix, count: count)
        inEnd = count
    }

    deinit { input.deallocate() }

    /// Writes up to `count` UTF-8 bytes to `dst`, reading more input with `read` (which returns
    /// 0 at EOF) when needed; returns the bytes written, 0 only at the end of the stream. Reads
    /// at most once per call after output was produced, so a slow pipe is not waited on.
    mutating func fill(
        _ dst: UnsafeMutablePointer<UInt8>, _ count: Int, read: (UnsafeMutablePointer<UInt8>, Int) -> Int
    ) -> Int {
        var o = 0
        while o < count {
            if pendingStart < pendingEnd {
                dst[o] = withUnsafeBytes(of: pending) { $0[pendingStart] }
                pendingStart += 1
                o += 1
                continue
            }
            if inEnd - inStart < 2 {
                if inputDone {
                    if inEnd > inStart {  // odd trailing byte
                        inStart = inEnd
                        emit(0xFFFD, dst, &o, count)
                    } else if high != 0 {
                        high = 0
                        emit(0xFFFD, dst, &o, count)
                    } else {
                        break
                    }
                    continue
                }
                if o > 0 { break }
                if inStart > 0 {
                    if inEnd > inStart { input[0] = input[inStart] }
                    inEnd -= inStart
                    inStart = 0
                }
                let n = read(input + inEnd, inputCapacity - inEnd)
                if n > 0 {
                    inEnd += n
                } else {
                    inputDone = true
                }
                continue
            }
            // Decode code units while both input and output room last.
            while inEnd - inStart >= 2, o < count, pendingStart == pendingEnd {
                let a = UInt32(input[inStart])
                let b = UInt32(input[inStart + 1])
                inStart += 2
                let unit = order == .little ? a | b << 8 : a << 8 | b
                if high != 0 {
                    if unit >= 0xDC00, unit <= 0xDFFF {
                        let scalar = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)
                        high = 0
                        emit(scalar, dst, &o, count)
                        continue
                    }
                    high = 0
                    emit(0xFFFD, dst, &o, count)
                    if o >= count || pendingStart < pendingEnd {
                        // Process this unit on the next round.
                        inStart -= 2
                        break
                    }
                }
                if unit < 0x80, o < count {
                    dst[o] = UInt8(truncatingIfNeeded: unit)
                    o += 1
                } else if unit >= 0xD800, unit <= 0xDBFF {
                    high = unit
                } else if unit >= 0xDC00, unit <= 0xDFFF {
                    emit(0xFFFD, dst, &o, count)
                } else {
                    emit(unit, dst, &o, count)
                }
            }
        }
        return o
    }

    /// Writes `scalar` as UTF-8 to `dst[o...]`, keeping what does not fit in `pending`.
    @inline(__always)
    private mutating func emit(_ scalar: UInt32, _ dst: UnsafeMutablePointer<UInt8>, _ o: inout Int, _ count: Int) {
        var bytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let n = withUnsafeMutableBytes(of: &bytes) { raw in
            guard let base = raw.baseAddress else { return 0 }
            return JSONString.writeUTF8(scalar, base.assumingMemoryBound(to: UInt8.self))
        }
        withUnsafeBytes(of: bytes) { raw in
            var k = 0
            while k < n, o < count {
                dst[o] = raw[k]
                o += 1
                k += 1
            }
            if k < n {
                var rest: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
                let j = withUnsafeMutableBytes(of: &rest) { dstRaw in
                    var j = 0
                    while k < n {
                        dstRaw[j] = raw[k]
                        j += 1
                        k += 1
                    }
                    return j
                }
                pending = rest
                pendingStart = 0
                pendingEnd = j
            }
        }
    }
}
