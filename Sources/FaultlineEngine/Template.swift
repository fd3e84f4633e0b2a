/// Fills `{name}` placeholders of rule text with captured values.
public enum Template {
    /// Replaces each `{name}` (not preceded by `$`) with its value. `{name|text}` gives literal
    /// text to use when the value was not found (it may be empty). A plain `{name}` whose value
    /// was not found becomes `(not in the log)` when `name` is one of `groups`. Other braces
    /// (code in fix snippets, `${VAR}`) are left as they are.
    public static func fill(_ text: String, _ values: [String: String], groups: Set<String>) -> String {
        guard text.contains("{") else { return text }
        var out = ""
        var usedEmptyFallback = false
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "{", out.last != "$", let close = text[i...].firstIndex(of: "}") {
                let inner = text[text.index(after: i)..<close]
                let parts = inner.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(parts[0])
                let isName = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
                if isName {
                    if let value = values[key], !value.isEmpty {
                        out += value
                        i = text.index(after: close)
                        continue
                    }
                    if parts.count == 2 {
                        out += parts[1]
                        if parts[1].isEmpty { usedEmptyFallback = true }
                        i = text.index(after: close)
                        continue
                    }
                    if groups.contains(key) {
                        out += "(not in the log)"
                        i = text.index(after: close)
                        continue
                    }
                }
            }
            out.append(c)
            i = text.index(after: i)
        }
        return usedEmptyFallback ? collapseSpaces(out) : out
    }

    /// Removes the double spaces and the space before `,` or `.` that an empty fallback leaves,
    /// in prose lines only (lines that start with a space are code and keep their spacing).
    static func collapseSpaces(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.first != " " else { return String(line) }
            var out = ""
            for c in line {
                if c == " " && out.last == " " { continue }
                if (c == "," || c == ".") && out.last == " " { out.removeLast() }
                out.append(c)
            }
            return out
        }.joined(separator: "\n")
    }
}
