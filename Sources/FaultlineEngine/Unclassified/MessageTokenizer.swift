import FaultlineText

/// One token of a message template.
struct TemplateToken: Sendable, Hashable {
    /// The token as it appears in the template: the literal text, a masked URL
    /// (`https://host/<*>`), or `<*>`.
    var text: String
    /// Punctuation kept in the template as structure: `,;()[]{}`, quotes, `=` and `:`.
    var isSeparator: Bool
    /// A token that decides what the error is (an HTTP status in a status context, a provider
    /// error code, an exception class name): two messages that differ in one never merge, and
    /// Drain never replaces it with `<*>`.
    var isKept: Bool
    /// Whether whitespace preceded the token in the message (for rendering).
    var spaceBefore: Bool

    static let wildcard = "<*>"

    var isWildcard: Bool { text == Self.wildcard }
}

/// A token with the text it was made from.
struct RawToken: Sendable, Hashable {
    var token: TemplateToken
    /// The original text of the token (for a masked quoted string: everything between the quotes).
    var raw: String
    /// The whitespace before the token in the message (empty when none).
    var gap: String
}

/// Splits a message into template tokens and masks the variable ones.
///
/// Whitespace separates words; `,;()[]{}`, quotes and backticks are split off as separator
/// tokens, and so are `=` and `:` (`key=value`, `key:value`) except inside a token that is
/// variable as a whole (a timestamp, an `ip:port`, a `file.py:123`, a URL).
enum MessageTokenizer {
    /// Messages are cut to this many UTF-8 bytes before tokenizing, which bounds the memory of a
    /// template and the time spent on one message.
    static let maxBytes = 2048

    /// Quoted strings longer than this are masked as one `<*>` (unless they hold an error message
    /// or an error code; see ``maskQuotedStrings(_:)``).
    static let longQuote = 40

    /// The template tokens of `message`.
    static func tokens(of message: String) -> [TemplateToken] {
        rawTokens(of: message).map(\.token)
    }

    /// The template tokens of `message`, each with its original text.
    static func rawTokens(of message: String) -> [RawToken] {
        var bytes = Array(message.utf8)
        if bytes.count > maxBytes {
            var cut = maxBytes
            while cut > 0, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
            bytes.removeSubrange(cut...)
        }
        var tokens: [RawToken] = []
        var i = 0
        var gapStart = 0
        while i < bytes.count {
            if ASCII.isWhitespace(bytes[i]) {
                i += 1
                continue
            }
            var end = i
            while end < bytes.count, !ASCII.isWhitespace(bytes[end]) { end += 1 }
            let gap = String(decoding: bytes[gapStart..<i], as: UTF8.self)
            splitWord(bytes, i, end, gap: gap, into: &tokens)
            i = end
            gapStart = end
        }
        maskQuotedStrings(&tokens)
        markKept(&tokens)
        return tokens
    }

    // MARK: Splitting

    static func isSeparatorByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
            UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "'"), UInt8(ascii: "\""),
            UInt8(ascii: "`"):
            return true
        default:
            return false
        }
    }

    static func splitWord(_ b: [UInt8], _ start: Int, _ end: Int, gap: String, into tokens: inout [RawToken]) {
        var j = start
        var pendingGap = gap
        func emit(_ raw: String, _ text: String, separator: Bool) {
            let token = TemplateToken(
                text: text, isSeparator: separator, isKept: false, spaceBefore: !pendingGap.isEmpty)
            tokens.append(RawToken(token: token, raw: raw, gap: pendingGap))
            pendingGap = ""
        }
        while j < end {
            if isSeparatorByte(b[j]) {
                let s = String(decoding: b[j..<(j + 1)], as: UTF8.self)
                emit(s, s, separator: true)
                j += 1
                continue
            }
            var k = j
            while k < end, !isSeparatorByte(b[k]) { k += 1 }
            // A trailing `:` (`q-5513: Error code …`) stays a separator after a masked piece.
            let trailingColon = k - j > 1 && b[k - 1] == UInt8(ascii: ":")
            let stem = String(decoding: b[j..<(trailingColon ? k - 1 : k)], as: UTF8.self)
            let piece = String(decoding: b[j..<k], as: UTF8.self)
            if trailingColon, let masked = Masking.maskWhole(stem), masked == TemplateToken.wildcard {
                emit(stem, masked, separator: false)
                emit(":", ":", separator: true)
            } else if let masked = Masking.maskWhole(piece) {
                emit(piece, masked, separator: false)
            } else {
                // `key=value`, `key:value`: split, keeping `=` and `:` as separators.
                var p = j
                while p < k {
                    if b[p] == UInt8(ascii: "=") || b[p] == UInt8(ascii: ":") {
                        let s = String(decoding: b[p..<(p + 1)], as: UTF8.self)
                        emit(s, s, separator: true)
                        p += 1
                        continue
                    }
                    var q = p
                    while q < k, b[q] != UInt8(ascii: "="), b[q] != UInt8(ascii: ":") { q += 1 }
                    let part = String(decoding: b[p..<q], as: UTF8.self)
                    emit(part, Masking.maskPart(part) ?? part, separator: false)
                    p = q
                }
            }
            j = k
        }
    }

    // MARK: Quoted strings

    /// Keys whose quoted value is an error message: kept as words, since the words are what
    /// tell two errors apart.
    static let messageKeys: Set<String> = [
        "message", "msg", "error", "detail", "details", "description", "error_description", "reason", "title",
        "errormessage", "error_message",
    ]

    /// Replaces the content of a quoted string longer than ``longQuote`` characters by one `<*>`:
    /// prompts, payloads and blobs vary from one event to the next. Kept as words: the value of a
    /// message key (`'message': '…'`), and a string that is a single error code.
    static func maskQuotedStrings(_ tokens: inout [RawToken]) {
        var out: [RawToken] = []
        out.reserveCapacity(tokens.count)
        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            guard t.token.isSeparator, t.raw == "'" || t.raw == "\"", isOpeningQuote(tokens, i) else {
                out.append(t)
                i += 1
                continue
            }
            var close = i + 1
            while close < tokens.count, !(tokens[close].token.isSeparator && tokens[close].raw == t.raw) { close += 1 }
            guard close < tokens.count, close > i + 1 else {
                out.append(t)
                i += 1
                continue
            }
            let content = tokens[(i + 1)..<close]
            var length = 0
            for c in content { length += c.gap.utf8.count + c.raw.utf8.count }
            // A long quoted string is a payload (a prompt, a truncated tool call, a blob) even when
            // it holds braces or identifiers: those vary from one event to the next. Only a
            // provider error code written alone in the string keeps it literal.
            let words = content.filter { !$0.token.isSeparator }
            let errorCode = words.count == 1 && Masking.looksLikeCode(words[words.startIndex].raw)
            if length > longQuote, !errorCode, !isAfterMessageKey(out) {
                out.append(t)
                var raw = ""
                for (n, c) in content.enumerated() { raw += (n == 0 ? "" : c.gap) + c.raw }
                let first = content[content.startIndex]
                let token = TemplateToken(
                    text: TemplateToken.wildcard, isSeparator: false, isKept: false,
                    spaceBefore: first.token.spaceBefore)
                out.append(RawToken(token: token, raw: raw, gap: first.gap))
                out.append(tokens[close])
            } else {
                out.append(contentsOf: tokens[i...close])
            }
            i = close + 1
        }
        tokens = out
    }

    /// A quote that opens a string: first, after whitespace, or after `( [ { : = ,`.
    static func isOpeningQuote(_ tokens: [RawToken], _ i: Int) -> Bool {
        if i == 0 || !tokens[i].gap.isEmpty { return true }
        let previous = tokens[i - 1]
        return previous.token.isSeparator && ["(", "[", "{", ":", "=", ","].contains(previous.raw)
    }

    /// Whether the tokens end in `message` `'`? `:` or `message=`.
    static func isAfterMessageKey(_ tokens: [RawToken]) -> Bool {
        guard let key = previousWord(tokens, before: tokens.count, sawSeparator: true) else { return false }
        return messageKeys.contains(key.raw.lowercased())
    }

    /// The nearest word token before `index` that is separated from it only by `: = ' "`
    /// separators (at most four of them); with `sawSeparator`, there must be a `:` or `=`.
    static func previousWord(_ tokens: [RawToken], before index: Int, sawSeparator required: Bool) -> RawToken? {
        var j = index - 1
        var seen = false
        var steps = 0
        while j >= 0, steps < 4 {
            let t = tokens[j]
            if !t.token.isSeparator { return (!required || seen) ? t : nil }
            guard [":", "=", "'", "\""].contains(t.raw) else { return nil }
            if t.raw == ":" || t.raw == "=" { seen = true }
            j -= 1
            steps += 1
        }
        return nil
    }

    // MARK: Kept tokens

    static let statusKeys: Set<String> = [
        "code", "status", "statuscode", "status_code", "http", "error", "errorcode", "error_code", "response",
        "responsecode", "http_status", "httpstatus", "httpstatuscode",
    ]
    static let codeKeys: Set<String> = [
        "code", "errorcode", "error_code", "err_code", "type", "errortype", "error_type",
    ]
    static let statusFollowers: Set<String> = [
        "status", "unauthorized", "forbidden", "not", "too", "internal", "bad", "service", "gateway", "ok",
        "conflict", "unprocessable", "payment", "request", "method", "created", "accepted", "no",
    ]

    /// Marks HTTP statuses in status contexts, provider error codes and exception class names as
    /// kept, unmasking a status that the number rule masked.
    static func markKept(_ tokens: inout [RawToken]) {
        for i in tokens.indices where !tokens[i].token.isSeparator {
            let raw = tokens[i].raw
            if Masking.isStatusNumber(raw) {
                if isStatusContext(tokens, i) {
                    tokens[i].token.text = raw
                    tokens[i].token.isKept = true
                }
                continue
            }
            guard !tokens[i].token.isWildcard, tokens[i].token.text == raw else { continue }
            if Masking.looksLikeCode(raw) {
                tokens[i].token.isKept = true
            } else if let key = previousWord(tokens, before: i, sawSeparator: true),
                codeKeys.contains(key.raw.lowercased()), raw.utf8.count >= 2, raw != "None", raw != "null"
            {
                tokens[i].token.isKept = true
            }
        }
    }

    static func isStatusContext(_ tokens: [RawToken], _ i: Int) -> Bool {
        if let previous = previousWord(tokens, before: i, sawSeparator: false) {
            let key = previous.raw.lowercased()
            if statusKeys.contains(key) || key.hasPrefix("http/") { return true }
            if previous.token.isKept, Masking.isStatusNumber(previous.raw) { return true }
        }
        // `HTTP 429 (429)`: a status repeated in parentheses.
        if i >= 2, tokens[i - 1].raw == "(", tokens[i - 2].token.isKept, Masking.isStatusNumber(tokens[i - 2].raw) {
            return true
        }
        var j = i + 1
        while j < tokens.count, tokens[j].token.isSeparator, tokens[j].raw == "(" || tokens[j].raw == "'" { j += 1 }
        if j < tokens.count, !tokens[j].token.isSeparator, statusFollowers.contains(tokens[j].raw.lowercased()) {
            return true
        }
        return false
    }

    // MARK: Rendering

    /// The template text of `tokens`: each token, with one space where the message had whitespace.
    static func render(_ tokens: [TemplateToken]) -> String {
        var text = ""
        for (n, token) in tokens.enumerated() {
            if n > 0, token.spaceBefore { text += " " }
            text += token.text
        }
        return text
    }
}
