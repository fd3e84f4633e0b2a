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
public enum InputOpener {
    /// How many leading bytes of a walked file are inspected for a NUL byte.
    public static let binarySniffBytes = 8192

    /// Opens and reads one input: stdin for `-`. For a walked (non-explicit) file, if its first
    /// 8 KiB holds a NUL byte and is not UTF-16 text (a UTF-16 BOM or the NUL pattern of ASCII
    /// text, with no U+0000 code unit), it is skipped with a `.note` diagnostic "binary file skipped" and
    /// `body` is never called. Explicit files and stdin are read on. Open and read errors become
    /// diagnostics naming the input; nothing is thrown. Diagnostics and the reader name stdin
    /// `<stdin>` (``InputFile/displayName``).
    public static func read(
        _ file: InputFile, options: ReaderOptions, _ body: (borrowing LineView) -> Void
    ) -> (stats: (bytes: Int, lines: Int), diagnostics: [Diagnostic]) {
        if file.isStdin {
            let reader = LineReader(fileDescriptor: STDIN_FILENO, source: file.displayName, options: options)
            reader.forEachLine(body)
            return ((reader.bytesRead, reader.lineCount), reader.diagnostics)
        }
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return ((0, 0), [InputWalker.errorDiagnostic(file.path, errno)])
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            return ((0, 0), [InputWalker.errorDiagnostic(file.path, EISDIR)])
        }
        if !file.explicit, (st.st_mode & S_IFMT) == S_IFREG, startsBinary(fd) {
            return ((0, 0), [Diagnostic(severity: .note, source: file.path, message: "binary file skipped")])
        }
        let reader = LineReader(fileDescriptor: fd, source: file.displayName, options: options)
        reader.forEachLine(body)
        return ((reader.bytesRead, reader.lineCount), reader.diagnostics)
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
