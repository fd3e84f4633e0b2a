import FaultlineIngest
import FaultlineModel

extension ScanSession {
    /// Scans one input (`-` is stdin): a plain file, or every member of an archive, each member
    /// through its own event assembler. `displayName` overrides the source name shown in evidence.
    ///
    /// The only part of the engine that knows files: opening, archives and binary detection are
    /// Ingest's (``InputOpener``); the session only sees each member's lines.
    @discardableResult
    public func scan(_ file: InputFile, displayName: String? = nil) -> SinkAction {
        let shown = displayName ?? (file.path == "-" ? "<stdin>" : file.path)
        /// A member's source as shown: the file's own name for a plain file, `shown!inner` for an
        /// archive member.
        func rename(_ source: String) -> String {
            if source == file.path || source == file.displayName || source == "-" { return shown }
            if source.hasPrefix(file.path + "!") { return shown + source.dropFirst(file.path.count) }
            return source
        }
        var found = Diagnostics()
        let stats = InputOpener.readMembers(
            file, options: options.reader, limits: options.archive, control: control, diagnostics: &found
        ) { member, reader in
            // Events never span archive members: one assembler per member.
            scan(reader: reader, source: rename(member))
        }
        progress?.fileDone()
        self.stats.files += 1
        lastSourceLines = stats.lines
        self.stats.bytes += stats.bytes
        self.stats.lines += stats.lines
        for var d in found.all {
            if let source = d.source { d.source = rename(source) }
            diagnostics.add(d)
        }
        return isStopped ? .stop : .proceed
    }
}
