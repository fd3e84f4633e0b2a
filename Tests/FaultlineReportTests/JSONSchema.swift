import Foundation

/// A decoded JSON value that keeps the distinctions JSON Schema needs: booleans are not numbers,
/// integers are told apart from other numbers.
indirect enum JSONValue: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses a JSON document (RFC 8259) with a small recursive-descent parser: fast on the
    /// multi-megabyte documents of the limit tests, and exact about booleans and integers.
    static func parse(_ text: String) throws -> JSONValue {
        var parser = JSONParser(bytes: Array(text.utf8))
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw parser.failure("trailing characters") }
        return value
    }

    /// JSON equality: `1` and `1.0` are equal, object key order does not matter.
    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.string(a), .string(b)): a == b
        case let (.array(a), .array(b)): a.count == b.count && zip(a, b).allSatisfy { $0 == $1 }
        case let (.object(a), .object(b)): a.count == b.count && a.allSatisfy { key, value in b[key] == value }
        default:
            if let a = lhs.numberValue, let b = rhs.numberValue { a == b } else { false }
        }
    }

    var numberValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .integer(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        case .array(let value): "[\(value.count) items]"
        case .object(let value): "{\(value.keys.sorted().joined(separator: ", "))}"
        }
    }
}

/// A JSON Schema (draft-04) validator covering exactly the keywords the SARIF 2.1.0 schema uses.
///
/// Checked: `$ref` (to `#/definitions/…` of the same document; as in draft-04 a `$ref` replaces
/// its sibling keywords), `type` (a name or a list of names; `integer` accepts whole numbers),
/// `enum`, `properties`, `required`, `additionalProperties` (`false`, `true` or a schema),
/// `items` (a single schema), `minItems`, `maxItems`, `uniqueItems`, `minimum`, `maximum`,
/// `minLength`, `maxLength`, `pattern` (unanchored search, `NSRegularExpression`), `anyOf`,
/// `oneOf`, `allOf`, `not`. Annotations are ignored: `description`, `default`, `title`, `id`,
/// `$schema`, `definitions` (only as a `$ref` target) and `format` (not asserted in draft-04
/// either). Any other keyword found in a schema makes validation fail, so the validator cannot
/// silently skip a rule of a future schema.
struct JSONSchemaValidator {
    let root: JSONValue

    static let assertionKeywords: Set<String> = [
        "$ref", "type", "enum", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
        "uniqueItems", "minimum", "maximum", "minLength", "maxLength", "pattern", "anyOf", "oneOf", "allOf", "not",
    ]
    static let annotationKeywords: Set<String> = [
        "description", "default", "title", "id", "$schema", "definitions", "format",
    ]

    /// Validates `instance` against the root schema; returns one message per violation, with
    /// its JSON path.
    func validate(_ instance: JSONValue) -> [String] {
        var errors: [String] = []
        validate(instance, against: root, path: "$", depth: 0, errors: &errors)
        return errors
    }

    /// Every keyword used anywhere in the schema that the validator neither checks nor ignores.
    func unsupportedKeywords() -> Set<String> {
        var found: Set<String> = []
        func walk(_ schema: JSONValue) {
            guard case .object(let members) = schema else { return }
            for key in members.keys
            where !Self.assertionKeywords.contains(key) && !Self.annotationKeywords.contains(key) {
                found.insert(key)
            }
            for key in ["properties", "definitions"] {
                if case .object(let children)? = members[key] { children.values.forEach(walk) }
            }
            for key in ["items", "additionalProperties", "not"] {
                if let child = members[key] { walk(child) }
            }
            for key in ["anyOf", "oneOf", "allOf"] {
                if case .array(let children)? = members[key] { children.forEach(walk) }
            }
        }
        walk(root)
        return found
    }

    private func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return reference == "#" ? root : nil }
        var node: JSONValue? = root
        for token in reference.dropFirst(2).split(separator: "/") {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[key]
        }
        return node
    }

    private func validate(
        _ instance: JSONValue, against schema: JSONValue, path: String, depth: Int, errors: inout [String]
    ) {
        guard depth < 200 else {
            errors.append("\(path): schema recursion too deep")
            return
        }
        if case .bool(let allowed) = schema {
            if !allowed { errors.append("\(path): no value is allowed here") }
            return
        }
        guard case .object(let s) = schema else {
            errors.append("\(path): schema is not an object")
            return
        }
        if case .string(let reference)? = s["$ref"] {
            guard let target = resolve(reference) else {
                errors.append("\(path): unresolvable $ref \(reference)")
                return
            }
            validate(instance, against: target, path: path, depth: depth + 1, errors: &errors)
            return
        }
        for key in s.keys where !Self.assertionKeywords.contains(key) && !Self.annotationKeywords.contains(key) {
            errors.append("\(path): unsupported schema keyword \(key)")
        }

        if let type = s["type"] {
            let names: [String]
            switch type {
            case .string(let name): names = [name]
            case .array(let items): names = items.compactMap(\.stringValue)
            default: names = []
            }
            if !names.contains(where: { Self.matches(instance, type: $0) }) {
                errors.append("\(path): \(instance) is not of type \(names.joined(separator: "|"))")
            }
        }
        if case .array(let allowed)? = s["enum"], !allowed.contains(instance) {
            errors.append("\(path): \(instance) is not one of \(allowed.map(\.description))")
        }
        if let number = instance.numberValue {
            if let minimum = s["minimum"]?.numberValue, number < minimum {
                errors.append("\(path): \(number) < minimum \(minimum)")
            }
            if let maximum = s["maximum"]?.numberValue, number > maximum {
                errors.append("\(path): \(number) > maximum \(maximum)")
            }
        }
        if case .string(let text) = instance {
            let length = text.unicodeScalars.count
            if let minimum = s["minLength"]?.numberValue, Double(length) < minimum {
                errors.append("\(path): shorter than \(minimum)")
            }
            if let maximum = s["maxLength"]?.numberValue, Double(length) > maximum {
                errors.append("\(path): longer than \(maximum)")
            }
            if case .string(let pattern)? = s["pattern"] {
                if let regex = try? NSRegularExpression(pattern: pattern) {
                    let range = NSRange(text.startIndex..., in: text)
                    if regex.firstMatch(in: text, range: range) == nil {
                        errors.append("\(path): \"\(text)\" does not match \(pattern)")
                    }
                } else {
                    errors.append("\(path): invalid pattern \(pattern)")
                }
            }
        }
        if case .array(let items) = instance {
            if let minimum = s["minItems"]?.numberValue, Double(items.count) < minimum {
                errors.append("\(path): \(items.count) items < minItems \(minimum)")
            }
            if let maximum = s["maxItems"]?.numberValue, Double(items.count) > maximum {
                errors.append("\(path): \(items.count) items > maxItems \(maximum)")
            }
            if case .bool(true)? = s["uniqueItems"] {
                for (index, item) in items.enumerated() where items[..<index].contains(item) {
                    errors.append("\(path)[\(index)]: duplicate item (uniqueItems)")
                }
            }
            if let itemSchema = s["items"] {
                for (index, item) in items.enumerated() {
                    validate(item, against: itemSchema, path: "\(path)[\(index)]", depth: depth + 1, errors: &errors)
                }
            }
        }
        if case .object(let members) = instance {
            if case .array(let required)? = s["required"] {
                for case .string(let key) in required where members[key] == nil {
                    errors.append("\(path): missing required property \(key)")
                }
            }
            var declared: [String: JSONValue] = [:]
            if case .object(let properties)? = s["properties"] { declared = properties }
            for key in members.keys.sorted() {
                guard let value = members[key] else { continue }
                let childPath = "\(path).\(key)"
                if let propertySchema = declared[key] {
                    validate(value, against: propertySchema, path: childPath, depth: depth + 1, errors: &errors)
                } else if let additional = s["additionalProperties"] {
                    if case .bool(false) = additional {
                        errors.append("\(path): property \(key) is not allowed (additionalProperties: false)")
                    } else {
                        validate(value, against: additional, path: childPath, depth: depth + 1, errors: &errors)
                    }
                }
            }
        }
        if case .array(let schemas)? = s["allOf"] {
            for schema in schemas {
                validate(instance, against: schema, path: path, depth: depth + 1, errors: &errors)
            }
        }
        if case .array(let schemas)? = s["anyOf"] {
            let passing = schemas.filter { passes(instance, $0, depth: depth) }.count
            if passing == 0 { errors.append("\(path): matches none of anyOf") }
        }
        if case .array(let schemas)? = s["oneOf"] {
            let passing = schemas.filter { passes(instance, $0, depth: depth) }.count
            if passing != 1 { errors.append("\(path): matches \(passing) of oneOf, not exactly 1") }
        }
        if let negated = s["not"], passes(instance, negated, depth: depth) {
            errors.append("\(path): matches a schema under not")
        }
    }

    private func passes(_ instance: JSONValue, _ schema: JSONValue, depth: Int) -> Bool {
        var errors: [String] = []
        validate(instance, against: schema, path: "", depth: depth + 1, errors: &errors)
        return errors.isEmpty
    }

    private static func matches(_ instance: JSONValue, type: String) -> Bool {
        switch (type, instance) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object):
            true
        case ("number", .integer), ("number", .number), ("integer", .integer):
            true
        case ("integer", .number(let value)):
            value.rounded() == value
        default:
            false
        }
    }
}

/// A JSON syntax error with its byte offset.
struct JSONParseError: Error, CustomStringConvertible {
    let offset: Int
    let reason: String
    var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

private struct JSONParser {
    let bytes: [UInt8]
    var index = 0

    func failure(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func value(depth: Int) throws -> JSONValue {
        guard depth < 512 else { throw failure("nested too deeply") }
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                let key = try string()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                guard members[key] == nil else { throw failure("duplicate key \(key)") }
                members[key] = try value(depth: depth + 1)
                skipWhitespace()
                if try separator(closing: UInt8(ascii: "}")) { return .object(members) }
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                if try separator(closing: UInt8(ascii: "]")) { return .array(items) }
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            return try number()
        }
    }

    /// After a member or item: `,` (returns false) or the closing bracket (returns true).
    mutating func separator(closing: UInt8) throws -> Bool {
        guard index < bytes.count else { throw failure("unexpected end") }
        if bytes[index] == UInt8(ascii: ",") {
            index += 1
            return false
        }
        try expect(closing)
        return true
    }

    mutating func expect(_ byte: UInt8) throws {
        guard index < bytes.count, bytes[index] == byte else {
            throw failure("expected \(Character(Unicode.Scalar(byte)))")
        }
        index += 1
    }

    mutating func literal(_ word: String) throws {
        for byte in word.utf8 { try expect(byte) }
    }

    mutating func number() throws -> JSONValue {
        let start = index
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                index += 1
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            {
                isInteger = false
                index += 1
            } else {
                break
            }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let value = Int(text) { return .integer(value) }
        guard !text.isEmpty, let value = Double(text) else { throw failure("invalid value") }
        return .number(value)
    }

    mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw failure("unexpected end") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        try literal("\\u")
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw failure("invalid escape") }
                    out.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    throw failure("invalid escape")
                }
            default:
                guard byte >= 0x20 else { throw failure("raw control character in string") }
                out.append(byte)
            }
        }
        throw failure("unterminated string")
    }

    mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count,
            let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else { throw failure("invalid \\u escape") }
        index += 4
        return value
    }
}
