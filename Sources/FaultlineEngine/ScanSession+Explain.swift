import FaultlineEvents
import FaultlineModel
import FaultlineText

/// `explain`: the verdicts of every rule on the events ``ScanSession/explain`` names, built from
/// the traces of the scan's own evaluation.
extension ScanSession {
    func wantsExplanation(_ event: borrowing EventView) -> Bool {
        switch explain {
        case nil: return false
        case .everyEvent: return true
        case .line(let n): return explanations.isEmpty && event.firstLine <= n && n <= event.lastLine
        }
    }

    /// Every rule's verdict on `event`, from the traces the scan's own evaluation recorded (rules
    /// that were no candidate are evaluated by the same matcher, which rules them out).
    func addExplanation(
        _ event: borrowing EventView, accepted: Set<Int>, traces: [Int: [Explanation.Step]]
    ) {
        var verdicts: [Explanation.Verdict] = []
        for (r, rule) in rules.rules.enumerated() {
            var steps = traces[r] ?? []
            if traces[r] == nil {
                var trace: [Explanation.Step]? = []
                let hit = matcher.evaluate(rule: r, event, trace: &trace)
                assert(hit == nil, "a rule the prefilter ruled out matched")
                steps = trace ?? []
            }
            if let contrast = rule.correlate?.contrast {
                steps.append(.contrast(required: contrast.required, patterns: contrast.succeeds.map(\.source)))
            }
            verdicts.append(.init(rule: rule.id, matched: accepted.contains(r), steps: steps))
        }
        verdicts.sort { a, b in a.matched != b.matched ? a.matched : a.rule < b.rule }
        let lines = (0..<event.lines.count).map { (event.lines[$0].number, Redactor.redact(event.lineText($0))) }
        let values = matcher.values(event).mapValues { Redactor.redact($0) }
        explanations.append(
            Explanation(
                source: currentSource, firstLine: event.firstLine, lastLine: event.lastLine, level: event.level(),
                timestamp: event.timestamp(), lines: lines, values: values, verdicts: verdicts))
        if case .line = explain {
            explainedEventText = (0..<event.lines.count).map { event.lineText($0) }
            stopRequested = true
        }
    }
}
