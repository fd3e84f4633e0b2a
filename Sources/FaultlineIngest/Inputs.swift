import FaultlineModel
import FaultlineText

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

/// How ``InputWalker`` walks directories.
///
/// Globs match the path of a file relative to the walked directory (`logs/app.log` for
/// `artifacts/logs/app.log` when `artifacts` was named): `*` within one path segment, `?` one
/// character other than `/`, `**` any number of directories. A glob without `/` matches the
/// file name at any depth (`*.log` is `**/*.log`), as in `.gitignore`; a glob with `/` is
/// anchored at the walked directory (`node_modules/**`). Globs apply to files found by walks,
/// never to paths named on the command line.
public struct WalkOptions: Sendable, Hashable {
    /// Files to keep; empty keeps every file.
    public var include: [String]
    /// Files to drop; wins over ``include``. A directory whose path matches, or whose contents a
    /// `dir/**` glob covers, is not entered at all.
    public var exclude: [String]
    /// Follow symbolic links to files and directories found by walks. A link back to a
    /// directory on the current path (device and inode) is a loop: it is not entered and
    /// becomes a note naming the link. Links are never followed when `false` (a named path is
    /// always followed).
    public var followSymlinks: Bool

    /// Creates walk options; the defaults walk everything and do not follow links.
    public init(include: [String] = [], exclude: [String] = [], followSymlinks: Bool = false) {
        self.include = include
        self.exclude = exclude
        self.followSymlinks = followSymlinks
    }
}

/// Expands command-line paths into the list of files to read.
public enum InputWalker {
    /// Expands paths with default ``WalkOptions`` (every file, links not followed).
    ///
    /// `-` means stdin (returned as `InputFile(path: "-", explicit: true)`); directories are
    /// walked recursively and their files returned sorted byte-wise by path (deterministic);
    /// symlinks are not followed in walks (a named symlink is followed); missing or unreadable
    /// paths become error diagnostics naming the path. Hidden files inside walked directories
    /// are included (CI artifact folders hold `.pr_agent.toml`, `.env`), but `.git` directories
    /// are skipped. Sockets, FIFOs and devices found by a walk are skipped. Named paths keep
    /// their command-line order.
    public static func expand(_ paths: [String], diagnostics: inout Diagnostics) -> [InputFile] {
        expand(paths, options: WalkOptions(), diagnostics: &diagnostics)
    }

    /// Expands paths as ``expand(_:)`` does, filtering walked files with the include and exclude
    /// globs of `options` and following symlinks when it says so (see ``WalkOptions``). The
    /// result stays sorted and deterministic; a symlink loop is a `.note` diagnostic, never a
    /// hang; a dangling link found while following links is a `.note` too.
    public static func expand(_ paths: [String], options: WalkOptions, diagnostics: inout Diagnostics) -> [InputFile] {
        let filter = Filter(options)
        var files: [InputFile] = []
        var problems: [Diagnostic] = []
        defer { diagnostics.add(contentsOf: problems) }
        for path in paths {
            if path == "-" {
                files.append(InputFile(path: "-", explicit: true))
                continue
            }
            var st = stat()
            guard stat(path, &st) == 0 else {
                problems.append(errorDiagnostic(path, errno))
                continue
            }
            if isDirectory(st) {
                var found: [InputFile] = []
                var ancestors: Set<DirectoryID> = [DirectoryID(st)]
                walk(path, relative: "", filter, ancestors: &ancestors, into: &found, diagnostics: &problems)
                found.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
                files += found
            } else if access(path, R_OK) != 0 {
                problems.append(errorDiagnostic(path, errno))
            } else {
                files.append(InputFile(path: path, explicit: true))
            }
        }
        return files
    }

    /// The compiled globs of a ``WalkOptions``.
    private struct Filter {
        let include: [PathGlob]
        let exclude: [PathGlob]
        let follow: Bool

        init(_ options: WalkOptions) {
            include = options.include.map(PathGlob.init)
            exclude = options.exclude.map(PathGlob.init)
            follow = options.followSymlinks
        }

        func keepsFile(_ relative: String) -> Bool {
            (include.isEmpty || include.contains { $0.matches(relative) })
                && !exclude.contains { $0.matches(relative) }
        }

        func entersDirectory(_ relative: String) -> Bool {
            !exclude.contains { $0.coversDirectory(relative) }
        }
    }

    /// A directory's identity, for loop detection.
    private struct DirectoryID: Hashable {
        let device: UInt64
        let inode: UInt64

        init(_ st: stat) {
            device = UInt64(truncatingIfNeeded: st.st_dev)
            inode = UInt64(truncatingIfNeeded: st.st_ino)
        }
    }

    private static func walk(
        _ dir: String, relative: String, _ filter: Filter, ancestors: inout Set<DirectoryID>,
        into found: inout [InputFile], diagnostics: inout [Diagnostic]
    ) {
        guard let handle = opendir(dir) else {
            diagnostics.append(errorDiagnostic(dir, errno))
            return
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
        for name in names {
            let path = prefix + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else {
                diagnostics.append(errorDiagnostic(path, errno))
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFLNK {
                guard filter.follow else { continue }
                guard stat(path, &st) == 0 else {
                    diagnostics.append(
                        Diagnostic(severity: .note, source: path, message: "dangling symlink skipped"))
                    continue
                }
            }
            if isDirectory(st) {
                guard name != ".git", filter.entersDirectory(rel) else { continue }
                let id = DirectoryID(st)
                guard ancestors.insert(id).inserted else {
                    diagnostics.append(
                        Diagnostic(
                            severity: .note, source: path,
                            message: "symlink loop not followed: it leads back to an enclosing directory"))
                    continue
                }
                walk(path, relative: rel, filter, ancestors: &ancestors, into: &found, diagnostics: &diagnostics)
                ancestors.remove(id)
            } else if (st.st_mode & S_IFMT) == S_IFREG, filter.keepsFile(rel) {
                found.append(InputFile(path: path, explicit: false))
            }
        }
    }

    private static func isDirectory(_ st: stat) -> Bool { (st.st_mode & S_IFMT) == S_IFDIR }

    static func errorDiagnostic(_ path: String, _ err: Int32) -> Diagnostic {
        Diagnostic(severity: .error, source: path, message: String(cString: strerror(err)))
    }
}

/// Bytes and lines read from one input (bytes after decompression; lines over every member).
public struct ReadStats: Sendable, Hashable {
    /// Bytes read, after decompression.
    public var bytes = 0
    /// Lines read, over every member.
    public var lines = 0

    /// Counts of `bytes` and `lines`.
    public init(bytes: Int = 0, lines: Int = 0) {
        self.bytes = bytes
        self.lines = lines
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
        _ file: InputFile, options: ReaderOptions, diagnostics: inout Diagnostics,
        _ body: (borrowing LineView) -> Void
    ) -> ReadStats {
        readMembers(file, options: options, diagnostics: &diagnostics) { _, reader in
            reader.forEachLine(body)
            return .proceed
        }
    }

    /// Opens and reads one input, calling `body` for each line with the source name of the member
    /// it belongs to (the path for a plain or gzip file, `archive!member` inside an archive).
    ///
    /// Members are read one after another, so all lines of one `source` arrive together and line
    /// numbers count within that member. See ``readMembers(_:options:limits:_:)`` for the rest of
    /// the contract.
    public static func read(
        _ file: InputFile, options: ReaderOptions, limits: ArchiveLimits = ArchiveLimits(),
        diagnostics: inout Diagnostics, _ body: (_ source: String, _ line: borrowing LineView) -> Void
    ) -> ReadStats {
        readMembers(file, options: options, limits: limits, diagnostics: &diagnostics) { source, reader in
            reader.forEachLine { line in body(source, line) }
            return .proceed
        }
    }

    /// Opens one input and calls `member` once per text member with its source name and a fresh
    /// ``LineReader`` over its (decompressed) bytes; the caller reads it with
    /// ``LineReader/read(into:)`` (typically into one event assembler per member). When `member`
    /// returns ``SinkAction/stop``, no further member is read.
    ///
    /// `control` reaches every reader: its cancellation ends a read interrupted by a signal, its
    /// progress counts the bytes read.
    ///
    /// The reader is valid only during the call: members are streamed, so the next member starts
    /// when `member` returns; a member the callback does not read is skipped. The reader's own
    /// diagnostics (truncated lines) are collected after the call. `stats` sums bytes and lines
    /// over the members read (bytes after decompression). A plain file, a gzip file and stdin are
    /// one member each. Never throws; every problem is a diagnostic naming the input or member.
    public static func readMembers(
        _ file: InputFile, options: ReaderOptions, limits: ArchiveLimits = ArchiveLimits(),
        control: ReadControl = ReadControl(), diagnostics: inout Diagnostics,
        _ member: (_ source: String, _ reader: LineReader) -> SinkAction
    ) -> ReadStats {
        let (stats, found) = openMembers(file, options: options, limits: limits, control: control, member)
        diagnostics.add(contentsOf: found)
        return stats
    }

    private static func openMembers(
        _ file: InputFile, options: ReaderOptions, limits: ArchiveLimits, control: ReadControl,
        _ member: (_ source: String, _ reader: LineReader) -> SinkAction
    ) -> (ReadStats, [Diagnostic]) {
        if file.isStdin {
            let reader = LineReader(
                fileDescriptor: STDIN_FILENO, source: file.displayName, options: options, control: control)
            _ = member(file.displayName, reader)
            return (ReadStats(bytes: reader.bytesRead, lines: reader.lineCount), reader.diagnostics)
        }
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return (ReadStats(), [InputWalker.errorDiagnostic(file.path, errno)])
        }
        defer { close(fd) }
        var st = stat()
        let statted = fstat(fd, &st) == 0
        if statted, (st.st_mode & S_IFMT) == S_IFDIR {
            return (ReadStats(), [InputWalker.errorDiagnostic(file.path, EISDIR)])
        }
        let regular = statted && (st.st_mode & S_IFMT) == S_IFREG
        if regular, let archived = readArchive(fd, size: Int64(st.st_size), file, options, limits, control, member) {
            return archived
        }
        if !file.explicit, regular, startsBinary(fd) {
            return (ReadStats(), [Diagnostic(severity: .note, source: file.path, message: "binary file skipped")])
        }
        let reader = LineReader(fileDescriptor: fd, source: file.displayName, options: options, control: control)
        _ = member(file.displayName, reader)
        return (ReadStats(bytes: reader.bytesRead, lines: reader.lineCount), reader.diagnostics)
    }

    /// Reads a regular file as an archive when its magic bytes say so; `nil` when it is not one
    /// (a file that starts like a zip but has no central directory and no `.zip` name is left to
    /// the plain path: a partial download is binary, not a broken archive).
    private static func readArchive(
        _ fd: Int32, size: Int64, _ file: InputFile, _ options: ReaderOptions, _ limits: ArchiveLimits,
        _ control: ReadControl, _ member: (String, LineReader) -> SinkAction
    ) -> (ReadStats, [Diagnostic])? {
        let head = ZipDirectory.readAt(fd, 0, Int(min(size, 512))) ?? []
        let kind = head.withUnsafeBufferPointer { h -> UInt8 in
            ArchiveReader.isZip(h) ? 1 : ArchiveReader.isGzip(h) || ArchiveReader.isTar(h) ? 2 : 0
        }
        guard kind != 0 else { return nil }
        let state = ArchiveState(archive: file.path, limits: limits)
        let archive = ArchiveReader(state: state, options: options, control: control)
        if kind == 1 {
            guard archive.readZip(fd: fd, fileSize: size, name: file.path, member) else {
                guard file.path.lowercased().hasSuffix(".zip") else { return nil }
                let message = "corrupt zip archive: no end-of-central-directory record (truncated?)"
                return (ReadStats(), [Diagnostic(severity: .error, source: file.path, message: message)])
            }
        } else {
            let source = FileRangeSource(fd: fd, offset: 0, length: nil, state: state)
            archive.readStream(
                source, name: file.path, depth: 0, gzipLayers: 0, skipBinary: !file.explicit, member)
            archive.reportFailure(file.path)
        }
        return (ReadStats(bytes: archive.bytes, lines: archive.lines), state.diagnostics)
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
        guard ASCII.find(0, UnsafePointer(buf), from: 0, to: got) != nil else { return false }
        // UTF-16 text (BOM, or the NUL pattern of ASCII text) is read, not skipped.
        return !UTF16.isText(UnsafePointer(buf), got)
    }
}
