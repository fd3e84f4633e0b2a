import FaultlineEvents
import FaultlineIngest
import FaultlineModel
import FaultlineText

/// Receives each finding the moment it is recorded: the last stage of the push pipeline
/// (lines → events → findings). Live mode prints incidents as they come through one.
public protocol FindingSink: AnyObject {
    /// Called after `finding` was updated; `isNew` for the first event of its rule and grouping
    /// in a source. ``SinkAction/stop`` ends the scan after this event.
    func finding(_ finding: RuleFindings, isNew: Bool) -> SinkAction
}

/// Everything the rules found, per rule, source, grouping values and compose service.
struct FindingAggregator {
    /// How many evidence lines a finding keeps.
    let maxEvidence: Int
    private(set) var findings: [FindingKey: RuleFindings] = [:]

    init(maxEvidence: Int) { self.maxEvidence = maxEvidence }

    /// The findings in the order they were first seen.
    var sorted: [RuleFindings] { findings.values.sorted { $0.order < $1.order } }

    /// Records one match of rule `r` in `event` at line index `li`, numbered `order`; returns the
    /// updated finding.
    mutating func record(
        rule r: Int, groupBy: [String], event: borrowing EventView, line li: Int, values: [String: String],
        timestamp: String?, signal: Signal?, source: String, order: Int
    ) -> RuleFindings {
        let groupValues = groupBy.map { values[$0] ?? "" }
        let key = FindingKey(
            rule: r, source: source, group: groupValues.joined(separator: "\u{1F}"), service: event.service)
        var f =
            findings[key]
            ?? RuleFindings(rule: r, source: source, service: event.service, groupValues: groupValues)
        if f.occurrences == 0 {
            f.order = order
            f.firstSeen = timestamp
        }
        f.lastOrder = order
        f.occurrences += 1
        if timestamp != nil { f.lastSeen = timestamp }
        let number = event.lines[li].number
        if f.evidence.count < maxEvidence {
            f.evidence.append(Evidence(source: source, line: number, text: ANSI.strip(event.rawLineText(li))))
        }
        if f.lines.count < 1000 { f.lines.append((source, number)) }
        for (k, v) in values where f.values[k] == nil { f.values[k] = v }
        if let signal, f.signals.isEmpty { f.signals.append(signal) }
        findings[key] = f
        return f
    }
}
