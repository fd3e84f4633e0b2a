import FaultlineText

/// A JSON value whose objects keep their key order, for formats whose conventional key order
/// matters to readers (SARIF puts `version` and `runs` first, `id` first in a rule).
///
/// Written pretty-printed with two-space indentation and `"key": value`; `/` is not escaped;
/// control characters are escaped; empty containers are written as `[]` and `{}`.
indirect enum JSONNode: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// Non-finite values are written as `0`.
    case double(Double)
    case string(String)
    case array([JSONNode])
    case object([(String, JSONNode)])

    static func == (lhs: JSONNode, rhs: JSONNode) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.int(a), .int(b)): a == b
        case let (.double(a), .double(b)): a == b
        case let (.string(a), .string(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The document, ending with a newline.
    func rendered() -> String {
        var out = ""
        write(into: &out, indent: 0)
        out.append("\n")
        return out
    }

    private func write(into out: inout String, indent: Int) {
        switch self {
        case .null: out.append("null")
        case .bool(let value): out.append(value ? "true" : "false")
        case .int(let value): out.append(String(value))
        case .double(let value): out.append(value.isFinite ? value.description : "0")
        case .string(let value): Self.writeString(value, into: &out)
        case .array(let items):
            guard !items.isEmpty else {
                out.append("[]")
                return
            }
            out.append("[\n")
            for (index, item) in items.enumerated() {
                out.append(String(repeating: " ", count: indent + 2))
                item.write(into: &out, indent: indent + 2)
                out.append(index == items.count - 1 ? "\n" : ",\n")
            }
            out.append(String(repeating: " ", count: indent) + "]")
        case .object(let members):
            guard !members.isEmpty else {
                out.append("{}")
                return
            }
            out.append("{\n")
            for (index, (key, value)) in members.enumerated() {
                out.append(String(repeating: " ", count: indent + 2))
                Self.writeString(key, into: &out)
                out.append(": ")
                value.write(into: &out, indent: indent + 2)
                out.append(index == members.count - 1 ? "\n" : ",\n")
            }
            out.append(String(repeating: " ", count: indent) + "}")
        }
    }

    private static func writeString(_ value: String, into out: inout String) {
        out.append("\"")
        JSONString.appendEscaped(value, to: &out)
        out.append("\"")
    }
}

/// Builds an object, leaving out members whose value is `nil`.
func jsonObject(_ members: [(String, JSONNode?)]) -> JSONNode {
    .object(members.compactMap { key, value in value.map { (key, $0) } })
}
