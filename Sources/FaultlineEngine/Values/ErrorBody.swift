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

    /// Undoes one level of JSON string escaping, up to the closing (unescaped) `"` of the string
    /// that holds the body.
    static func unescapeOnce(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte == Byte.doubleQuote { break }
            guard byte == Byte.backslash, index + 1 < text.count else {
                out.append(byte)
                index += 1
                continue
            }
            let next = text[index + 1]
            index += 2
            switch next {
            case UInt8(ascii: "n"): out.append(Byte.newline)
            case UInt8(ascii: "r"): out.append(Byte.carriageReturn)
            case UInt8(ascii: "t"): out.append(Byte.tab)
            case UInt8(ascii: "u"):
                if let scalar = BodyReader.hexScalar(text, at: index, digits: 4) {
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    index += 4
                } else {
                    out.append(contentsOf: [Byte.backslash, next])
                }
            default: out.append(next)
            }
        }
        return out
    }

    // MARK: - Mapping

    /// Reads the fields from a parsed node. `level` counts error JSONs nested as strings.
    static func fields(of node: BodyNode, level: Int) -> ErrorBody {
        var body = ErrorBody()
        guard case .dict = node else { return body }
        var container = node
        // axios: the service body is `response.data`, the status `response.status`.
        if let response = node["response"], let data = response["data"], case .dict = data {
            container = data
            body.status = response["status"].flatMap(Self.status)
        }
        var error = container
        var nested: ErrorBody? = nil
        switch container["error"] {
        case .dict?:
            error = container["error"] ?? container
        case .string(let text)?:
            if let inner = Self.nestedBody(text, level: level) {
                nested = inner
            } else {
                body.message = Self.clean(text)
            }
        default:
            break
        }
        body.code = Self.text(error["code"]) ?? Self.text(container["code"]) ?? Self.text(container["error_code"])
        body.type = Self.text(error["type"]) ?? Self.text(error["error_type"])
        body.param = Self.text(error["param"]) ?? Self.text(error["error_param"])
        for candidate in [error["message"], error["Message"], container["message"], container["Message"]] {
            guard case .string(let text)? = candidate else { continue }
            if let inner = Self.nestedBody(text, level: level) {
                if nested == nil { nested = inner }
            } else if body.message == nil {
                body.message = Self.clean(text)
            }
            break
        }
        if body.status == nil {
            body.status =
                [
                    container["statusCode"], error["status"], container["status"], error["statusCode"],
                    error["status_code"], container["status_code"],
                ].lazy.compactMap { $0.flatMap(Self.status) }.first
        }
        let inner = error["innererror"] ?? error["inner_error"] ?? container["innererror"] ?? container["inner_error"]
        body.innerCode = inner.flatMap { Self.text($0["code"]) }
        let filter =
            inner?["content_filter_result"] ?? inner?["content_filter_results"] ?? error["content_filter_result"]
            ?? error["content_filter_results"]
        if let filter, let (category, severity) = Self.filtered(filter) {
            body.contentFilterCategory = category
            body.contentFilterSeverity = severity
        }
        if let nested {
            body.code = body.code ?? nested.code
            body.type = body.type ?? nested.type
            body.message = body.message ?? nested.message
            body.param = body.param ?? nested.param
            body.status = body.status ?? nested.status
            body.innerCode = body.innerCode ?? nested.innerCode
            if body.contentFilterCategory == nil {
                body.contentFilterCategory = nested.contentFilterCategory
                body.contentFilterSeverity = nested.contentFilterSeverity
            }
        }
        return body
    }

    /// A string that is itself an error body (`"{\"error\": …}"`, already unescaped by the
    /// reader), parsed; at most two levels deep.
    private static func nestedBody(_ text: String, level: Int) -> ErrorBody? {
        guard level < 2, text.utf8.first(where: { !Byte.isSpace($0) }) == Byte.openBrace else { return nil }
        var copy = text
        return copy.withUTF8 { buffer -> ErrorBody? in
            guard let open = buffer.firstIndex(of: Byte.openBrace) else { return nil }
            var reader = BodyReader(buffer, from: open, end: min(buffer.count, open + inputCap))
            guard let node = reader.value() else { return nil }
            let body = Self.fields(of: node, level: level + 1)
            return body.isEmpty ? nil : body
        }
    }

    /// The filtered category with the highest severity, earliest on a tie.
    private static func filtered(_ node: BodyNode) -> (String, String?)? {
        guard case .dict(let entries) = node else { return nil }
        var best: (category: String, severity: String?, rank: Int)? = nil
        for entry in entries {
            let (category, value) = (entry.key, entry.value)
            var isFiltered = Self.truth(value["filtered"])
            // custom_blocklists: a list of {id, filtered}, or {filtered, details: [...]}
            if !isFiltered, case .list(let items) = value {
                isFiltered = items.contains { Self.truth($0["filtered"]) }
            }
            guard isFiltered else { continue }
            let severity = Self.text(value["severity"])?.lowercased()
            let rank = severity.map { Self.severityRank[$0] ?? 0 } ?? -1
            if let current = best, current.rank >= rank { continue }
            best = (category, severity, rank)
        }
        return best.map { ($0.category, $0.severity) }
    }

    private static let severityRank: [String: Int] = ["safe": 0, "low": 1, "medium": 2, "high": 3]

    private static func truth(_ node: BodyNode?) -> Bool {
        switch node {
        case .bool(let value)?: value
        case .string(let text)?, .word(let text)?: text.lowercased() == "true"
        default: false
        }
    }

    /// A code, type or param as text: strings and numbers; never a placeholder.
    private static func text(_ node: BodyNode?) -> String? {
        switch node {
        case .string(let text)?, .word(let text)?, .number(let text)?:
            let value = clean(text)
            guard !value.isEmpty else { return nil }
            switch value.lowercased() {
            case "none", "null", "nil", "undefined", "[object]", "[array]": return nil
            default: return value
            }
        default:
            return nil
        }
    }

    /// A status (100–599) from a number or a numeric string.
    private static func status(_ node: BodyNode) -> Int? {
        switch node {
        case .number(let text), .string(let text):
            guard let number = Int(text.trimmingSpaces), (100...599).contains(number) else { return nil }
            return number
        default:
            return nil
        }
    }

    /// Whitespace runs (including line breaks) become one space; trimmed; capped at ``valueCap``.
    static func clean(_ text: String) -> String {
        var out = ""
        var pendingSpace = false
        var count = 0
        for character in text {
            if character.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if count >= valueCap {
                out.append("…")
                break
            }
            if pendingSpace {
                out.append(" ")
                count += 1
                pendingSpace = false
            }
            out.append(character)
            count += 1
        }
        return out
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? endIndex
        return start < end ? self[start..<end] : ""
    }
}

// MARK: - Tree and reader

/// A parsed value of an error body.
indirect enum BodyNode: Sendable, Hashable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    /// A bare word that is none of the above (`invalid_request_error` in key=value text, `[Function`).
    case word(String)
    case dict([Entry])
    case list([BodyNode])

    struct Entry: Sendable, Hashable {
        let key: String
        let value: BodyNode
    }

    /// The value of the first entry named `key` of a dict; `nil` for other nodes.
    subscript(key: String) -> BodyNode? {
        guard case .dict(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }
}

extension BodyNode.Entry {
    fileprivate init(_ key: String, _ value: BodyNode) {
        self.key = key
        self.value = value
    }
}

/// Byte constants and classes.
enum Byte {
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let singleQuote = UInt8(ascii: "'")
    static let doubleQuote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let equals = UInt8(ascii: "=")
    static let plus = UInt8(ascii: "+")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let tab = UInt8(ascii: "\t")
    static let space = UInt8(ascii: " ")

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == newline || byte == carriageReturn
    }

    /// Bytes of a bare key: letters, digits, `_`, `$`, `-`, `.`.
    @inline(__always)
    static func isKey(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".")
    }
}

/// A single-pass reader of repr / JSON / util.inspect values. Every step consumes at least one
/// byte, so reading ends after at most `end - from` steps; nesting beyond
/// ``ErrorBody/depthLimit`` stops the read.
struct BodyReader {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position: Int
    let end: Int
    private var depth = 0
    private var stopped = false

    init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) {
        self.bytes = bytes
        self.position = start
        self.end = min(end, bytes.count)
    }

    private mutating func skipSpace() {
        while position < end, Byte.isSpace(bytes[position]) { position += 1 }
    }

    /// The next value, or `nil` at the end of input.
    mutating func value() -> BodyNode? {
        skipSpace()
        guard position < end, !stopped else { return nil }
        switch bytes[position] {
        case Byte.openBrace: return dict()
        case Byte.openBracket: return list()
        case Byte.singleQuote, Byte.doubleQuote: return .string(concatenatedString())
        default: return scalar()
        }
    }

    private mutating func enter() -> Bool {
        depth += 1
        if depth > ErrorBody.depthLimit { stopped = true }
        return !stopped
    }

    private mutating func dict() -> BodyNode {
        position += 1  // {
        var entries: [BodyNode.Entry] = []
        defer { depth -= 1 }
        guard enter() else { return .dict(entries) }
        while !stopped {
            skipSpace()
            guard position < end else { break }
            let byte = bytes[position]
            if byte == Byte.closeBrace {
                position += 1
                break
            }
            guard let key = key() else {
                position += 1  // a comma, stray punctuation: skip it
                continue
            }
            skipSpace()
            guard position < end, bytes[position] == Byte.colon || bytes[position] == Byte.equals else { continue }
            position += 1
            guard let value = value() else { break }
            entries.append(BodyNode.Entry(key, value))
        }
        return .dict(entries)
    }

    private mutating func list() -> BodyNode {
        position += 1  // [
        var items: [BodyNode] = []
        defer { depth -= 1 }
        guard enter() else { return .list(items) }
        while !stopped {
            skipSpace()
            guard position < end else { break }
            let byte = bytes[position]
            if byte == Byte.closeBracket {
                position += 1
                break
            }
            if byte == Byte.comma || byte == Byte.closeBrace || byte == Byte.colon {
                position += 1
                continue
            }
            guard let item = value() else { break }
            items.append(item)
        }
        return .list(items)
    }

    /// A quoted key or a bare one; `nil` (nothing consumed) for anything else.
    private mutating func key() -> String? {
        let byte = bytes[position]
        if byte == Byte.singleQuote || byte == Byte.doubleQuote { return string() }
        let start = position
        while position < end, Byte.isKey(bytes[position]) { position += 1 }
        guard position > start else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// A string, joined with the strings that follow it after `+` (util.inspect splits long
    /// strings as `'…' +\n '…'`).
    private mutating func concatenatedString() -> String {
        var text = string()
        while true {
            var look = position
            while look < end, Byte.isSpace(bytes[look]) { look += 1 }
            guard look < end, bytes[look] == Byte.plus else { break }
            look += 1
            while look < end, Byte.isSpace(bytes[look]) { look += 1 }
            guard look < end, bytes[look] == Byte.singleQuote || bytes[look] == Byte.doubleQuote else { break }
            position = look
            text += string()
        }
        return text
    }

    /// A quoted string with Python/JSON/JS escapes undone. An unclosed string runs to the end.
    private mutating func string() -> String {
        let quote = bytes[position]
        position += 1
        var out: [UInt8] = []
        while position < end {
            let byte = bytes[position]
            if byte == quote {
                position += 1
                return String(decoding: out, as: UTF8.self)
            }
            guard byte == Byte.backslash, position + 1 < end else {
                out.append(byte)
                position += 1
                continue
            }
            let next = bytes[position + 1]
            position += 2
            switch next {
            case UInt8(ascii: "n"): out.append(Byte.newline)
            case UInt8(ascii: "r"): out.append(Byte.carriageReturn)
            case UInt8(ascii: "t"): out.append(Byte.tab)
            case UInt8(ascii: "u"), UInt8(ascii: "x"), UInt8(ascii: "U"):
                let digits = next == UInt8(ascii: "x") ? 2 : next == UInt8(ascii: "u") ? 4 : 8
                if position + digits <= end, let scalar = Self.hexScalar(bytes, at: position, digits: digits) {
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    position += digits
                } else {
                    out.append(contentsOf: [Byte.backslash, next])
                }
            default:
                out.append(next)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A number, `None`/`null`/`True`/`false`…, or a bare word. Consumes at least one byte.
    /// A word followed by a container on the same line (`Headers {`) is a class name: the
    /// container is the value.
    private mutating func scalar() -> BodyNode {
        let start = position
        while position < end {
            let byte = bytes[position]
            if Byte.isSpace(byte) || byte == Byte.comma || byte == Byte.closeBrace || byte == Byte.closeBracket
                || byte == Byte.openBrace
            {
                break
            }
            position += 1
        }
        if position == start { position += 1 }
        let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        var look = position
        while look < end, bytes[look] == Byte.space || bytes[look] == Byte.tab { look += 1 }
        if look < end, bytes[look] == Byte.openBrace || bytes[look] == Byte.openBracket,
            word.first?.isLetter == true
        {
            position = look
            return value() ?? .word(word)
        }
        switch word {
        case "None", "null", "undefined", "nil": return .null
        case "True", "true": return .bool(true)
        case "False", "false": return .bool(false)
        default: break
        }
        if let first = word.utf8.first, (first >= 0x30 && first <= 0x39) || first == UInt8(ascii: "-"),
            Double(word) != nil
        {
            return .number(word)
        }
        return .word(word)
    }

    /// The scalar of `digits` hex digits at `index`, or `nil` (not hex, or not a valid scalar).
    static func hexScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, digits: Int) -> Unicode.Scalar? {
        guard index + digits <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<digits {
            let byte = bytes[index + offset]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return Unicode.Scalar(value) ?? (value >= 0xD800 && value <= 0xDFFF ? "\u{FFFD}" : nil)
    }
}
