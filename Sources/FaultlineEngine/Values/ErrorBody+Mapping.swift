extension ErrorBody {
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
