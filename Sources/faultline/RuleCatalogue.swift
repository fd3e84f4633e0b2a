import FaultlineModel
import FaultlineRules

/// The rule catalogue `docs/rules.md`, generated from the rules (`faultline rules list --format
/// markdown`); the test command fails when the committed file is stale.
enum RuleCatalogue {
    static func markdown(_ rules: [Rule]) -> String {
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
                if r.correlate?.after != nil { facts.append("sequence after `\(r.correlate?.after?.rule ?? "")`") }
                if r.correlate?.contrast != nil { facts.append("contrast") }
                if !r.versions.isEmpty {
                    facts.append(
                        "versions: " + r.versions.map { "\($0.package) \($0.affected)" }.joined(separator: "; "))
                }
                facts.append("\(r.matchExamples.count) match / \(r.noMatchExamples.count) no_match examples")
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
