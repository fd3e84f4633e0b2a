import FaultlineEvents
import FaultlineModel
import FaultlineRules
import FaultlineText

/// What `correlate.after` needs to remember: per rule that some sequence names, its latest
/// accepted event, in the current source and over the whole scan, and per captured value for
/// keyed sequences. Bounded: at most ``maxKeys`` values per rule.
struct SequenceMemory {
    static let maxKeys = 4096

    struct Seen {
        let event: Int
        let time: Double?
        let source: String
        let line: Int
    }

    /// Events seen so far in the whole scan (windows count in events).
    private(set) var eventOrdinal = 0
    private var inSource: [Int: Seen] = [:]
    private var anywhere: [Int: Seen] = [:]
    private var byKey: [Int: [String: Seen]] = [:]

    /// A new source: what was seen in the previous one no longer counts as "same source".
    mutating func begin() { inSource.removeAll(keepingCapacity: true) }

    /// Counts one more event.
    mutating func next() { eventOrdinal += 1 }

    /// How a rule's `correlate.after` condition turned out.
    enum Outcome {
        /// The condition is not met (no earlier event within the window).
        case rejected
        /// Met, with the signal that says which earlier event it follows; `nil` without a condition.
        case accepted(Signal?)
    }

    /// Checks rule `r`'s `correlate.after` against what was remembered.
    func check(_ r: Int, rules: CompiledRules, values: [String: String], time: Double?, source: String) -> Outcome {
        guard let after = rules.rules[r].correlate?.after else { return .accepted(nil) }
        guard let target = rules.afterRule[r] else { return .rejected }
        var seen: Seen?
        if let key = after.key {
            guard let value = values[key] else { return .rejected }
            seen = byKey[target]?[key + "\u{0}" + value]
            if let s = seen, after.sameSource, s.source != source { seen = nil }
        } else {
            seen = after.sameSource ? inSource[target] : anywhere[target]
        }
        guard let seen, eventOrdinal - seen.event <= after.withinEvents else { return .rejected }
        if let limit = after.withinSeconds, let t = time, let t0 = seen.time, abs(t - t0) > limit { return .rejected }
        let keyText = after.key.flatMap { k in values[k].map { ", same \(k) \($0)" } } ?? ""
        let earlier = rules.rules[target]
        return .accepted(
            Signal(
                effect: "+",
                text:
                    "follows '\(earlier.title)' (\(earlier.id)) at \(seen.source):\(seen.line), \(eventOrdinal - seen.event) event(s) earlier\(keyText)"
            ))
    }

    /// Remembers an accepted event of rule `r` (a rule some sequence refers to).
    mutating func remember(_ r: Int, values: [String: String], time: Double?, source: String, line: Int) {
        let seen = Seen(event: eventOrdinal, time: time, source: source, line: line)
        inSource[r] = seen
        anywhere[r] = seen
        guard !values.isEmpty else { return }
        var keyed = byKey[r] ?? [:]
        if keyed.count >= Self.maxKeys { keyed.removeAll(keepingCapacity: true) }
        for (k, v) in values { keyed[k + "\u{0}" + v] = seen }
        byKey[r] = keyed
    }

    /// A match whose `correlate.after` condition holds, with what it follows and its time.
    typealias Accepted = (rule: Int, hit: RuleHit, signal: Signal?, time: Double?, timestamp: String?)

    /// The matches whose `correlate.after` condition holds, with the signal saying what they
    /// follow; when `explaining`, each rule's trace says whether its sequence was met.
    func accept(
        _ matched: [(rule: Int, hit: RuleHit)], _ event: borrowing EventView, rules: CompiledRules, source: String,
        explaining: Bool, traces: inout [Int: [Explanation.Step]]
    ) -> [Accepted] {
        guard !matched.isEmpty else { return [] }
        let timestamp = event.timestamp()
        let time = timestamp.flatMap(Timestamp.seconds)
        var accepted: [Accepted] = []
        for m in matched {
            switch check(m.rule, rules: rules, values: m.hit.values, time: time, source: source) {
            case .rejected:
                if explaining, let after = rules.rules[m.rule].correlate?.after {
                    traces[m.rule, default: []].append(
                        .sequenceUnmet(
                            rule: after.rule, withinEvents: after.withinEvents, withinSeconds: after.withinSeconds,
                            key: after.key, sameSource: after.sameSource))
                }
            case .accepted(let signal):
                if explaining, let signal { traces[m.rule, default: []].append(.sequenceMet(signal.text)) }
                accepted.append((m.rule, m.hit, signal, time, timestamp))
            }
        }
        return accepted
    }
}
