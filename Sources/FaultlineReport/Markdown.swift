/// Escaping that keeps untrusted text inert in GitHub-flavoured Markdown.
enum Markdown {
    /// Plain text for headings and table cells: every character Markdown or HTML could act on is
    /// escaped, newlines become spaces.
    static func text(_ raw: String, atLineStart: Bool = false) -> String {
        var out = ""
        let flat = flatten(raw)
        out.reserveCapacity(flat.utf8.count)
        for (offset, character) in flat.enumerated() {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "|", "~", "$":
                out.append("\\")
                out.append(character)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "#", "-", "+", "=":
                if offset == 0 && atLineStart { out.append("\\") }
                out.append(character)
            default:
                out.append(character)
            }
        }
        if atLineStart { out = escapingOrderedListMarker(out) }
        return out
    }

    /// Prose: like ``text(_:atLineStart:)``, but a balanced `` `code` `` span the author wrote is
    /// kept as a (safely re-fenced) code span.
    static func prose(_ raw: String, atLineStart: Bool = false) -> String {
        let characters = Array(flatten(raw))
        // Backtick runs, and for each the next run of the same length (linear, by scanning backwards).
        var runs: [(start: Int, length: Int)] = []
        var i = 0
        while i < characters.count {
            if characters[i] == "`" {
                let start = i
                while i < characters.count && characters[i] == "`" { i += 1 }
                runs.append((start, i - start))
            } else {
                i += 1
            }
        }
        var nextSameLength = [Int?](repeating: nil, count: runs.count)
        var lastSeen: [Int: Int] = [:]
        for index in runs.indices.reversed() {
            nextSameLength[index] = lastSeen[runs[index].length]
            lastSeen[runs[index].length] = index
        }

        var out = ""
        var textStart = 0
        var runIndex = 0
        while runIndex < runs.count {
            let run = runs[runIndex]
            guard let closeIndex = nextSameLength[runIndex] else {
                runIndex += 1
                continue
            }
            let close = runs[closeIndex]
            out += text(String(characters[textStart..<run.start]), atLineStart: atLineStart && textStart == 0)
            out += codeSpan(String(characters[(run.start + run.length)..<close.start]))
            textStart = close.start + close.length
            runIndex = closeIndex + 1
        }
        out += text(String(characters[textStart...]), atLineStart: atLineStart && textStart == 0)
        return out
    }

    /// An inline code span holding `raw` verbatim, whatever backticks it contains.
    static func codeSpan(_ raw: String) -> String {
        let content = flatten(raw)
        guard !content.isEmpty else { return "` `" }
        let fence = String(repeating: "`", count: longestBacktickRun(content) + 1)
        let pad = content.first == "`" || content.last == "`" || content.first == " " || content.last == " "
        return pad ? "\(fence) \(content) \(fence)" : "\(fence)\(content)\(fence)"
    }

    /// A fenced code block (`text`), its fence longer than any backtick run in `lines`, every line
    /// prefixed with `indent` so that it stays inside a list item.
    static func fenced(_ lines: [String], indent: String) -> [String] {
        let longest = lines.map(longestBacktickRun).max() ?? 0
        let fence = String(repeating: "`", count: max(3, longest + 1))
        var out = [indent + fence + "text"]
        for line in lines {
            out.append(line.isEmpty ? "" : indent + line)
        }
        out.append(indent + fence)
        return out
    }

    /// An autolink for a plain http(s) URL; anything else as escaped text.
    static func link(_ raw: String) -> String {
        let isURL =
            (raw.hasPrefix("https://") || raw.hasPrefix("http://"))
            && !raw.contains(where: { $0.isWhitespace || "<>`\"\\".contains($0) })
            && Formatting.inert(raw) == raw
        return isURL ? "<\(raw)>" : prose(raw, atLineStart: true)
    }

    private static func flatten(_ raw: String) -> String {
        Formatting.inert(raw, keepNewlines: true).replacing("\r\n", with: " ").replacing("\n", with: " ")
    }

    private static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0
        var current = 0
        for character in text {
            if character == "`" {
                current += 1
                longest = max(longest, current)
            } else {
                current = 0
            }
        }
        return longest
    }

    /// `1. ` or `1) ` at a line start would start a list: escape the delimiter.
    private static func escapingOrderedListMarker(_ text: String) -> String {
        let digits = text.prefix(while: \.isASCIIDigit)
        guard !digits.isEmpty, digits.count < text.count else { return text }
        let delimiterIndex = text.index(text.startIndex, offsetBy: digits.count)
        let delimiter = text[delimiterIndex]
        guard delimiter == "." || delimiter == ")" else { return text }
        return String(digits) + "\\" + text[delimiterIndex...]
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
