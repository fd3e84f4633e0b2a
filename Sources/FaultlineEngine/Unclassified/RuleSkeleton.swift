import FaultlineModel
import FaultlineRegex
import FaultlineText

/// Writes the YAML skeleton of a new rule for an unclassified error (`faultline rules new --from
/// FILE:LINE`).
///
/// The skeleton is schema v1 (see `rules/README.md`): everything the log can tell is filled in —
/// an `id` from the exception class and error code, a `match` pattern built from the message
/// template, and the event itself as the `match` example — and what only a person can say (title,
/// category, cause, fix, references, a `no_match` example) is left as `TODO`.
public enum RuleSkeleton {
    /// Returns the YAML text of a rule skeleton for one event.
    ///
    /// The suggested pattern is the message line with its log prefix stripped, regex-escaped, with
    /// each variable token (`<*>` in `template` or masked by the tokenizer) replaced by `\S+` (or
    /// `[^\n]*?` for a masked quoted string), leading and trailing variables dropped, cut after 40
    /// tokens. It has no nested quantifiers and holds a literal of 3+ characters; it is checked
    /// against the example before it is written, and replaced by the message's longest literal word
    /// (or the whole escaped message) if it would not match. The example's `line:` is the line
    /// where the pattern's first match starts.
    ///
    /// - Parameters:
    ///   - eventLines: the event's lines as written in the log (wrappers peeled), first line first.
    ///     They are redacted with ``Redactor/redact(_:)``; control characters become U+FFFD.
    ///   - messageIndex: the 1-based line within the event that holds the message (clamped to the
    ///     event).
    ///   - template: the message template of the event's unclassified cluster (may be empty).
    ///   - source: the file the event came from, for the header comment.
    ///   - line: the 1-based line number of the event in `source`, for the header comment.
    /// - Returns: the skeleton as YAML text, ending with a newline, with `TODO` where a person must
    ///   fill it in.
    public static func make(eventLines: [String], messageIndex: Int, template: String, source: String, line: Int)
        -> String
    {
        let lines = (eventLines.isEmpty ? [""] : eventLines).map { Redactor.redact(sanitize($0)) }
        let index = min(max(messageIndex, 1), lines.count) - 1
        let message = MessageLine.stripPrefix(lines[index])
        let tokens = MessageTokenizer.rawTokens(of: message)
        let log = lines.joined(separator: "\n") + "\n"

        var pattern = suggestedPattern(tokens, template: template)
        var evidenceLine = pattern.flatMap { matchLine(pattern: $0, in: log) }
        if evidenceLine == nil {
            pattern = longestLiteral(tokens).map(escape)
            evidenceLine = pattern.flatMap { matchLine(pattern: $0, in: log) }
        }
        if evidenceLine == nil, MessageLine.trim(message).utf8.count >= 3 {
            pattern = escape(MessageLine.trim(message))
            evidenceLine = pattern.flatMap { matchLine(pattern: $0, in: log) }
        }

        var yaml = ""
        yaml += "# Rule skeleton for the unclassified error at \(comment(source)):\(line), by `faultline rules new`.\n"
        yaml += "# Complete every TODO, save the file as <area>/<id>.yaml in a rules folder passed with\n"
        yaml += "# --rules, and check it with `faultline rules test DIR`.\n"
        if !template.isEmpty { yaml += "# Message template: \(comment(Redactor.redact(template)))\n" }
        yaml += "schema: 1\n"
        yaml += "id: \(ruleID(tokens, message: message))\n"
        yaml += "title: TODO name the cause\n"
        yaml += categoryComment()
        yaml += "category: TODO\n"
        yaml += "severity: error\n"
        yaml += "match:\n  any:\n"
        if let pattern, evidenceLine != nil {
            yaml += "    - \(singleQuoted(pattern))\n"
        } else {
            yaml +=
                "    # TODO no pattern could be suggested for this event; write one with a literal of 3+ characters.\n"
            yaml += "    - 'TODO'\n"
        }
        yaml += "cause: TODO say what went wrong, in plain words\n"
        yaml += "fix:\n  - TODO\n"
        yaml += "references:\n  - TODO\n"
        yaml += "examples:\n  match:\n"
        yaml += "    - log: \(blockHeader(lines))\n"
        for text in lines { yaml += text.isEmpty ? "\n" : "        \(text)\n" }
        yaml += "      line: \(evidenceLine ?? index + 1)\n"
        yaml += "  no_match:\n"
        yaml += "    - log: |\n        TODO a similar line that must not match\n"
        return yaml
    }

    // MARK: Pattern

    /// The pattern built from the message tokens, or `nil` when it would lack a 3-character literal.
    static func suggestedPattern(_ tokens: [RawToken], template: String) -> String? {
        let templateTokens = MessageTokenizer.tokens(of: template)
        let aligned = templateTokens.count == tokens.count
        func isWildcard(_ k: Int) -> Bool {
            if tokens[k].token.isWildcard || isStandIn(tokens, k) { return true }
            return aligned && templateTokens[k].isWildcard && !tokens[k].token.isKept
        }
        guard let first = tokens.indices.first(where: { !isWildcard($0) }) else { return nil }
        var last = min(tokens.count - 1, first + 39)
        while last > first, isWildcard(last) { last -= 1 }

        var pattern = ""
        var literalRun = 0
        var longestRun = 0
        var previousWasWildcard = false
        for k in first...last {
            let t = tokens[k]
            if k > first, !t.gap.isEmpty {
                pattern += t.gap == " " ? " " : "[ \\t]+"
                literalRun += 1
                previousWasWildcard = false
            }
            if isWildcard(k) {
                if !previousWasWildcard {
                    pattern += t.raw.utf8.contains(where: ASCII.isWhitespace) ? "[^\\n]*?" : "\\S+"
                }
                previousWasWildcard = true
                literalRun = 0
            } else if t.token.text != t.raw, let star = t.token.text.range(of: TemplateToken.wildcard) {
                // A masked URL: keep the literal head (`https://host/`), then any non-space.
                let head = String(t.token.text[..<star.lowerBound])
                pattern += escape(head) + "\\S*"
                literalRun += head.utf8.count
                longestRun = max(longestRun, literalRun)
                literalRun = 0
                previousWasWildcard = true
            } else {
                pattern += escape(t.raw)
                literalRun += t.raw.utf8.count
                previousWasWildcard = false
            }
            longestRun = max(longestRun, literalRun)
        }
        return longestRun >= 3 ? pattern : nil
    }

    /// The longest literal word of the message (3+ characters), if any.
    static func longestLiteral(_ tokens: [RawToken]) -> String? {
        var best: String?
        for (k, t) in tokens.enumerated()
        where !t.token.isSeparator && !t.token.isWildcard && t.token.text == t.raw && !isStandIn(tokens, k) {
            if t.raw.utf8.count >= 3, t.raw.utf8.count > (best?.utf8.count ?? 0) { best = t.raw }
        }
        return best
    }

    /// The 1-based line of `log` where `pattern`'s first match starts, or `nil` when it does not
    /// compile or match.
    static func matchLine(pattern: String, in log: String) -> Int? {
        guard let regex = try? Regex(pattern, options: [.multiline]),
            let match = try? regex.firstMatch(in: log, using: MatchScratch()), let range = match.range(0)
        else { return nil }
        var line = 1
        for byte in log.utf8.prefix(range.lowerBound) where byte == 0x0A { line += 1 }
        return line
    }

    /// `text` with the PCRE2 metacharacters (`\\ ^ $ . | ? * + ( ) [ ] { }`) escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if "\\^$.|?*+()[]{}".unicodeScalars.contains(scalar) { out += "\\" }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// Tokens that stand for text the real log holds but the example does not: redaction
    /// markers (`[REDACTED]`, `[REDACTED-JWT]`, `sk-…REDACTED`) and replaced control characters.
    static func isStandIn(_ tokens: [RawToken], _ k: Int) -> Bool {
        let raw = tokens[k].raw
        if raw.hasSuffix("REDACTED") || raw == "REDACTED-JWT" || raw.contains("\u{FFFD}") {
            return raw != "REDACTED" || isBracketed(tokens, k)
        }
        if raw == "[", k + 2 < tokens.count, tokens[k + 2].raw == "]" {
            return tokens[k + 1].raw == "REDACTED" || tokens[k + 1].raw == "REDACTED-JWT"
        }
        if raw == "]", k >= 2, tokens[k - 2].raw == "[" {
            return tokens[k - 1].raw == "REDACTED" || tokens[k - 1].raw == "REDACTED-JWT"
        }
        return false
    }

    static func isBracketed(_ tokens: [RawToken], _ k: Int) -> Bool {
        k >= 1 && k + 1 < tokens.count && tokens[k - 1].raw == "[" && tokens[k + 1].raw == "]"
    }

    // MARK: id

    /// `not-found-error-deployment-not-found`: the exception class and the error code (or HTTP
    /// status) in kebab-case; without an exception class, the first words of the message lead.
    static func ruleID(_ tokens: [RawToken], message: String) -> String {
        var parts: [String] = []
        let words = tokens.filter { !$0.token.isSeparator && !$0.token.isWildcard }
        func isExceptionName(_ raw: String) -> Bool {
            guard Masking.looksLikeCode(raw), let last = raw.split(separator: ".").last else { return false }
            return ["Error", "Exception", "Timeout", "Failure"].contains { last.hasSuffix($0) }
        }
        let exception = words.first { isExceptionName($0.raw) }
        if let exception { parts.append(kebab(String(exception.raw.split(separator: ".").last ?? ""))) }
        var code: String?
        for (k, t) in tokens.enumerated() where t.token.isKept && !Masking.isStatusNumber(t.raw) {
            guard !isExceptionName(t.raw), !isKey(tokens, k) else { continue }
            if let key = MessageTokenizer.previousWord(tokens, before: k, sawSeparator: true),
                MessageTokenizer.codeKeys.contains(key.raw.lowercased()), key.raw.lowercased() != "type"
            {
                code = t.raw
                break
            }
            if code == nil, let head = t.raw.utf8.first, ASCII.isUpper(head) || t.raw.contains("_"),
                !t.raw.contains(".")
            {
                code = t.raw
            }
        }
        if let code {
            parts.append(kebab(code))
        } else if let status = tokens.first(where: { $0.token.isKept && Masking.isStatusNumber($0.raw) }) {
            parts.append(status.raw)
        }
        if exception == nil {
            // No exception class: the first words say what failed (`error-code-500`).
            let prose = words.filter { !$0.raw.contains("REDACTED") && $0.raw.utf8.contains(where: ASCII.isLetter) }
                .prefix(parts.isEmpty ? 4 : 2).map { kebab($0.raw) }.filter { !$0.isEmpty }
            parts.insert(contentsOf: prose, at: 0)
        }
        var id = kebab(parts.joined(separator: "-"))
        if id.utf8.count > 64 {
            id = String(id.prefix(64))
            while id.hasSuffix("-") { id.removeLast() }
        }
        return id.isEmpty ? "todo-rule-id" : id
    }

    /// Whether the token at `k` is a key: followed by `=` or `:`, maybe after a closing quote.
    static func isKey(_ tokens: [RawToken], _ k: Int) -> Bool {
        var j = k + 1
        if j < tokens.count, tokens[j].raw == "'" || tokens[j].raw == "\"" { j += 1 }
        return j < tokens.count && (tokens[j].raw == "=" || tokens[j].raw == ":")
    }

    /// `DeploymentNotFound` → `deployment-not-found`, `APIConnectionError` →
    /// `api-connection-error`, `content_filter` → `content-filter`.
    static func kebab(_ text: String) -> String {
        let b = Array(text.utf8)
        var out: [UInt8] = []
        for k in b.indices {
            let c = b[k]
            guard ASCII.isAlnum(c) else {
                if out.last != UInt8(ascii: "-"), !out.isEmpty { out.append(UInt8(ascii: "-")) }
                continue
            }
            if ASCII.isUpper(c), k > 0, out.last != UInt8(ascii: "-"), !out.isEmpty {
                let previous = b[k - 1]
                let nextIsLower = k + 1 < b.count && ASCII.isLower(b[k + 1])
                if ASCII.isLower(previous) || ASCII.isDigit(previous)
                    || (ASCII.isUpper(previous) && nextIsLower)
                {
                    out.append(UInt8(ascii: "-"))
                }
            }
            out.append(ASCII.isUpper(c) ? c | 0x20 : c)
        }
        while out.last == UInt8(ascii: "-") { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: YAML

    /// The comment listing the valid category labels, wrapped.
    static func categoryComment() -> String {
        var out = "# category: one of"
        var line = out
        out = ""
        for (n, label) in Category.labels.enumerated() {
            let item = " " + label + (n == Category.labels.count - 1 ? "" : ",")
            if line.utf8.count + item.utf8.count > 100 {
                out += line + "\n"
                line = "#  "
            }
            line += item
        }
        return out + line + "\n"
    }

    /// `|`, or `|2` when the first line starts with a space (YAML would take its indentation for
    /// the block's).
    static func blockHeader(_ lines: [String]) -> String {
        guard let first = lines.first(where: { !$0.isEmpty }) else { return "|" }
        return first.hasPrefix(" ") || first.hasPrefix("\t") ? "|2" : "|"
    }

    static func singleQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// `text` on one comment line: line breaks and control characters become spaces.
    static func comment(_ text: String) -> String {
        String(String.UnicodeScalarView(sanitize(text).unicodeScalars.map { $0 == "\u{FFFD}" ? " " : $0 }))
    }

    /// Characters YAML does not allow in a document (and line breaks within a line) become U+FFFD;
    /// tabs are kept.
    static func sanitize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let allowed =
                v == 0x09 || (v >= 0x20 && v < 0x7F) || v == 0x85
                || (v >= 0xA0 && v <= 0xD7FF && v != 0x2028 && v != 0x2029)
                || (v >= 0xE000 && v <= 0xFFFD && v != 0xFEFF) || v >= 0x10000
            out.append(allowed && v != 0x85 ? scalar : "\u{FFFD}")
        }
        return String(out)
    }
}
