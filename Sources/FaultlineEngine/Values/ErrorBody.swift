import FaultlineText

/// The fields of a service error body as SDKs print it, read by a tolerant parser.
///
/// Understood shapes:
/// - Python dict reprs (openai-python's `Error code: 401 - {…}`): single-quoted strings, double-quoted
///   strings when the text holds `'`, `None`/`True`/`False`, escaped quotes and `\r\n`, nesting;
/// - JSON (`{"error":{"code":"DeploymentNotFound","message":"…"}}`), also an error JSON held as an
///   escaped string inside another JSON (`"{\"error\":…}"`), which is unescaped once and parsed;
/// - Node's `util.inspect` output of openai-node and axios errors (bare keys, `'…' +` string
///   concatenation, `[Object]`, class-name prefixes such as `Headers {`);
/// - Azure's `{'statusCode': 401, 'message': '…'}` and `{'Message': '…'}`.
///
/// The parser is bounded: it reads at most ``inputCap`` bytes of a body, nests at most
/// ``depthLimit`` levels, consumes every byte at most once, and on anything it does not understand
/// (an unbalanced quote, a truncated body, stray punctuation) keeps what it parsed so far. It never
/// traps on input.
public struct ErrorBody: Sendable, Hashable {
    /// Bytes of one body that are read at most; the rest is ignored.
    public static let inputCap = 64 * 1024
    /// Nesting depth at which parsing stops (what was parsed until then is kept).
    public static let depthLimit = 32
    /// Longest value kept, in characters; longer messages are cut and end in `…`.
    public static let valueCap = 1024

    /// `error.code`: the provider's error code (`DeploymentNotFound`, `invalid_api_key`, `429`).
    public var code: String?
    /// `error.type`: the provider's error type (`invalid_request_error`).
    public var type: String?
    /// `error.message`: the message, whitespace (including `\r\n`) collapsed to single spaces.
    public var message: String?
    /// `error.param`: the parameter the error is about (`prompt`, `stream`).
    public var param: String?
    /// `status`: the HTTP status the body states (`statusCode`, `status`), 100–599.
    public var status: Int?
    /// `error.inner_code`: the code of `innererror` / `inner_error` (`ResponsibleAIPolicyViolation`).
    public var innerCode: String?
    /// `content_filter.category`: the content-filter category that filtered (`hate`, `jailbreak`);
    /// when several did, the one with the highest severity (the first on a tie).
    public var contentFilterCategory: String?
    /// `content_filter.severity`: that category's severity (`safe`, `low`, `medium`, `high`), when stated.
    public var contentFilterSeverity: String?

    /// An empty body.
    public init() {}

    /// Whether no field was found.
    public var isEmpty: Bool { fields.isEmpty }

    /// Whether the body states something beyond a message: a code, type, status or inner code.
    var isStrong: Bool { code != nil || type != nil || status != nil || innerCode != nil }

    /// The fields under their value names (`error.code`, `error.type`, `error.message`,
    /// `error.param`, `status`, `error.inner_code`, `content_filter.category`,
    /// `content_filter.severity`); only those found.
    public var fields: [String: String] {
        var out: [String: String] = [:]
        out["error.code"] = code
        out["error.type"] = type
        out["error.message"] = message
        out["error.param"] = param
        out["status"] = status.map(String.init)
        out["error.inner_code"] = innerCode
        out["content_filter.category"] = contentFilterCategory
        out["content_filter.severity"] = contentFilterSeverity
        return out
    }

    /// Parses the body that starts at the first `{` of `text`; `nil` when there is no `{` or the
    /// body holds none of the fields.
    public init?(parsing text: String) {
        var copy = text
        let body: ErrorBody? = copy.withUTF8 { buffer in
            guard let start = buffer.firstIndex(of: UInt8(ascii: "{")) else { return nil }
            return Self.parse(buffer, at: start, escaped: false).body
        }
        guard let body, !body.isEmpty else { return nil }
        self = body
    }

    /// The error body of an event: the earliest body that states a code, type, status or inner
    /// code, else the earliest one that states at least a message; `nil` when none does.
    ///
    /// A body is looked for at each `{` followed (after whitespace) by one of the keys `error`,
    /// `statusCode`, `status`, `code`, `message`, `Message`, `error_code`, quoted, bare or
    /// JSON-escaped (`{\"error\"`). Work is bounded: at most ``maxAttempts`` bodies are parsed,
    /// each capped at ``inputCap`` bytes.
    public static func find(in text: UnsafeBufferPointer<UInt8>) -> ErrorBody? {
        var weak: ErrorBody? = nil
        var attempts = 0
        var index = 0
        while index < text.count, attempts < maxAttempts {
            guard let open = Self.nextBrace(in: text, from: index) else { break }
            index = open + 1
            guard let escaped = Self.candidate(text, at: open) else { continue }
            attempts += 1
            let result = Self.parse(text, at: open, escaped: escaped)
            guard let body = result.body, !body.isEmpty else { continue }
            if body.isStrong { return body }
            if weak == nil { weak = body }
        }
        return weak
    }

    /// ``find(in:)`` over a string.
    public static func find(in text: String) -> ErrorBody? {
        var copy = text
        return copy.withUTF8 { find(in: $0) }
    }

    /// Bodies parsed at most per event.
    public static let maxAttempts = 16

    // MARK: - Finding

    private static func nextBrace(in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index < text.count {
            if text[index] == Byte.openBrace { return index }
            index += 1
        }
        return nil
    }

    /// Keys that open an error body.
    private static let openingKeys: Set<String> = [
        "error", "statusCode", "status", "code", "message", "Message", "error_code",
    ]

    /// Whether a body starts at `open` (a `{`): `false` for a plain body, `true` for a JSON-escaped
    /// one (`{\"error\"`), `nil` for no body.
    private static func candidate(_ text: UnsafeBufferPointer<UInt8>, at open: Int) -> Bool? {
        var index = open + 1
        var skipped = 0
        while index < text.count, Byte.isSpace(text[index]), skipped < 64 {
            index += 1
            skipped += 1
        }
        var escaped = false
        if index + 1 < text.count, text[index] == Byte.backslash, text[index + 1] == Byte.doubleQuote {
            escaped = true
            index += 2
        } else if index < text.count, text[index] == Byte.singleQuote || text[index] == Byte.doubleQuote {
            index += 1
        }
        let start = index
        while index < text.count, index - start < 16, Byte.isKey(text[index]) { index += 1 }
        guard index > start else { return nil }
        let key = String(decoding: UnsafeBufferPointer(rebasing: text[start..<index]), as: UTF8.self)
        return openingKeys.contains(key) ? escaped : nil
    }

    /// Parses the body at `open`, unescaping it once first when `escaped`.
    static func parse(_ text: UnsafeBufferPointer<UInt8>, at open: Int, escaped: Bool) -> (body: ErrorBody?, end: Int) {
        let end = min(text.count, open + inputCap)
        if escaped {
            let unescaped = Self.unescapeOnce(UnsafeBufferPointer(rebasing: text[open..<end]))
            let body = unescaped.withUnsafeBufferPointer { buffer -> ErrorBody? in
                var reader = BodyReader(buffer, from: 0, end: buffer.count)
                return reader.value().map { Self.fields(of: $0, level: 0) }
            }
            return (body, end)
        }
        var reader = BodyReader(text, from: open, end: end)
        let node = reader.value()
        return (node.map { Self.fields(of: $0, level: 0) }, reader.position)
    }

    /// Undoes one level of JSON string escaping (``JSONString/unescaped(_:)``), up to the closing
    /// (unescaped) `"` of the string that holds the body.
    static func unescapeOnce(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var end = 0
        while end < text.count, text[end] != Byte.doubleQuote {
            end += text[end] == Byte.backslash ? 2 : 1
        }
        return JSONString.unescaped(UnsafeBufferPointer(rebasing: text[0..<min(end, text.count)]))
    }
}
