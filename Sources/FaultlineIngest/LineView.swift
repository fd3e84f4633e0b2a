/// One line handed out by ``LineReader``: borrowed bytes, valid only during the callback.
///
/// `raw` holds the original bytes (for evidence); `text` is what rules match: the line with
/// wrappers unwrapped and peeled (UTF-8 BOM on line 1, Docker json-file envelopes, Kubernetes
/// CRI prefixes, ANSI escapes, GitHub Actions / GitLab CI timestamp prefixes, docker compose
/// service prefixes and Docker Desktop's timestamp after them, CI workflow markers). Neither
/// includes the line terminator. Copy the bytes out if they must outlive the callback.
///
/// When Docker or CRI split one logical line over several physical lines (partial lines),
/// the reader joins them: `text` is the joined content, `raw` the first physical line and
/// `number` its line number, so evidence points at where the logical line starts.
public struct LineView {
    /// 1-based line number in the source (of the first physical line when partial lines were
    /// joined; counted after UTF-16 transcoding).
    public let number: Int
    /// The original bytes, without the line terminator (`\n`, `\r\n` or a lone `\r`). For a
    /// joined partial line, the first physical line (for example the first Docker JSON
    /// envelope). For a UTF-16 input, the line transcoded to UTF-8.
    public let raw: UnsafeBufferPointer<UInt8>
    /// `raw` with wrappers peeled and ANSI escapes removed: what rules match.
    public let text: UnsafeBufferPointer<UInt8>
    /// `true` when the line exceeded ``ReaderOptions/maxLineBytes`` and was cut.
    public let truncated: Bool
    /// The docker compose service that wrote the line (`librechat-1` in
    /// `librechat-1  | 2025-05-07 21:44:03 error: ...`); empty when the line carries no compose
    /// prefix. Lets the engine scope folding per service. The Docker/CRI output stream is not a
    /// service: see ``stream``.
    public let service: UnsafeBufferPointer<UInt8>
    /// The CI workflow marker peeled from the start of `text` (`##[error]`, `##vso[...]`,
    /// GitLab `section_start:`), or ``CIMarker/none``.
    public let marker: CIMarker
    /// The output stream a wrapper names (Docker JSON `"stream"`, CRI `stdout`/`stderr`, GitLab
    /// `00O`/`01E`), or ``LineStream/unknown``.
    public let stream: LineStream

    /// Creates a view over caller-owned bytes (used by readers and by tests feeding assemblers).
    public init(
        number: Int, raw: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>, truncated: Bool = false,
        service: UnsafeBufferPointer<UInt8> = UnsafeBufferPointer(start: nil, count: 0), marker: CIMarker = .none,
        stream: LineStream = .unknown
    ) {
        self.number = number
        self.raw = raw
        self.text = text
        self.truncated = truncated
        self.service = service
        self.marker = marker
        self.stream = stream
    }
}

/// A CI workflow marker found (and peeled) at the start of a line, after any timestamp.
public enum CIMarker: UInt8, Sendable, Hashable {
    /// No marker.
    case none
    /// GitHub Actions `##[group]`.
    case group
    /// GitHub Actions `##[endgroup]`.
    case endGroup
    /// `##[error]` (GitHub Actions, Azure DevOps) or `##vso[task.logissue type=error]`.
    case error
    /// `##[warning]` (GitHub Actions, Azure DevOps) or `##vso[task.logissue type=warning]`.
    case warning
    /// GitHub Actions `##[notice]`.
    case notice
    /// `##[debug]` (GitHub Actions, Azure DevOps).
    case debug
    /// `##[command]` (GitHub Actions, Azure DevOps): the command line a step runs.
    case command
    /// Azure DevOps `##[section]`.
    case section
    /// Any other Azure DevOps logging command `##vso[area.action ...]`.
    case vso
    /// GitLab CI `section_start:<unix time>:<name>`.
    case sectionStart
    /// GitLab CI `section_end:<unix time>:<name>`.
    case sectionEnd
}

/// The output stream a log wrapper names for a line.
public enum LineStream: UInt8, Sendable, Hashable {
    /// No wrapper named a stream.
    case unknown
    /// Standard output.
    case stdout
    /// Standard error.
    case stderr
}

/// Tuning for ``LineReader``.
public struct ReaderOptions: Sendable, Hashable {
    /// Bytes requested per `read(2)` call; also the initial buffer size.
    public var bufferSize: Int = 65536
    /// Longest line delivered whole; longer lines (and joined partial lines) are cut to this
    /// many bytes and flagged.
    public var maxLineBytes: Int = 1 << 20

    /// Creates options; values below 1 are raised to 1.
    public init(bufferSize: Int = 65536, maxLineBytes: Int = 1 << 20) {
        self.bufferSize = max(1, bufferSize)
        self.maxLineBytes = max(1, maxLineBytes)
    }
}
