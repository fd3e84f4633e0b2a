import FaultlineText

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
        ASCII.isAlnum(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte == UInt8(ascii: "-")
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
            guard let digit = ASCII.hexValue(bytes[index + offset]) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return Unicode.Scalar(value) ?? (value >= 0xD800 && value <= 0xDFFF ? "\u{FFFD}" : nil)
    }
}
