import FaultlineModel
import Foundation

/// Renders what `faultline rules list` and `rules show` print, and the `docs/rules.md` catalogue
/// (`rules list --format markdown`; the test command fails when the committed file is stale).
/// Pure functions of the rules' sheets.
public enum RulePagesRenderer {
    /// `rules list`: one aligned line per rule (id, category, severity, title) and a count.
    public static func list(_ rules: [RuleSheet]) -> String {
        let idWidth = rules.map(\.id.count).max() ?? 2
        let catWidth = rules.map(\.category.rawValue.count).max() ?? 8
        var out = ""
        for r in rules {
            out +=
                r.id.padding(toLength: idWidth + 2, withPad: " ", startingAt: 0)
                + r.category.rawValue.padding(toLength: catWidth + 2, withPad: " ", startingAt: 0)
                + r.severity.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) + r.title + "\n"
        }
        return out + "\(rules.count) rules\n"
    }

    /// `rules list --format json`: id, category, severity, title, file and example count per rule.
    public static func listJSON(_ rules: [RuleSheet]) -> String {
        struct Entry: Encodable {
            let id, category, severity, title, file: String
            let examples: Int
        }
        let entries = rules.map {
            Entry(
                id: $0.id, category: $0.category.rawValue, severity: $0.severity.rawValue, title: $0.title,
                file: $0.file, examples: $0.matchExamples.count + $0.noMatchExampleCount)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(entries)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `rules show ID`: the rule as a page.
    public static func page(_ r: RuleSheet) -> String {
        var out = "\(r.id)  —  \(r.title)\n"
        out += "category: \(r.category.rawValue)   severity: \(r.severity.rawValue)   confidence: \(r.confidence)\n"
        out += "file: \(r.file)\n\n"
        out += "Match (\(r.matchMode)):\n" + r.matchPatterns.map { "  \($0)\n" }.joined()
        if let mode = r.unlessMode { out += "Unless (\(mode)):\n" + r.unlessPatterns.map { "  \($0)\n" }.joined() }
        if let a = r.after {
            out += "After: \(a.rule) within \(a.withinEvents) events"
            out += a.withinSeconds.map { " / \($0) s" } ?? ""
            out += "\n"
        }
        if let required = r.contrastRequired {
            out += "Contrast (\(required ? "required" : "raises confidence")):\n"
            out += r.contrastPatterns.map { "  \($0)\n" }.joined()
        }
        if !r.explains.isEmpty { out += "Explains: \(r.explains.joined(separator: ", "))\n" }
        out += "\nCause:\n  \(r.cause)\n\nFix:\n"
        for (i, step) in r.fix.enumerated() {
            out += "  \(i + 1). " + step.replacingOccurrences(of: "\n", with: "\n     ") + "\n"
        }
        if !r.candidates.isEmpty {
            out += "\nPossible causes:\n" + r.candidates.map { "  - \($0.category.rawValue): \($0.why)\n" }.joined()
        }
        out += "\nReferences:\n" + r.references.map { "  \($0)\n" }.joined()
        out += "\nExamples: \(r.matchExamples.count) match, \(r.noMatchExampleCount) no_match\n"
        for e in r.matchExamples {
            out += "\n  match (evidence line \(e.line)):\n"
            out += e.log.split(separator: "\n", omittingEmptySubsequences: false).map { "    | \($0)\n" }.joined()
        }
        return out
    }

    /// The catalogue `docs/rules.md`.
    public static func catalogue(_ rules: [RuleSheet]) -> String {
        var out = """
            # Rule catalogue

            Generated from `rules/` by `faultline rules list --format markdown > docs/rules.md`;
            do not edit by hand (`scripts/test` fails when this file is stale). \(rules.count) rules
            in \(Set(rules.map(\.category)).count) categories. How to write one: `rules/README.md`.

            | category | rules |
            |---|---:|

            """
        let byCategory = Dictionary(grouping: rules, by: \.category)
        for category in Category.allCases {
            out += "| `\(category.rawValue)` | \(byCategory[category]?.count ?? 0) |\n"
        }
        for category in Category.allCases {
            guard let list = byCategory[category]?.sorted(by: { $0.id < $1.id }), !list.isEmpty else { continue }
            out += "\n## `\(category.rawValue)`\n"
            for r in list {
                out += "\n### \(r.id)\n\n"
                out += "**\(escape(r.title))**\n\n"
                var facts = ["severity \(r.severity.rawValue)", "confidence \(r.confidence)"]
                if r.symptom { facts.append("symptom rule") }
                if !r.files.isEmpty {
                    facts.append("reads files named " + r.files.map { "`\($0)`" }.joined(separator: ", "))
                }
                if let after = r.after { facts.append("sequence after `\(after.rule)`") }
                if r.contrastRequired != nil { facts.append("contrast") }
                if !r.versions.isEmpty {
                    facts.append(
                        "versions: " + r.versions.joined(separator: "; "))
                }
                facts.append("\(r.matchExamples.count) match / \(r.noMatchExampleCount) no_match examples")
                facts.append("`\(r.file)`")
                out += facts.joined(separator: " · ") + "\n\n"
                out += escape(firstSentences(r.cause)) + "\n"
                if !r.explains.isEmpty {
                    out += "\nExplains: " + r.explains.map { "`\($0)`" }.joined(separator: ", ") + "\n"
                }
                if !r.candidates.isEmpty {
                    out +=
                        "\nCandidates: " + r.candidates.map { "`\($0.category.rawValue)`" }.joined(separator: ", ")
                        + "\n"
                }
                out += "\nReferences: " + r.references.map { "<\($0)>" }.joined(separator: " · ") + "\n"
            }
        }
        return out
    }

    /// The first two sentences of a cause, placeholders left as written.
    static func firstSentences(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        var out = ""
        var sentences = 0
        var previous: Character = " "
        for c in flat {
            if c == " " && previous == "." {
                sentences += 1
                if sentences == 2 { break }
            }
            out.append(c)
            previous = c
        }
        return out
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "&lt;")
    }
}
