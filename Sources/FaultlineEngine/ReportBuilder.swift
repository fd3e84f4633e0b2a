import FaultlineModel
import FaultlineRules

/// Turns a ``ScanResult`` into a ranked, folded, redacted ``Report``.
///
/// Pure: the same result always gives the same report.
public enum ReportBuilder {
    /// Builds the report: drops findings whose required contrast is missing, scores confidence
    /// with its reasons, folds symptoms under the causes that explain them, ranks most likely
    /// root cause first, fills `{placeholders}` and redacts secrets.
    public static func build(_ result: ScanResult, rules: CompiledRules) -> Report {
        // 1. Findings per (rule, source); a required contrast missing in a source drops them.
        var kept: [RuleFindings] = []
        for f in result.findings {
            if let contrast = rules.rules[f.rule].correlate?.contrast, contrast.required,
                result.contrast[FindingKey(rule: f.rule, source: f.source)] == nil
            {
                continue
            }
            kept.append(f)
        }
        // 2. Fold symptoms under the causes that explain them, within the same source: a literal
        //    "$VAR" in one job's log explains that job's 401s, not another job's.
        let byRule = Dictionary(grouping: kept.indices, by: { kept[$0].rule })
        let causeOrder = byRule.keys.sorted { a, b in
            let ra = rules.rules[a]
            let rb = rules.rules[b]
            if ra.confidence != rb.confidence { return ra.confidence > rb.confidence }
            if ra.severity != rb.severity { return ra.severity > rb.severity }
            return (byRule[a]?.map { kept[$0].order }.min() ?? 0) < (byRule[b]?.map { kept[$0].order }.min() ?? 0)
        }
        var folded = Set<Int>()  // indices into `kept`
        var symptoms: [Int: [Int: Int]] = [:]  // cause rule -> symptom rule -> occurrences
        var widened: [Int: [RuleFindings]] = [:]  // cause rule -> folded findings (for time spans)
        for c in causeOrder {
            let explains = Set(rules.rules[c].explains)
            guard !explains.isEmpty, let causeIdx = byRule[c] else { continue }
            for ci in causeIdx where !folded.contains(ci) {
                let source = kept[ci].source
                for (si, s) in kept.enumerated() where s.source == source && s.rule != c && !folded.contains(si) {
                    let symptom = rules.rules[s.rule]
                    guard explains.contains(symptom.id) || explains.contains(symptom.category.rawValue) else {
                        continue
                    }
                    folded.insert(si)
                    symptoms[c, default: [:]][s.rule, default: 0] += s.occurrences
                    widened[c, default: []].append(s)
                }
            }
        }
        // 3. One draft per rule, merging its remaining sources.
        var drafts: [Draft] = []
        for r in causeOrder {
            let parts = (byRule[r] ?? []).filter { !folded.contains($0) }.map { kept[$0] }.sorted {
                $0.order < $1.order
            }
            guard !parts.isEmpty else { continue }
            let rule = rules.rules[r]
            var merged = RuleFindings(rule: r, source: parts[0].source)
            merged.order = parts[0].order
            merged.firstSeen = parts[0].firstSeen
            let last = parts.max { $0.lastOrder < $1.lastOrder }
            merged.lastOrder = last?.lastOrder ?? 0
            merged.lastSeen = last?.lastSeen
            for p in parts {
                merged.occurrences += p.occurrences
                for e in p.evidence where merged.evidence.count < 5 { merged.evidence.append(e) }
                for (k, v) in p.values where merged.values[k] == nil { merged.values[k] = v }
                for sig in p.signals where !merged.signals.contains(sig) && merged.signals.count < 3 {
                    merged.signals.append(sig)
                }
            }
            var confidence = rule.confidence
            var signals: [Signal] = []
            if let first = merged.evidence.first {
                signals.append(Signal(effect: "+", text: "\(describeMatch(rule)) at \(first.source):\(first.line)"))
            }
            signals += merged.signals
            if rule.correlate?.contrast != nil {
                if let ok = parts.lazy.compactMap({ result.contrast[FindingKey(rule: r, source: $0.source)] }).first {
                    confidence += 0.1
                    signals.append(
                        Signal(
                            effect: "+", text: "the same log shows a request that succeeds, at \(ok.source):\(ok.line)")
                    )
                } else {
                    confidence -= 0.1
                    signals.append(
                        Signal(
                            effect: "-",
                            text:
                                "no succeeding request of the other kind in this log; the contrast cannot be confirmed")
                    )
                }
            }
            var draft = Draft(findings: merged, rule: rule, confidence: confidence, signals: signals)
            for (s, count) in (symptoms[r] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let symptom = rules.rules[s]
                draft.symptoms.append(
                    Symptom(rule: symptom.id, category: symptom.category, title: symptom.title, occurrences: count))
                draft.signals.append(
                    Signal(effect: "+", text: "explains \(count) event(s) of '\(symptom.title)' (\(symptom.id))"))
                draft.confidence += 0.05
            }
            for w in widened[r] ?? [] { draft.extend(with: w) }
            drafts.append(draft)
        }
        drafts.sort(by: rank)
        let incidents = drafts.enumerated().map { i, d in d.incident(id: "F\(i + 1)") }
        let diagnostics = result.diagnostics.map { d -> Diagnostic in
            var d = d
            d.message = Redactor.redact(d.message)
            return d
        }
        return Report(incidents: incidents, stats: result.stats, diagnostics: diagnostics)
    }

    private static func describeMatch(_ rule: Rule) -> String {
        "matched the signature of '\(rule.id)'"
    }

    private static func rank(_ a: Draft, _ b: Draft) -> Bool {
        if a.score != b.score { return a.score > b.score }
        if a.rule.severity != b.rule.severity { return a.rule.severity > b.rule.severity }
        return a.findings.order < b.findings.order
    }

    fileprivate struct Draft {
        var findings: RuleFindings
        let rule: Rule
        var confidence: Double
        var signals: [Signal]
        var symptoms: [Symptom] = []

        var score: Double { (min(0.99, max(0.01, confidence)) * 100).rounded() }

        /// A folded symptom's time span widens the cause's.
        mutating func extend(with other: RuleFindings) {
            if other.order < findings.order, other.firstSeen != nil || findings.firstSeen == nil {
                findings.firstSeen = other.firstSeen
                findings.order = other.order
            }
            if other.lastOrder > findings.lastOrder, other.lastSeen != nil || findings.lastSeen == nil {
                findings.lastSeen = other.lastSeen
                findings.lastOrder = other.lastOrder
            }
        }

        func incident(id: String) -> Incident {
            let values = Dictionary(
                uniqueKeysWithValues: findings.values.map { ($0.key, Redactor.redact(value: $0.value, field: $0.key)) })
            return Incident(
                id: id, rule: rule.id, category: rule.category, severity: rule.severity,
                confidence: (min(0.99, max(0.01, confidence)) * 100).rounded() / 100, title: rule.title,
                cause: Template.fill(rule.cause, values, groups: rule.captureNames),
                fix: rule.fix.map { Template.fill($0, values, groups: rule.captureNames) },
                references: rule.references, occurrences: findings.occurrences,
                firstSeen: findings.firstSeen.map(Redactor.redact), lastSeen: findings.lastSeen.map(Redactor.redact),
                values: values, candidates: rule.candidates,
                signals: signals.map { Signal(effect: $0.effect, text: Redactor.redact($0.text)) }, explains: symptoms,
                evidence: findings.evidence.map {
                    Evidence(source: $0.source, line: $0.line, text: Redactor.redact($0.text))
                })
        }
    }
}

/// Fills `{name}` placeholders of rule text with captured values.
public enum Template {
    /// Replaces each `{name}` (letters, digits, `_`; not preceded by `$`) with its value, or
    /// `(unknown)` when `name` is one of `groups` but was not captured. Other braces (code in
    /// fix snippets, `${VAR}`) are left as they are.
    public static func fill(_ text: String, _ values: [String: String], groups: Set<String>) -> String {
        guard text.contains("{") else { return text }
        var out = ""
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "{", let close = text[i...].firstIndex(of: "}") {
                let name = text[text.index(after: i)..<close]
                let key = String(name)
                let dollar = out.last == "$"
                if !dollar, let value = values[key] ?? (groups.contains(key) ? "(unknown)" : nil) {
                    out += value
                    i = text.index(after: close)
                    continue
                }
            }
            out.append(c)
            i = text.index(after: i)
        }
        return out
    }
}
