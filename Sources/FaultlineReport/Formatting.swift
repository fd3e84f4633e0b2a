import FaultlineModel

/// Helpers shared by the text and Markdown renderers.
enum Formatting {
    /// `1234567` → `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// `1 incident`, `3 incidents`.
    static func count(_ value: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(grouped(value)) \(value == 1 ? singular : plural ?? singular + "s")"
    }

    /// A confidence rounded to two decimals, `0.90`; out-of-range and NaN values are clamped.
    static func confidence(_ value: Double) -> String {
        let hundredths = roundedHundredths(value)
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// `value` clamped to 0…1 and rounded to hundredths, as an integer 0…100.
    static func roundedHundredths(_ value: Double) -> Int {
        guard value.isFinite else { return 0 }
        let clamped = min(1, max(0, value))
        return Int((clamped * 100).rounded())
    }

    /// `N incidents in F files (L lines, E events)` — the summary both text and Markdown lead with.
    static func scanSummary(_ stats: ScanStats) -> String {
        "\(count(stats.files, "file")) (\(count(stats.lines, "line")), \(count(stats.events, "event")))"
    }

    /// `Seen 3 times, first X, last Y`.
    static func seen(_ incident: Incident) -> String {
        var text = incident.occurrences == 1 ? "Seen once" : "Seen \(grouped(incident.occurrences)) times"
        switch (incident.firstSeen, incident.lastSeen) {
        case let (first?, last?) where first == last:
            text += ", at \(first)"
        case let (first?, last?):
            text += ", first \(first), last \(last)"
        case let (first?, nil):
            text += ", first \(first)"
        case let (nil, last?):
            text += ", last \(last)"
        case (nil, nil):
            break
        }
        return text
    }

    /// Makes text safe to print: C0 controls (except tab), DEL, C1 controls and bidirectional
    /// overrides become visible escapes (`\x1b`, `\u{202E}`), so a hostile log line cannot move
    /// the cursor, retitle the terminal or reorder what the reader sees.
    static func inert(_ text: String, keepNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepNewlines: keepNewlines) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar, keepNewlines: keepNewlines) {
                let hex = String(scalar.value, radix: 16)
                let escape =
                    scalar.value < 0x100
                    ? "\\x" + (hex.count < 2 ? "0" : "") + hex
                    : "\\u{" + hex.uppercased() + "}"
                out.append(contentsOf: escape.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar, keepNewlines: Bool) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x0A: !keepNewlines
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// `text` cut to at most `limit` characters, ending in `…` when cut.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard limit > 0 else { return "" }
        var count = 0
        var index = text.startIndex
        while index < text.endIndex {
            if count == limit - 1 {
                let next = text.index(after: index)
                return next == text.endIndex ? text : String(text[..<index]) + "…"
            }
            count += 1
            index = text.index(after: index)
        }
        return text
    }

    /// Greedy word wrap of one paragraph to `width` columns; words longer than a line stay whole.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// A block of a fix step: prose, or a code snippet to keep verbatim.
    enum Block: Equatable {
        case prose(String)
        case code([String])
    }

    /// Splits a fix step into prose and code: lines indented with spaces or tabs are code
    /// (kept verbatim, common indentation removed), as are lines between ``` fences; other
    /// consecutive lines form one prose paragraph; blank lines separate paragraphs.
    static func blocks(of step: String) -> [Block] {
        var blocks: [Block] = []
        var prose: [String] = []
        var code: [String] = []
        var inFence = false

        func flushProse() {
            if !prose.isEmpty { blocks.append(.prose(prose.joined(separator: " "))) }
            prose = []
        }
        func flushCode() {
            while let last = code.last, last.allSatisfy(\.isWhitespace) { code.removeLast() }
            if !code.isEmpty { blocks.append(.code(dedented(code))) }
            code = []
        }

        for rawLine in step.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : String(rawLine)
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                if inFence {
                    flushCode()
                } else {
                    flushProse()
                }
                inFence.toggle()
                continue
            }
            if inFence {
                code.append(line)
            } else if line.allSatisfy(\.isWhitespace) {
                if code.isEmpty {
                    flushProse()
                } else {
                    code.append("")
                }
            } else if line.first == " " || line.first == "\t" {
                flushProse()
                code.append(line)
            } else {
                flushCode()
                prose.append(line)
            }
        }
        flushProse()
        flushCode()
        return blocks
    }

    /// Removes the indentation that all non-blank lines share.
    static func dedented(_ lines: [String]) -> [String] {
        let indents = lines.filter { !$0.allSatisfy(\.isWhitespace) }
            .map { $0.prefix(while: { $0 == " " || $0 == "\t" }).count }
        let common = indents.min() ?? 0
        return lines.map { $0.allSatisfy(\.isWhitespace) ? "" : String($0.dropFirst(common)) }
    }
}
