import FaultlineEvents
import FaultlineModel

/// Where each rule's contrast (a succeeding request of the contrasting kind) and each of its
/// `signals:` was first seen, per source: what raises or lowers an incident's confidence.
struct SignalLedger {
    private(set) var contrast: [FindingKey: Evidence] = [:]
    private(set) var signals: [SignalKey: Evidence] = [:]

    /// Notes, for candidate rule `r`, a contrasting request and the `scope: source` signals in `event`.
    mutating func noteSourceScope(
        rule r: Int, _ event: borrowing EventView, matcher: RuleMatcher, source: String
    ) {
        let rules = matcher.rules
        if !rules.succeedsIDs[r].isEmpty {
            let key = FindingKey(rule: r, source: source)
            if contrast[key] == nil, let ev = matcher.firstEvidence(of: rules.succeedsIDs[r], event, rule: r) {
                contrast[key] = ev
            }
        }
        for (i, p) in rules.hot[r].sourceSignals where matcher.flagged(p) {
            note(rule: r, signal: i, pattern: p, event, matcher: matcher, source: source)
        }
    }

    /// Notes the `scope: event` signals of rule `r`, which matched `event`.
    mutating func noteEventScope(
        rule r: Int, _ event: borrowing EventView, matcher: RuleMatcher, source: String
    ) {
        for (i, p) in matcher.rules.hot[r].eventSignals {
            note(rule: r, signal: i, pattern: p, event, matcher: matcher, source: source)
        }
    }

    private mutating func note(
        rule r: Int, signal i: Int, pattern p: Int, _ event: borrowing EventView, matcher: RuleMatcher,
        source: String
    ) {
        let key = SignalKey(rule: r, signal: i, source: source)
        if signals[key] == nil, let ev = matcher.firstEvidence(of: [p], event, rule: r) { signals[key] = ev }
    }
}
