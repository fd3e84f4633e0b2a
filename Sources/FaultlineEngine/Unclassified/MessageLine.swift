import FaultlineText

/// Picks the line of an error event that carries its message, and strips the log prefix from it.
///
/// The unclassified clusters of a report group error events by the *message* they carry, not by
/// the first line of the event: a Python traceback says what failed in its final exception line,
/// a .NET `fail:` block in its outermost exception header, a Winston record in its first line.
///
/// The prefix that every logging framework puts before the message (timestamps, level words,
/// logger and module names, process ids) varies from line to line and would split one message
/// into as many templates as there are seconds in the log, so it is stripped. Bracketed component
/// names such as `[OpenAIClient]` or `[handleAbortError]` are kept: they say which part of the
/// application failed.
public enum MessageLine {
    /// Returns the 0-based index of the line that carries the event's message, and the message
    /// with its log prefix stripped.
    ///
    /// - A Python traceback (`Traceback (most recent call last):`): the exception line of the last
    ///   traceback, so a chained traceback is named by the exception that ended it.
    /// - A .NET block: the first line shaped like `Namespace.SomethingException: message` (the
    ///   outermost exception; ` ---> ` inner exceptions come later). When the lines right after it
    ///   carry `Status: 429 (Too Many Requests)` or `ErrorCode: …` (`Azure.RequestFailedException`,
    ///   `ClientResultException`), they are appended to the message, so that a 401 and a 429 with
    ///   the same `Service request failed.` text stay apart.
    /// - A .NET console-logger header that carries no message (`fail: Category[0]`): the next line.
    /// - Anything else (Winston, loguru, `logging`, Jupyter, single lines): the first line.
    ///
    /// An empty `lines` gives `(0, "")`.
    public static func pick(_ lines: [String]) -> (index: Int, message: String) {
        guard !lines.isEmpty else { return (0, "") }
        if let index = pythonExceptionLine(lines) {
            return (index, stripPrefix(lines[index]))
        }
        if let index = dotnetExceptionLine(lines) {
            return (index, stripPrefix(lines[index]) + dotnetStatusSuffix(lines, after: index))
        }
        if lines.count > 1, isBareDotnetHeader(lines[0]) {
            let next = trim(lines[1])
            if !next.isEmpty { return (1, stripPrefix(lines[1])) }
        }
        return (0, stripPrefix(lines[0]))
    }

    /// Strips the log prefix (timestamps, level words, logger names, process ids, syslog
    /// priorities) from one line; returns the trimmed line when nothing but a prefix is left.
    ///
    /// - Complexity: O(n) in the length of the prefix; the message itself is copied once.
    public static func stripPrefix(_ line: String) -> String {
        let bytes = Array(line.utf8)
        var stripper = PrefixStripper(bytes)
        let start = stripper.run()
        var end = bytes.count
        while end > start, ASCII.isWhitespace(bytes[end - 1]) { end -= 1 }
        if start >= end { return trim(line) }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    // MARK: Python

    /// The exception line of the last traceback in `lines`, if there is a traceback.
    static func pythonExceptionLine(_ lines: [String]) -> Int? {
        guard let header = lines.lastIndex(where: { trim($0).hasPrefix("Traceback (most recent call last)") })
        else { return nil }
        let headerIndent = indentation(lines[header])
        var loose: Int?
        for index in (header + 1)..<lines.count {
            let trimmed = trim(lines[index])
            if trimmed.isEmpty || trimmed.hasPrefix("File \"") { continue }
            guard isPythonExceptionLine(trimmed) else { continue }
            if indentation(lines[index]) <= headerIndent { return index }
            if loose == nil { loose = index }
        }
        return loose
    }

    /// `openai.NotFoundError: Error code: 404`, `KeyError: 'x'`, `httpx.ConnectTimeout`: a dotted
    /// name whose last part starts with an upper-case letter, then `:` or the end of the line.
    static func isPythonExceptionLine(_ trimmed: String) -> Bool {
        guard let (name, rest) = leadingDottedName(trimmed) else { return false }
        guard let last = name.split(separator: ".").last, let first = last.first, first.isUppercase else {
            return false
        }
        return rest.isEmpty || rest.hasPrefix(": ") || rest == ":"
    }

    // MARK: .NET

    /// The first line shaped like `Namespace.SomethingException: message` (or ` ---> …`, or
    /// `Unhandled exception. System.X: …`).
    static func dotnetExceptionLine(_ lines: [String]) -> Int? {
        lines.firstIndex { isDotnetExceptionLine($0) }
    }

    static func isDotnetExceptionLine(_ line: String) -> Bool {
        var trimmed = Substring(trim(line))
        if trimmed.hasPrefix("--->") { trimmed = trimmed.dropFirst(4).drop(while: { $0 == " " }) }
        if trimmed.hasPrefix("Unhandled exception. ") { trimmed = trimmed.dropFirst(21) }
        guard let (name, rest) = leadingDottedName(String(trimmed)) else { return false }
        guard name.contains("."), name.hasSuffix("Exception") else { return false }
        return rest.isEmpty || rest.hasPrefix(": ") || rest == ":"
    }

    /// ` Status: 401 (Unauthorized) ErrorCode: …` from the lines right after an exception header.
    static func dotnetStatusSuffix(_ lines: [String], after index: Int) -> String {
        var suffix = ""
        var next = index + 1
        while next < lines.count, next <= index + 4 {
            let trimmed = trim(lines[next])
            if trimmed.hasPrefix("Status: ") || trimmed.hasPrefix("ErrorCode: ") {
                suffix += " " + trimmed
            } else if !suffix.isEmpty || trimmed.isEmpty || trimmed.hasPrefix("at ") || trimmed.hasPrefix("--->") {
                break
            }
            next += 1
        }
        return suffix
    }

    /// `fail: Microsoft.KernelMemory.Handlers.GenerateEmbeddingsHandler[0]` with nothing after.
    static func isBareDotnetHeader(_ line: String) -> Bool {
        let trimmed = trim(line)
        for level in ["trce: ", "dbug: ", "info: ", "warn: ", "fail: ", "crit: "] where trimmed.hasPrefix(level) {
            let rest = trimmed.dropFirst(level.count)
            return rest.hasSuffix("]") && !rest.contains(" ")
        }
        return false
    }

    // MARK: Helpers

    /// Splits `Name.Space.Class: rest` into the dotted name and the rest; `nil` when the line does
    /// not start with an identifier.
    static func leadingDottedName(_ text: String) -> (String, Substring)? {
        var end = text.startIndex
        var sawIdentifier = false
        for character in text {
            if character.isLetter || character.isNumber || character == "_" || character == "." || character == "`" {
                if !sawIdentifier, !(character.isLetter || character == "_") { return nil }
                sawIdentifier = true
                end = text.index(after: end)
            } else {
                break
            }
        }
        guard sawIdentifier else { return nil }
        let name = String(text[..<end])
        if name.hasSuffix(".") || name.contains("..") { return nil }
        return (name, text[end...])
    }

    static func indentation(_ line: String) -> Int {
        var count = 0
        for byte in line.utf8 {
            if byte == 0x20 {
                count += 1
            } else if byte == 0x09 {
                count += 4
            } else {
                break
            }
        }
        return count
    }
}

extension MessageLine {
    /// `text` without leading and trailing spaces, tabs and line breaks.
    static func trim(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var start = 0
        var end = bytes.count
        while start < end, ASCII.isWhitespace(bytes[start]) { start += 1 }
        while end > start, ASCII.isWhitespace(bytes[end - 1]) { end -= 1 }
        if start == 0 && end == bytes.count { return text }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
