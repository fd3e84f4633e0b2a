import CZlib
import FaultlineModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Limits that keep a hostile or broken archive from exhausting memory, disk or time.
///
/// Both limits are checked as bytes are decompressed, per top-level archive (every member and
/// every nested layer counts against its archive). When one is hit, the rest of that archive is
/// skipped with an error diagnostic naming the archive and member; other inputs are still read.
public struct ArchiveLimits: Sendable, Hashable {
    /// Most decompressed bytes read from one archive (all members and layers together).
    /// Default 4 GiB.
    public var maxDecompressedBytes: Int64
    /// Most decompressed bytes per compressed byte read from the archive file. Default 200.
    public var maxRatio: Int64
    /// The ratio is not checked before this many bytes were decompressed (a tiny archive of a
    /// highly repetitive log is not a bomb). Default 1 MiB.
    public var ratioGraceBytes: Int64

    /// Creates limits; values below 1 are raised to 1 (a grace below 0 to 0).
    public init(maxDecompressedBytes: Int64 = 4 << 30, maxRatio: Int64 = 200, ratioGraceBytes: Int64 = 1 << 20) {
        self.maxDecompressedBytes = max(1, maxDecompressedBytes)
        self.maxRatio = max(1, maxRatio)
        self.ratioGraceBytes = max(0, ratioGraceBytes)
    }
}

/// A pull source of bytes: bytes in memory, the decompressed stream of an archive member, a
/// range of a file. What the engine scans (``LineReader/init(input:source:options:control:)``).
///
/// `read` fills `p[0..<n]` with `0 < n <= count` bytes, or returns 0 at the end or on a failure
/// (a failure is recorded by the source itself, for archives in the shared archive state; never
/// thrown). Single-threaded.
public protocol ByteSource: AnyObject {
    /// Fills `p[0..<n]` with `0 < n <= count` bytes and returns `n`, or returns 0 at the end.
    func read(into p: UnsafeMutablePointer<UInt8>, count: Int) -> Int
}

/// Shared bookkeeping for one top-level archive: the byte budget, the first failure of the
/// member being read, and the diagnostics.
final class ArchiveState {
    let limits: ArchiveLimits
    /// The archive's display name (the top-level path).
    let archive: String
    /// Bytes read from the archive file.
    var compressed: Int64 = 0
    /// Bytes produced by decompression layers and stored members.
    var produced: Int64 = 0
    /// The first failure met since the last ``takeFailure()``: it ends the member being read.
    private(set) var failure: String?
    /// Set when a limit was hit: every source returns 0 from then on.
    private(set) var stopped = false
    var diagnostics: [Diagnostic] = []
    /// The source name of the member being read (for limit diagnostics).
    var current: String

    init(archive: String, limits: ArchiveLimits) {
        self.archive = archive
        self.limits = limits
        self.current = archive
    }

    /// `true` when reading must stop (a failure in this member, or a limit).
    var halted: Bool { failure != nil || stopped }

    /// Records the first failure of the current member.
    func fail(_ message: String) {
        if failure == nil { failure = message }
    }

    /// Returns and clears the current failure.
    func takeFailure() -> String? {
        defer { failure = nil }
        return failure
    }

    func note(_ source: String, _ message: String) {
        diagnostics.append(Diagnostic(severity: .note, source: source, message: message))
    }

    func error(_ source: String, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(severity: .error, source: source, message: message, hint: hint))
    }

    /// Counts `n` decompressed bytes against the limits; stops the archive when one is exceeded.
    func account(_ n: Int) {
        produced += Int64(n)
        guard !stopped else { return }
        if produced > limits.maxDecompressedBytes {
            stop("more than \(limits.maxDecompressedBytes) bytes decompressed; rest of the archive skipped")
        } else if produced > limits.ratioGraceBytes, produced > compressed &* limits.maxRatio {
            stop(
                "decompression ratio above \(limits.maxRatio)x (\(produced) bytes from \(compressed)); "
                    + "possible decompression bomb, rest of the archive skipped")
        }
    }

    /// Stops the archive without a diagnostic: the sink asked for no more input.
    func halt() { stopped = true }

    private func stop(_ message: String) {
        stopped = true
        error(current, message, hint: "raise the archive limits only for archives you trust")
    }
}

/// Bytes of a file read with `pread` from `offset`, at most `length` of them (`nil`: to EOF).
/// Counts them as compressed input of the archive.
final class FileRangeSource: ByteSource {
    private let fd: Int32
    private var offset: Int64
    private var remaining: Int64?
    private let state: ArchiveState
    /// `true` once fewer bytes than `length` were found (the file is shorter than its index says).
    private(set) var short = false

    init(fd: Int32, offset: Int64, length: Int64?, state: ArchiveState) {
        self.fd = fd
        self.offset = offset
        self.remaining = length
        self.state = state
    }

    func read(into p: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        guard !state.halted else { return 0 }
        var want = count
        if let remaining {
            guard remaining > 0 else { return 0 }
            want = Int(min(Int64(count), remaining))
        }
        while true {
            let n = pread(fd, p, want, off_t(offset))
            if n > 0 {
                offset += Int64(n)
                if remaining != nil { remaining? -= Int64(n) }
                state.compressed += Int64(n)
                return n
            }
            if n < 0, errno == EINTR { continue }
            if n < 0 {
                state.fail("read error: \(String(cString: strerror(errno)))")
            } else if remaining != nil {
                short = true
                state.fail("truncated archive: member data ends early")
            }
            return 0
        }
    }
}

/// Reads up to `want` leading bytes of `upstream` ahead (for format sniffing and the binary check),
/// then hands them out before the rest.
final class PeekSource: ByteSource {
    private let upstream: ByteSource
    private let head: UnsafeMutablePointer<UInt8>
    /// Bytes peeked.
    let headCount: Int
    private var served = 0

    init(_ upstream: ByteSource, want: Int) {
        self.upstream = upstream
        head = .allocate(capacity: max(want, 1))
        var got = 0
        while got < want {
            let n = upstream.read(into: head + got, count: want - got)
            if n <= 0 { break }
            got += n
        }
        headCount = got
    }

    deinit { head.deallocate() }

    /// The peeked bytes (valid while the source lives).
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: head, count: headCount) }

    func read(into p: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        if served < headCount {
            let n = min(count, headCount - served)
            p.update(from: head + served, count: n)
            served += n
            return n
        }
        return upstream.read(into: p, count: count)
    }
}

/// Counts every byte passing through against the archive's limits.
final class MeterSource: ByteSource {
    private let upstream: ByteSource
    private let state: ArchiveState

    init(_ upstream: ByteSource, state: ArchiveState) {
        self.upstream = upstream
        self.state = state
    }

    func read(into p: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        guard !state.stopped else { return 0 }
        let n = upstream.read(into: p, count: count)
        if n > 0 { state.account(n) }
        return n
    }
}

/// At most `remaining` bytes of `upstream` (a tar entry's data). Running short is a failure.
final class LimitSource: ByteSource {
    private let upstream: ByteSource
    private let state: ArchiveState
    private(set) var remaining: Int64

    init(_ upstream: ByteSource, length: Int64, state: ArchiveState) {
        self.upstream = upstream
        self.remaining = length
        self.state = state
    }

    func read(into p: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        guard remaining > 0 else { return 0 }
        let n = upstream.read(into: p, count: Int(min(Int64(count), remaining)))
        if n <= 0 {
            state.fail("truncated archive: member data ends early")
            return 0
        }
        remaining -= Int64(n)
        return n
    }
}

/// Checks a zip member's CRC-32 and size when its data ends.
final class CRCSource: ByteSource {
    private let upstream: ByteSource
    private let state: ArchiveState
    private let expectedCRC: UInt32
    private let expectedSize: Int64
    private var crc: UInt = crc32(0, nil, 0)
    private var size: Int64 = 0
    private var checked = false

    init(_ upstream: ByteSource, crc: UInt32, size: Int64, state: ArchiveState) {
        self.upstream = upstream
        self.expectedCRC = crc
        self.expectedSize = size
        self.state = state
    }

    func read(into p: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        let n = upstream.read(into: p, count: count)
        if n > 0 {
            crc = crc32(crc, p, uInt(n))
            size += Int64(n)
            if size > expectedSize {
                state.fail("corrupt member: more data than the \(expectedSize) bytes its header declares")
                return 0
            }
        } else if !checked, !state.halted {
            checked = true
            if size != expectedSize {
                state.fail("corrupt member: \(size) bytes instead of \(expectedSize)")
            } else if UInt32(truncatingIfNeeded: crc) != expectedCRC {
                state.fail("corrupt member: CRC-32 mismatch (bad CRC)")
            }
        }
        return n
    }
}

/// Inflates `upstream` with zlib: a gzip stream (concatenated members joined, CRC and length
/// checked by zlib) or raw deflate (zip members). Output goes straight into the caller's buffer.
final class InflateSource: ByteSource {
    enum Format {
        case gzip, raw
    }

    private let upstream: ByteSource
    private let state: ArchiveState
    private let format: Format
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutablePointer<UInt8>
    private static let inputCapacity = 65536
    private var upstreamEnded = false
    private var ended = false
    private var ready = false

    init(_ upstream: ByteSource, format: Format, state: ArchiveState) {
        self.upstream = upstream
        self.format = format
        self.state = state
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(capacity: Self.inputCapacity)
        let status = faultline_inflate_init2(stream, format == .gzip ? 31 : -15)
        if status == Z_OK {
            ready = true
        } else {
            state.fail("cannot start zlib inflate (status \(status))")
        }
    }

    deinit {
        if ready { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    private var what: String { format == .gzip ? "gzip stream" : "deflate data" }

    /// Refills zlib's input when it is empty; `false` when upstream has ended.
    private func refill() -> Bool {
        if stream.pointee.avail_in > 0 { return true }
        guard !upstreamEnded else { return false }
        let n = upstream.read(into: input, count: Self.inputCapacity)
        if n <= 0 {
            upstreamEnded = true
            return false
        }
        stream.pointee.next_in = input
        stream.pointee.avail_in = uInt(n)
        return true
    }

    func read(into p: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        guard ready, !ended, !state.halted, count > 0 else { return 0 }
        let want = min(count, Int(UInt32.max))
        stream.pointee.next_out = p
        stream.pointee.avail_out = uInt(want)
        while true {
            let hasInput = refill()
            if !hasInput, state.halted { return 0 }
            let status = inflate(stream, Z_NO_FLUSH)
            let produced = want - Int(stream.pointee.avail_out)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                if produced > 0 { return produced }
                if !hasInput {
                    state.fail("truncated \(what): unexpected end of data")
                    return 0
                }
                if status == Z_BUF_ERROR, stream.pointee.avail_in > 0 {
                    state.fail("corrupt \(what): inflate made no progress")
                    return 0
                }
            case Z_STREAM_END:
                if format == .gzip, nextGzipMember() {
                    if produced > 0 { return produced }
                    continue
                }
                ended = true
                return produced
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                state.fail("corrupt \(what): \(message)")
                return 0
            }
        }
    }

    /// After a gzip member: `true` (and zlib reset) when another member follows; trailing bytes
    /// that are not a gzip header are ignored with a note, as gzip(1) does.
    private func nextGzipMember() -> Bool {
        guard refill() else { return false }
        guard let next = stream.pointee.next_in, next[0] == 0x1F else {
            if !state.halted { state.note(state.current, "trailing bytes after the gzip data ignored") }
            return false
        }
        guard inflateReset(stream) == Z_OK else {
            state.fail("cannot reset zlib inflate")
            return false
        }
        return true
    }
}
