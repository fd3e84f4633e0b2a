#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One central-directory entry of a zip archive (PKWARE APPNOTE 4.3.12), ZIP64 sizes applied.
struct ZipEntry {
    var name: String
    var flags: UInt16
    var method: UInt16
    var crc: UInt32
    var compressedSize: Int64
    var size: Int64
    var localHeaderOffset: Int64
    /// Unix file type bits when the entry was made on Unix, else 0.
    var unixType: UInt32

    var isDirectory: Bool { name.hasSuffix("/") || unixType == UInt32(S_IFDIR) }
    var isSymlink: Bool { unixType == UInt32(S_IFLNK) }
    var isEncrypted: Bool { flags & 1 != 0 }
}

/// Reads a zip archive's central directory with `pread` (the file must be seekable).
enum ZipDirectory {
    /// Largest central directory read (about a million entries).
    static let maxDirectoryBytes: Int64 = 64 << 20

    enum Outcome {
        /// No end-of-central-directory record: not (or no longer) a zip archive.
        case notZip
        case corrupt(String)
        case entries([ZipEntry])
    }

    static func read(fd: Int32, fileSize: Int64) -> Outcome {
        // The EOCD record (22 bytes) is followed by a comment of up to 65535 bytes.
        let tailLength = Int(min(fileSize, 22 + 65535 + 20))
        guard tailLength >= 22 else { return .notZip }
        let tailStart = fileSize - Int64(tailLength)
        guard let tail = readAt(fd, tailStart, tailLength) else { return .notZip }
        var eocd = -1
        var i = tailLength - 22
        while i >= 0 {
            if tail[i] == 0x50, tail[i + 1] == 0x4B, tail[i + 2] == 5, tail[i + 3] == 6,
                i + 22 + Int(le16(tail, i + 20)) <= tailLength
            {
                eocd = i
                break
            }
            i -= 1
        }
        guard eocd >= 0 else { return .notZip }
        var count = Int64(le16(tail, eocd + 10))
        var cdSize = Int64(le32(tail, eocd + 12))
        var cdOffset = Int64(le32(tail, eocd + 16))
        if count == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF {
            // ZIP64: the locator sits right before the EOCD record and points at the ZIP64 EOCD.
            let locator = eocd - 20
            guard locator >= 0, le32(tail, locator) == 0x0706_4B50 else {
                return .corrupt("ZIP64 end-of-central-directory locator missing")
            }
            let recordOffset = Int64(le64(tail, locator + 8))
            guard recordOffset >= 0, let record = readAt(fd, recordOffset, 56), le32(record, 0) == 0x0606_4B50 else {
                return .corrupt("bad ZIP64 end-of-central-directory record")
            }
            count = Int64(le64(record, 32))
            cdSize = Int64(le64(record, 40))
            cdOffset = Int64(le64(record, 48))
        }
        guard cdSize >= 0, cdOffset >= 0, count >= 0, cdOffset <= fileSize - cdSize else {
            return .corrupt("central directory lies outside the file (truncated?)")
        }
        guard cdSize <= maxDirectoryBytes else {
            return .corrupt("central directory of \(cdSize) bytes is larger than \(maxDirectoryBytes)")
        }
        guard let cd = readAt(fd, cdOffset, Int(cdSize)) else {
            return .corrupt("cannot read the central directory")
        }
        var entries: [ZipEntry] = []
        var p = 0
        while p + 46 <= cd.count, le32(cd, p) == 0x0201_4B50 {
            let madeBy = le16(cd, p + 4)
            let nameLength = Int(le16(cd, p + 28))
            let extraLength = Int(le16(cd, p + 30))
            let commentLength = Int(le16(cd, p + 32))
            let next = p + 46 + nameLength + extraLength + commentLength
            guard next <= cd.count else { return .corrupt("central directory entry \(entries.count + 1) is cut short") }
            var entry = ZipEntry(
                name: String(decoding: cd[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self),
                flags: le16(cd, p + 8), method: le16(cd, p + 10), crc: le32(cd, p + 16),
                compressedSize: Int64(le32(cd, p + 20)), size: Int64(le32(cd, p + 24)),
                localHeaderOffset: Int64(le32(cd, p + 42)),
                unixType: madeBy >> 8 == 3 ? (le32(cd, p + 38) >> 16) & UInt32(S_IFMT) : 0)
            applyZip64(cd, from: p + 46 + nameLength, count: extraLength, to: &entry)
            entries.append(entry)
            p = next
        }
        if Int64(entries.count) != count {
            return .corrupt("central directory lists \(entries.count) entries, the archive says \(count)")
        }
        return .entries(entries)
    }

    /// Applies the ZIP64 extended-information extra field (id 1): the 64-bit values of the fields
    /// that are 0xFFFFFFFF in the header, in the order size, compressed size, offset.
    private static func applyZip64(_ cd: [UInt8], from start: Int, count: Int, to entry: inout ZipEntry) {
        var p = start
        let end = start + count
        while p + 4 <= end {
            let id = le16(cd, p)
            let length = Int(le16(cd, p + 2))
            let body = p + 4
            guard body + length <= end else { return }
            if id == 1 {
                var q = body
                if entry.size == 0xFFFF_FFFF, q + 8 <= body + length {
                    entry.size = Int64(le64(cd, q))
                    q += 8
                }
                if entry.compressedSize == 0xFFFF_FFFF, q + 8 <= body + length {
                    entry.compressedSize = Int64(le64(cd, q))
                    q += 8
                }
                if entry.localHeaderOffset == 0xFFFF_FFFF, q + 8 <= body + length {
                    entry.localHeaderOffset = Int64(le64(cd, q))
                }
                return
            }
            p = body + length
        }
    }

    /// Where an entry's data starts (after its local header), or `nil` when the header is bad.
    static func dataOffset(fd: Int32, _ entry: ZipEntry) -> Int64? {
        guard entry.localHeaderOffset >= 0, let local = readAt(fd, entry.localHeaderOffset, 30),
            le32(local, 0) == 0x0403_4B50
        else { return nil }
        return entry.localHeaderOffset + 30 + Int64(le16(local, 26)) + Int64(le16(local, 28))
    }

    /// Exactly `count` bytes at `offset`, or `nil`.
    static func readAt(_ fd: Int32, _ offset: Int64, _ count: Int) -> [UInt8]? {
        guard count >= 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        let ok = bytes.withUnsafeMutableBytes { buf -> Bool in
            guard let base = buf.baseAddress else { return count == 0 }
            while got < count {
                let n = pread(fd, base + got, count - got, off_t(offset + Int64(got)))
                if n > 0 {
                    got += n
                } else if n < 0, errno == EINTR {
                    continue
                } else {
                    return false
                }
            }
            return true
        }
        return ok ? bytes : nil
    }

    static func le16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    static func le32(_ b: [UInt8], _ i: Int) -> UInt32 { UInt32(le16(b, i)) | UInt32(le16(b, i + 2)) << 16 }
    static func le64(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(le32(b, i)) | UInt64(le32(b, i + 4)) << 32 }
}

extension ArchiveReader {
    /// Reads every file entry of a zip archive, in central-directory order, as a member named
    /// `archive!path`. Returns `false` when the file has no end-of-central-directory record.
    func readZip(fd: Int32, fileSize: Int64, name archive: String, _ visit: (String, LineReader) -> SinkAction) -> Bool
    {
        let entries: [ZipEntry]
        switch ZipDirectory.read(fd: fd, fileSize: fileSize) {
        case .notZip:
            return false
        case .corrupt(let message):
            state.error(archive, "corrupt zip archive: \(message)")
            return true
        case .entries(let list):
            entries = list
        }
        for entry in entries where !entry.isDirectory && !entry.isSymlink {
            if state.stopped { break }
            let member = archive + "!" + entry.name
            state.current = member
            if entry.isEncrypted {
                state.note(member, "encrypted member skipped")
                continue
            }
            guard entry.method == 0 || entry.method == 8 else {
                state.note(member, "member compressed with unsupported method \(entry.method) skipped")
                continue
            }
            guard let dataOffset = ZipDirectory.dataOffset(fd: fd, entry), entry.compressedSize >= 0,
                dataOffset <= fileSize - entry.compressedSize
            else {
                state.error(member, "corrupt zip member: bad local header or data outside the file")
                continue
            }
            let raw = FileRangeSource(fd: fd, offset: dataOffset, length: entry.compressedSize, state: state)
            let data: ByteSource =
                entry.method == 8 ? InflateSource(raw, format: .raw, state: state) : raw
            let checked = MeterSource(CRCSource(data, crc: entry.crc, size: entry.size, state: state), state: state)
            readStream(checked, name: member, depth: 1, gzipLayers: 0, skipBinary: true, visit)
            reportFailure(member)
        }
        return true
    }
}
