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
        var drafts: [Draft] = []
        for f in result.findings {
            let rule = rules.rules[f.rule]
            var confidence = rule.confidence
            var signals: [Signal] = []
            if let first = f.evidence.first {
                signals.append(
                    Signal(effect: "+", text: "\(describeMatch(rule)) at \(first.source):\(first.line)"))
            }
            signals += f.signals
            if let contrast = rule.correlate?.contrast {
                if let ok = result.contrast[f.rule] {
                    confidence += 0.1
                    signals.append(
                        Signal(effect: "+", text: "the same log shows a request that succeeds, at \(ok.source):\(ok.line)"))
                } else if contrast.required {
                    continue
                } else {
                    confidence -= 0.1
                    signals.append(
                        Signal(
                            effect: "-",
                            text: "no succeeding request of the other kind in this log; the contrast cannot be confirmed"))
                }
            }
            drafts.append(Draft(findings: f, rule: rule, confidence: confidence, signals: signals))
        }

        drafts.sort(by: rank)
        // Fold symptoms under the causes that explain them, most likely cause first.
        var folded = [Bool](repeating: false, count: drafts.count)
        for c in drafts.indices where !folded[c] {
            let explains = Set(drafts[c].rule.explains)
            guard !explains.isEmpty else { continue }
            for s in drafts.indices where s != c && !folded[s] {
                let symptom = drafts[s].rule
                guard explains.contains(symptom.id) || explains.contains(symptom.category.rawValue) else { continue }
                folded[s] = true
                drafts[c].symptoms.append(
                    Symptom(
                        rule: symptom.id, category: symptom.category, title: symptom.title,
                        occurrences: drafts[s].findings.occurrences))
                drafts[c].signals.append(
                    Signal(
                        effect: "+",
                        text:
                            "explains \(drafts[s].findings.occurrences) event(s) of '\(symptom.title)' (\(symptom.id))"))
                drafts[c].confidence += 0.05
                // A folded symptom's time span widens the cause's.
                drafts[c].extend(with: drafts[s].findings)
            }
        }
        var kept = drafts.indices.filter { !folded[$0] }.map { drafts[$0] }
        kept.sort(by: rank)

        let incidents = kept.enumerated().map { i, d in d.incident(id: "F\(i + 1)") }
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

        mutating func extend(with other: RuleFindings) {
            if findings.firstSeen == nil { findings.firstSeen = other.firstSeen }
            if other.lastSeen != nil, findings.lastSeen == nil { findings.lastSeen = other.lastSeen }
        }

        func incident(id: String) -> Incident {
            let values = Dictionary(uniqueKeysWithValues: findings.values.map { ($0.key, Redactor.redact(value: $0.value, field: $0.key)) })
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
