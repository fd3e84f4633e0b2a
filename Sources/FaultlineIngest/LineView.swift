/// One line handed out by ``LineReader``: borrowed bytes, valid only during the callback.
///
/// `raw` holds the original bytes (for evidence); `text` is what rules match: `raw` with
/// wrappers peeled (UTF-8 BOM on line 1, ANSI escapes, GitHub Actions / Kubernetes CRI
/// timestamp prefixes, docker compose service prefixes). Neither includes the line terminator.
/// Copy the bytes out if they must outlive the callback.
public struct LineView {
    /// 1-based line number in the source.
    public let number: Int
    /// The original bytes, without the line terminator (`\n`, `\r\n` or a lone `\r`).
    public let raw: UnsafeBufferPointer<UInt8>
    /// `raw` with wrappers peeled and ANSI escapes removed: what rules match.
    public let text: UnsafeBufferPointer<UInt8>
    /// `true` when the line exceeded ``ReaderOptions/maxLineBytes`` and was cut.
    public let truncated: Bool

    /// Creates a view over caller-owned bytes (used by readers and by tests feeding assemblers).
    public init(number: Int, raw: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>, truncated: Bool = false)
    {
        self.number = number
        self.raw = raw
        self.text = text
        self.truncated = truncated
    }
}

/// Tuning for ``LineReader``.
public struct ReaderOptions: Sendable, Hashable {
    /// Bytes requested per `read(2)` call; also the initial buffer size.
    public var bufferSize: Int = 65536
    /// Longest line delivered whole; longer lines are cut to this many bytes and flagged.
    public var maxLineBytes: Int = 1 << 20

    /// Creates options; values below 1 are raised to 1.
    public init(bufferSize: Int = 65536, maxLineBytes: Int = 1 << 20) {
        self.bufferSize = max(1, bufferSize)
        self.maxLineBytes = max(1, maxLineBytes)
    }
}
