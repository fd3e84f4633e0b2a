import FaultlineModel

/// Renders `faultline rules test`: a line per rule with its TP/FN/FP/TN counts, its failures,
/// overlaps and known gaps, and the summary line. A pure function of the outcomes.
public enum RuleTestRenderer {
    /// The report; `quiet` prints only failing rules, closed gaps and the summary.
    public static func render(_ outcomes: [RuleTestOutcome], quiet: Bool) -> String {
        var out = ""
        var passed = 0
        var failed = 0
        var gapsOpen = 0
        for r in outcomes {
            if r.passed { passed += 1 } else { failed += 1 }
            gapsOpen += r.gapsOpen.count
            if quiet && r.passed && r.gapsClosed.isEmpty { continue }
            out +=
                "\(r.passed ? "PASS" : "FAIL")  \(r.rule)  TP \(r.truePositives) FN \(r.falseNegatives) FP \(r.falsePositives) TN \(r.trueNegatives)"
            if !r.gapsOpen.isEmpty { out += "  known gaps \(r.gapsOpen.count)" }
            out += "\n"
            for f in r.failures { out += "      \(f.location): \(r.rule) [\(f.variant)]: \(f.message)\n" }
            if !quiet {
                if !r.alsoMatches.isEmpty {
                    let list = r.alsoMatches.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }
                    out += "      also matches examples of: \(list.joined(separator: ", "))\n"
                }
                for o in r.outranked { out += "      outranked by \(o.by) on its example at \(o.example)\n" }
                for g in r.gapsOpen { out += "      \(g.kind) at \(g.location): \(g.note)\n" }
            }
            for g in r.gapsClosed {
                out += "      \(g.kind) at \(g.location) no longer reproduces; make it an ordinary example\n"
            }
        }
        out += "rules: \(passed) passed, \(failed) failed"
        if gapsOpen > 0 { out += " (\(gapsOpen) known gaps reported)" }
        return out + "\n"
    }
}
