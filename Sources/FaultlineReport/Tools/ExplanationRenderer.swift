import FaultlineModel

/// Renders `faultline explain FILE:LINE`: the event, its values, and each rule's verdict step by
/// step. A pure function of the explanation.
public enum ExplanationRenderer {
    /// How many event lines are shown before "… N more lines".
    public static let maxLines = 60

    /// The page for `explanation`, marking `line`; without `all`, rules that neither matched nor
    /// came close are counted, not listed.
    public static func render(_ e: Explanation, line: Int, all: Bool) -> String {
        var out = "Event \(e.source):\(e.firstLine)-\(e.lastLine)"
        out += "  level: \(e.level?.rawValue ?? "none")  time: \(e.timestamp ?? "none")\n"
        for (number, text) in e.lines.prefix(maxLines) {
            out += leftPadded(String(number), to: 6) + (number == line ? " > " : " | ") + text + "\n"
        }
        if e.lines.count > maxLines { out += "       … \(e.lines.count - maxLines) more lines\n" }
        out += "\nValues:\n"
        if e.values.isEmpty { out += "  (none)\n" }
        for (k, v) in e.values.sorted(by: { $0.key < $1.key }) { out += "  \(k) = \(v)\n" }
        out += "\nRules:\n"
        var hidden = 0
        for v in e.verdicts {
            if !all && !v.isClose {
                hidden += 1
                continue
            }
            out += "  \(v.matched ? "MATCH" : "no   ")  \(v.rule)\n"
            for step in v.steps { out += "         \(step.text)\n" }
        }
        if hidden > 0 { out += "  … \(hidden) rules with no matching pattern (--all lists them)\n" }
        return out
    }

    static func leftPadded(_ s: String, to width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }
}
