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
        let outcome = InputOpener.readMembers(file, options: options.reader, limits: options.archive, control: control)
        { member, reader in
            // Events never span archive members: one assembler per member.
            scan(reader: reader, source: rename(member))
        }
        progress?.fileDone()
        stats.files += 1
        lastSourceLines = outcome.stats.lines
        stats.bytes += outcome.stats.bytes
        stats.lines += outcome.stats.lines
        diagnostics += outcome.diagnostics.map { d in
            var d = d
            if let source = d.source { d.source = rename(source) }
            return d
        }
        return isStopped ? .stop : .proceed
    }
}
