import FaultlineModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One input to scan: a file path, or `-` for stdin.
public struct InputFile: Sendable, Hashable {
    /// The path as shown to users (`-` for stdin).
    public let path: String
    /// `true` when the user named it (binaries are read on); `false` when a directory walk found it.
    public let explicit: Bool

    /// Creates an input.
    public init(path: String, explicit: Bool) {
        self.path = path
        self.explicit = explicit
    }

    /// `true` for stdin (`-`).
    public var isStdin: Bool { path == "-" }

    /// The name used in diagnostics and evidence: the path, or `<stdin>` for `-`.
    public var displayName: String { isStdin ? "<stdin>" : path }
}

/// Expands command-line paths into the list of files to read.
public enum InputWalker {
    /// Expands paths: `-` means stdin (returned as `InputFile(path: "-", explicit: true)`);
    /// directories are walked recursively and their files returned sorted byte-wise by path
    /// (deterministic); symlinks are not followed in walks (a named symlink is followed);
    /// missing or unreadable paths become error diagnostics naming the path. Hidden files inside
    /// walked directories are included (CI artifact folders hold `.pr_agent.toml`, `.env`), but
    /// `.git` directories are skipped. Sockets, FIFOs and devices found by a walk are skipped.
    /// Named paths keep their command-line order.
    public static func expand(_ paths: [String]) -> (files: [InputFile], diagnostics: [Diagnostic]) {
        var files: [InputFile] = []
        var diagnostics: [Diagnostic] = []
        for path in paths {
            if path == "-" {
                files.append(InputFile(path: "-", explicit: true))
                continue
            }
            var st = stat()
            guard stat(path, &st) == 0 else {
                diagnostics.append(errorDiagnostic(path, errno))
                continue
            }
            if isDirectory(st) {
                var found: [InputFile] = []
                walk(path, into: &found, diagnostics: &diagnostics)
                found.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
                files += found
            } else if access(path, R_OK) != 0 {
                diagnostics.append(errorDiagnostic(path, errno))
            } else {
                files.append(InputFile(path: path, explicit: true))
            }
        }
        return (files, diagnostics)
    }

    private static func walk(_ root: String, into found: inout [InputFile], diagnostics: inout [Diagnostic]) {
        var pending = [root]
        while let dir = pending.popLast() {
            guard let handle = opendir(dir) else {
                diagnostics.append(errorDiagnostic(dir, errno))
                continue
            }
            var names: [String] = []
            while let entry = readdir(handle) {
                let name = withUnsafePointer(to: &entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: $0.pointee)) {
                        String(cString: $0)
                    }
                }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(handle)
            names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let prefix = dir.hasSuffix("/") ? dir : dir + "/"
            var subdirs: [String] = []
            for name in names {
                let path = prefix + name
                var st = stat()
                guard lstat(path, &st) == 0 else {
                    diagnostics.append(errorDiagnostic(path, errno))
                    continue
                }
                if isDirectory(st) {
                    if name != ".git" { subdirs.append(path) }
                } else if (st.st_mode & S_IFMT) == S_IFREG {
                    found.append(InputFile(path: path, explicit: false))
                }
            }
            pending += subdirs.reversed()
        }
    }

    private static func isDirectory(_ st: stat) -> Bool { (st.st_mode & S_IFMT) == S_IFDIR }

    static func errorDiagnostic(_ path: String, _ err: Int32) -> Diagnostic {
        Diagnostic(severity: .error, source: path, message: String(cString: strerror(err)))
    }
}

/// Opens and reads one input.
///
/// An input is read as one or more *members*, each with its own source name and line numbers:
/// a plain file is one member named by its path; a gzip file is one member (its decompressed
/// text) named by its path; a zip or tar archive (optionally gzip-compressed) yields one member
/// per regular file, named `archive!path/in/archive` (`artifact.zip!logs/app.log`). That name is
/// the `source` of evidence and diagnostics (`artifact.zip!logs/app.log:123`). Callers that
/// assemble events should start a fresh assembler per member, so no event spans two members:
/// use ``readMembers(_:options:limits:_:)``, or the `read` overload whose body receives the source.
///
/// Formats are recognised by their magic bytes, not by the file name: gzip (`1F 8B 08`; concatenated
/// members are joined), zip (`PK\u{3}\u{4}`; stored and deflate entries, data descriptors, ZIP64),
/// tar (`ustar` at offset 257; ustar, GNU and pax headers, GNU `L` and pax `path=` long names).
/// One level of nesting is read (a `.gz` or `.tar` inside a zip or tar, `a.zip!b.tar!c.log`);
/// deeper archives and zips inside archives are skipped with a note. Archive members are
/// streamed through zlib into the line reader's buffer and never written to disk; memory stays
/// bounded whatever the archive size. ``ArchiveLimits`` bound the decompressed bytes and the
/// compression ratio (decompression bombs). A corrupt or truncated archive or member becomes an
/// error diagnostic naming `archive!member`; the lines read before the damage are kept, and the
/// other members and inputs are still read. Encrypted zip members and unsupported compression
/// methods are skipped with a note; so are binary members (NUL in the first 8 KiB and not UTF-16),
/// as for walked files. stdin is read as plain text (archives are not detected on stdin).
public enum InputOpener {
    /// How many leading bytes of a walked file are inspected for a NUL byte.
    public static let binarySniffBytes = 8192

    /// Opens and reads one input, calling `body` for each line of every member.
    ///
    /// For a plain file this is the original behaviour: stdin for `-`; a walked (non-explicit) file
    /// whose first 8 KiB holds a NUL byte and is not UTF-16 text (a UTF-16 BOM or the NUL pattern
    /// of ASCII text, with no U+0000 code unit) is skipped with a `.note` diagnostic "binary file
    /// skipped" and `body` is never called. Explicit files and stdin are read on. Open and read
    /// errors become diagnostics naming the input; nothing is thrown. Diagnostics and the reader
    /// name stdin `<stdin>` (``InputFile/displayName``).
    ///
    /// Archives are read too, with default ``ArchiveLimits``, their members one after another; this
    /// overload does not say which member a line came from, and line numbers restart per member.
    /// Prefer ``readMembers(_:options:limits:_:)`` where evidence or events are built.
    public static func read(
        _ file: InputFile, options: ReaderOptions, _ body: (borrowing LineView) -> Void
    ) -> (stats: (bytes: Int, lines: Int), diagnostics: [Diagnostic]) {
        readMembers(file, options: options) { _, reader in reader.forEachLine(body) }
    }

    /// Opens and reads one input, calling `body` for each line with the source name of the member
    /// it belongs to (the path for a plain or gzip file, `archive!member` inside an archive).
    ///
    /// Members are read one after another, so all lines of one `source` arrive together and line
    /// numbers count within that member. See ``readMembers(_:options:limits:_:)`` for the rest of
    /// the contract.
    public static func read(
        _ file: InputFile, options: ReaderOptions, limits: ArchiveLimits = ArchiveLimits(),
        _ body: (_ source: String, _ line: borrowing LineView) -> Void
    ) -> (stats: (bytes: Int, lines: Int), diagnostics: [Diagnostic]) {
        readMembers(file, options: options, limits: limits) { source, reader in
            reader.forEachLine { line in body(source, line) }
        }
    }

    /// Opens one input and calls `member` once per text member with its source name and a fresh
    /// ``LineReader`` over its (decompressed) bytes; the caller reads it with
    /// ``LineReader/forEachLine(_:)`` (typically through one event assembler per member).
    ///
    /// The reader is valid only during the call: members are streamed, so the next member starts
    /// when `member` returns; a member the callback does not read is skipped. The reader's own
    /// diagnostics (truncated lines) are collected after the call. `stats` sums bytes and lines
    /// over the members read (bytes after decompression). A plain file, a gzip file and stdin are
    /// one member each. Never throws; every problem is a diagnostic naming the input or member.
    public static func readMembers(
        _ file: InputFile, options: ReaderOptions, limits: ArchiveLimits = ArchiveLimits(),
        _ member: (_ source: String, _ reader: LineReader) -> Void
    ) -> (stats: (bytes: Int, lines: Int), diagnostics: [Diagnostic]) {
        if file.isStdin {
            let reader = LineReader(fileDescriptor: STDIN_FILENO, source: file.displayName, options: options)
            member(file.displayName, reader)
            return ((reader.bytesRead, reader.lineCount), reader.diagnostics)
        }
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return ((0, 0), [InputWalker.errorDiagnostic(file.path, errno)])
        }
        defer { close(fd) }
        var st = stat()
        let statted = fstat(fd, &st) == 0
        if statted, (st.st_mode & S_IFMT) == S_IFDIR {
            return ((0, 0), [InputWalker.errorDiagnostic(file.path, EISDIR)])
        }
        let regular = statted && (st.st_mode & S_IFMT) == S_IFREG
        if regular, let archived = readArchive(fd, size: Int64(st.st_size), file, options, limits, member) {
            return archived
        }
        if !file.explicit, regular, startsBinary(fd) {
            return ((0, 0), [Diagnostic(severity: .note, source: file.path, message: "binary file skipped")])
        }
        let reader = LineReader(fileDescriptor: fd, source: file.displayName, options: options)
        member(file.displayName, reader)
        return ((reader.bytesRead, reader.lineCount), reader.diagnostics)
    }

    /// Reads a regular file as an archive when its magic bytes say so; `nil` when it is not one
    /// (a file that starts like a zip but has no central directory and no `.zip` name is left to
    /// the plain path: a partial download is binary, not a broken archive).
    private static func readArchive(
        _ fd: Int32, size: Int64, _ file: InputFile, _ options: ReaderOptions, _ limits: ArchiveLimits,
        _ member: (String, LineReader) -> Void
    ) -> (stats: (bytes: Int, lines: Int), diagnostics: [Diagnostic])? {
        let head = ZipDirectory.readAt(fd, 0, Int(min(size, 512))) ?? []
        let kind = head.withUnsafeBufferPointer { h -> UInt8 in
            ArchiveReader.isZip(h) ? 1 : ArchiveReader.isGzip(h) || ArchiveReader.isTar(h) ? 2 : 0
        }
        guard kind != 0 else { return nil }
        let state = ArchiveState(archive: file.path, limits: limits)
        let archive = ArchiveReader(state: state, options: options)
        if kind == 1 {
            guard archive.readZip(fd: fd, fileSize: size, name: file.path, member) else {
                guard file.path.lowercased().hasSuffix(".zip") else { return nil }
                let message = "corrupt zip archive: no end-of-central-directory record (truncated?)"
                return ((0, 0), [Diagnostic(severity: .error, source: file.path, message: message)])
            }
        } else {
            let source = FileRangeSource(fd: fd, offset: 0, length: nil, state: state)
            archive.readStream(
                source, name: file.path, depth: 0, gzipLayers: 0, skipBinary: !file.explicit, member)
            archive.reportFailure(file.path)
        }
        return ((archive.bytes, archive.lines), state.diagnostics)
    }

    /// `true` when the first ``binarySniffBytes`` of a regular file hold a NUL and are not UTF-16
    /// text (read with `pread`, so the file offset is unchanged).
    private static func startsBinary(_ fd: Int32) -> Bool {
        let size = binarySniffBytes
        let buf = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { buf.deallocate() }
        var got = 0
        while got < size {
            let n = pread(fd, buf + got, size - got, off_t(got))
            if n > 0 {
                got += n
            } else if n < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        guard Bytes.find(0, UnsafePointer(buf), from: 0, to: got) != nil else { return false }
        // UTF-16 text (BOM, or the NUL pattern of ASCII text) is read, not skipped.
        return !UTF16.isText(UnsafePointer(buf), got)
    }
}
