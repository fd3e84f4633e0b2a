import FaultlineModel
import FaultlineText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads one top-level input as a sequence of members: detects gzip, tar and zip by their magic
/// bytes, walks containers, and hands each text member to the visitor with its own
/// ``LineReader``. Nothing is extracted to disk; every layer streams through fixed buffers.
final class ArchiveReader {
    /// Containers (tar, zip) nested deeper than this are skipped with a note: the archive itself
    /// is depth 1, an archive inside it depth 2.
    static let maxContainerDepth = 2
    /// gzip layers wrapped around one member (`x.log.gz` inside `a.tar.gz` is two).
    static let maxGzipLayers = 2
    /// Largest GNU long name or pax header read.
    static let maxMetadataBytes = 1 << 20

    let state: ArchiveState
    let options: ReaderOptions
    let control: ReadControl
    private(set) var bytes = 0
    private(set) var lines = 0

    init(state: ArchiveState, options: ReaderOptions, control: ReadControl = ReadControl()) {
        self.control = control
        self.state = state
        self.options = options
    }

    // MARK: Sniffing

    static func isGzip(_ h: UnsafeBufferPointer<UInt8>) -> Bool {
        h.count >= 3 && h[0] == 0x1F && h[1] == 0x8B && h[2] == 8
    }

    static func isZip(_ h: UnsafeBufferPointer<UInt8>) -> Bool {
        h.count >= 4 && h[0] == 0x50 && h[1] == 0x4B && ((h[2] == 3 && h[3] == 4) || (h[2] == 5 && h[3] == 6))
    }

    static func isTar(_ h: UnsafeBufferPointer<UInt8>) -> Bool {
        h.count >= 263 && h[257] == 0x75 && h[258] == 0x73 && h[259] == 0x74 && h[260] == 0x61 && h[261] == 0x72
    }

    static func isBinary(_ h: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = h.baseAddress, ASCII.find(0, base, from: 0, to: h.count) != nil else { return false }
        return !UTF16.isText(base, h.count)
    }

    // MARK: Streams

    /// Reads one stream named `name`: unwraps gzip, walks a tar, or reads lines. `depth` is the
    /// number of containers around it; `skipBinary` applies the binary check (walked files and
    /// every member).
    func readStream(
        _ source: ByteSource, name: String, depth: Int, gzipLayers: Int, skipBinary: Bool,
        _ visit: (String, LineReader) -> SinkAction
    ) {
        state.current = name
        let peek = PeekSource(source, want: InputOpener.binarySniffBytes)
        let head = peek.bytes
        if Self.isGzip(head) {
            guard gzipLayers < Self.maxGzipLayers else {
                state.note(name, "compressed data nested too deep not scanned")
                return
            }
            let inflated = MeterSource(InflateSource(peek, format: .gzip, state: state), state: state)
            readStream(
                inflated, name: name, depth: depth, gzipLayers: gzipLayers + 1, skipBinary: skipBinary, visit)
            return
        }
        if Self.isTar(head) {
            guard depth < Self.maxContainerDepth else {
                state.note(name, "archive nested more than one level deep not scanned")
                return
            }
            readTar(peek, name: name, depth: depth + 1, visit)
            return
        }
        if depth > 0, Self.isZip(head) {
            state.note(name, "zip archive inside an archive not scanned")
            return
        }
        if skipBinary, Self.isBinary(head) {
            state.note(name, depth > 0 ? "binary member skipped" : "binary file skipped")
            return
        }
        let reader = LineReader(input: peek, source: name, options: options, control: control)
        if visit(name, reader) == .stop { state.halt() }
        bytes += reader.bytesRead
        lines += reader.lineCount
        state.diagnostics += reader.diagnostics
    }

    /// Reports the current failure (if any) against `name`; `true` when there was one.
    @discardableResult
    func reportFailure(_ name: String) -> Bool {
        guard let failure = state.takeFailure() else { return false }
        state.error(name, failure)
        return true
    }

    // MARK: tar

    /// Reads `count` bytes fully; returns how many arrived.
    private func readFully(_ source: ByteSource, _ p: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        var got = 0
        while got < count {
            let n = source.read(into: p + got, count: count - got)
            if n <= 0 { break }
            got += n
        }
        return got
    }

    /// Discards `count` bytes; `false` when the stream ended first.
    private func skip(_ source: ByteSource, _ count: Int64) -> Bool {
        guard count > 0 else { return true }
        let size = 65536
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { scratch.deallocate() }
        var left = count
        while left > 0 {
            let n = source.read(into: scratch, count: Int(min(left, Int64(size))))
            if n <= 0 { return false }
            left -= Int64(n)
        }
        return true
    }

    /// Walks a tar stream (ustar, GNU, pax): regular files are read as members named
    /// `archive!path`; GNU `L` long names and pax `path=`/`size=` records apply to the next entry.
    private func readTar(
        _ source: ByteSource, name archive: String, depth: Int, _ visit: (String, LineReader) -> SinkAction
    ) {
        let header = UnsafeMutablePointer<UInt8>.allocate(capacity: 512)
        defer { header.deallocate() }
        var offset: Int64 = 0
        var longName: String?
        var paxPath: String?
        var paxSize: Int64?
        while true {
            state.current = archive
            let got = readFully(source, header, 512)
            if reportFailure(archive) || state.stopped { return }
            if got == 0 { return }
            guard got == 512 else {
                state.error(archive, "truncated tar archive: header at offset \(offset) is cut short")
                return
            }
            let h = UnsafeBufferPointer(start: header, count: 512)
            if !h.contains(where: { $0 != 0 }) { return }
            guard let tar = TarHeader(h) else {
                state.error(archive, "bad tar header at offset \(offset); rest of the archive skipped")
                return
            }
            offset += 512
            let size = paxSize ?? tar.size
            let padding = (512 - size % 512) % 512
            switch tar.type {
            case UInt8(ascii: "L"), UInt8(ascii: "x"):
                guard size <= Self.maxMetadataBytes else {
                    state.note(archive, "tar metadata entry of \(size) bytes at offset \(offset - 512) ignored")
                    guard skip(source, size + padding) else { return truncatedTar(archive) }
                    offset += size + padding
                    continue
                }
                var data = [UInt8](repeating: 0, count: Int(size))
                let n = data.withUnsafeMutableBufferPointer { buf in
                    buf.baseAddress.map { readFully(source, $0, Int(size)) } ?? 0
                }
                guard n == Int(size), skip(source, padding) else { return truncatedTar(archive) }
                offset += size + padding
                if tar.type == UInt8(ascii: "L") {
                    longName = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
                } else {
                    let records = TarHeader.pax(data)
                    if let path = records.path { paxPath = path }
                    if let s = records.size { paxSize = s }
                }
                continue
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"):
                let path = paxPath ?? longName ?? tar.name
                longName = nil
                paxPath = nil
                paxSize = nil
                if path.hasSuffix("/") {
                    guard skip(source, size + padding) else { return truncatedTar(archive) }
                } else {
                    let member = archive + "!" + path
                    let entry = LimitSource(source, length: size, state: state)
                    readStream(entry, name: member, depth: depth, gzipLayers: 0, skipBinary: true, visit)
                    if reportFailure(member) || state.stopped { return }
                    guard skip(source, entry.remaining + padding) else { return truncatedTar(archive) }
                }
            default:
                // Directories, links, devices, global pax headers, GNU long link names: no content to read.
                longName = nil
                paxPath = nil
                paxSize = nil
                guard skip(source, size + padding) else { return truncatedTar(archive) }
            }
            offset += size + padding
        }
    }

    private func truncatedTar(_ archive: String) {
        if !reportFailure(archive), !state.stopped {
            state.error(archive, "truncated tar archive")
        }
    }
}

/// One 512-byte tar header (ustar, GNU or v7 layout), checksum verified.
struct TarHeader {
    var name: String
    var size: Int64
    var type: UInt8

    init?(_ h: UnsafeBufferPointer<UInt8>) {
        guard h.count == 512, let stored = Self.number(h, 148, 8) else { return nil }
        var sum: Int64 = 0
        for i in 0..<512 { sum += Int64((148..<156).contains(i) ? 0x20 : h[i]) }
        guard sum == stored, let size = Self.number(h, 124, 12), size >= 0 else { return nil }
        self.size = size
        type = h[156]
        let base = Self.string(h, 0, 100)
        // POSIX ustar ("ustar\0") splits long paths into prefix/name; GNU ("ustar  ") does not.
        let posix = h[257...262].elementsEqual([0x75, 0x73, 0x74, 0x61, 0x72, 0x00])
        let prefix = posix ? Self.string(h, 345, 155) : ""
        name = prefix.isEmpty ? base : prefix + "/" + base
    }

    /// A NUL-terminated string field.
    static func string(_ h: UnsafeBufferPointer<UInt8>, _ offset: Int, _ length: Int) -> String {
        let field = h[offset..<(offset + length)]
        return String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// An octal field (space/NUL padded) or GNU base-256 (high bit set); `nil` when malformed.
    static func number(_ h: UnsafeBufferPointer<UInt8>, _ offset: Int, _ length: Int) -> Int64? {
        let field = h[offset..<(offset + length)]
        if let first = field.first, first & 0x80 != 0 {
            var value: Int64 = Int64(first & 0x7F)
            for b in field.dropFirst() {
                guard value < Int64.max >> 8 else { return nil }
                value = value << 8 | Int64(b)
            }
            return value
        }
        var value: Int64 = 0
        var seenDigit = false
        for b in field {
            if b == 0x20 || b == 0 {
                if seenDigit { break }
                continue
            }
            guard b >= 0x30, b <= 0x37, value < Int64.max >> 3 else { return nil }
            value = value << 3 | Int64(b - 0x30)
            seenDigit = true
        }
        return value
    }

    /// The `path` and `size` records of a pax extended header (`"<len> <key>=<value>\n"` each).
    static func pax(_ data: [UInt8]) -> (path: String?, size: Int64?) {
        var path: String?
        var size: Int64?
        var i = 0
        while i < data.count {
            var length = 0
            var j = i
            while j < data.count, ASCII.isDigit(data[j]), length < data.count {
                length = length * 10 + Int(data[j] - 0x30)
                j += 1
            }
            guard j < data.count, data[j] == 0x20, length > j - i, i + length <= data.count else { break }
            let record = data[(j + 1)..<(i + length)]
            let body = record.last == 0x0A ? record.dropLast() : record
            if let eq = body.firstIndex(of: 0x3D) {
                let key = String(decoding: body[body.startIndex..<eq], as: UTF8.self)
                let value = String(decoding: body[(eq + 1)...], as: UTF8.self)
                if key == "path" {
                    path = value
                } else if key == "size" {
                    size = Int64(value)
                }
            }
            i += length
        }
        return (path, size)
    }
}
