import FaultlineEvents
import FaultlineModel
import FaultlineRegex
import FaultlineRules

/// Why each rule did or did not match one event: what `faultline explain FILE:LINE` shows.
public struct Explanation: Sendable {
    /// One rule's verdict on the event.
    public struct Verdict: Sendable {
        public let rule: String
        public let matched: Bool
        /// One line per reason, in the order they were checked.
        public let reasons: [String]
    }

    public let source: String
    public let firstLine: Int
    public let lastLine: Int
    public let level: LogLevel?
    public let timestamp: String?
    /// The event's lines as written (number, text), redacted.
    public let lines: [(number: Int, text: String)]
    /// Values extracted from the event (redacted).
    public let values: [String: String]
    /// Rules that matched first, then the others by id.
    public let verdicts: [Verdict]
}

extension ScanSession {
    /// Builds the explanation of `event` against every rule (run on the event holding the line
    /// `explain` asks about; the correlation state is the scan's state at that point).
    func explain(_ event: borrowing EventView, applicable: [Bool], accepted: Set<Int>, scratch: MatchScratch)
        -> Explanation
    {
        var lines: [(number: Int, text: String)] = []
        for i in 0..<event.lines.count {
            // The text rules match: wrappers peeled, a JSON record's message and fields as lines.
            lines.append((event.lines[i].number, Redactor.redact(event.lineText(i))))
        }
        let text = event.textString
        let lower = Array(text.lowercased().utf8)
        func hasLiteral(_ p: RulePattern) -> Bool {
            guard let set = p.literals else { return true }
            return set.alternatives.contains { lit in
                let l = lit.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }
                return lower.count >= l.count
                    && (0...(lower.count - l.count)).contains { i in
                        lower[i..<(i + l.count)].elementsEqual(l)
                    }
            }
        }
        func matches(_ p: RulePattern) -> (Bool, String?) {
            do {
                return (try p.regex.firstMatch(in: event.text, from: 0, using: scratch) != nil, nil)
            } catch {
                return (false, "\(error)")
            }
        }
        var verdicts: [Explanation.Verdict] = []
        for (r, rule) in rules.rules.enumerated() {
            var reasons: [String] = []
            if !applicable[r] {
                reasons.append("only looks at files named \(rule.files.joined(separator: ", "))")
                verdicts.append(.init(rule: rule.id, matched: false, reasons: reasons))
                continue
            }
            var anyMatched = false
            var allMatched = true
            for (i, p) in rule.match.patterns.enumerated() {
                let literal = hasLiteral(p)
                let (ok, error) = matches(p)
                if ok { anyMatched = true } else { allMatched = false }
                var line = "match pattern \(i + 1) \(ok ? "matches" : "does not match"): \(p.source)"
                if !literal, let set = p.literals {
                    let names = set.alternatives.map { "'\(String(decoding: $0, as: UTF8.self))'" }
                    line += " (none of its literals \(names.joined(separator: ", ")) occur)"
                }
                if let error { line += " (\(error))" }
                reasons.append(line)
            }
            let patternsOK = rule.match.mode == .any ? anyMatched : allMatched
            if !patternsOK {
                reasons.append(
                    rule.match.mode == .any
                        ? "needs one of its patterns to match" : "needs all of its patterns to match")
            }
            if patternsOK, let filter = rule.fieldFilter {
                let described = filter.spec.map { "\($0.field)=\($0.expected)" }.joined(separator: ", ")
                reasons.append(
                    "where \(described): \(accepted.contains(r) ? "fields match" : "checked on the event's values")")
            }
            if patternsOK, let unless = rule.unless {
                let hits = unless.patterns.filter { matches($0).0 }
                if unless.mode == .any ? !hits.isEmpty : hits.count == unless.patterns.count {
                    reasons.append("vetoed by unless: \(hits.map(\.source).joined(separator: "; "))")
                }
            }
            if patternsOK, let after = rule.correlate?.after, !accepted.contains(r) {
                var need = "needs an earlier '\(after.rule)' event within \(after.withinEvents) events"
                if let s = after.withinSeconds { need += " and \(Int(s)) s" }
                if let k = after.key { need += " with the same \(k)" }
                reasons.append(need + (after.sameSource ? " in the same file" : "") + "; none was seen")
            }
            if let contrast = rule.correlate?.contrast {
                reasons.append(
                    "contrast (\(contrast.required ? "required" : "raises confidence")): a succeeding request matching \(contrast.succeeds.map(\.source).joined(separator: " or ")) elsewhere in the file"
                )
            }
            verdicts.append(.init(rule: rule.id, matched: accepted.contains(r), reasons: reasons))
        }
        verdicts.sort { a, b in a.matched != b.matched ? a.matched : a.rule < b.rule }
        let values = rules.extractor.values(in: text, using: scratch).mapValues { Redactor.redact($0) }
        return Explanation(
            source: event.source, firstLine: event.firstLine, lastLine: event.lastLine, level: event.level(),
            timestamp: event.timestamp(), lines: lines, values: values, verdicts: verdicts)
    }
}
