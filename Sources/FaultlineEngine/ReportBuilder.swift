import FaultlineModel
import FaultlineReport
import FaultlineRules
import FaultlineText

/// Turns a ``ScanResult`` into a ranked, folded, redacted ``Report``.
///
/// Pure: the same result always gives the same report.
public enum ReportBuilder {
    /// Builds the report: drops findings whose required contrast is missing, folds symptoms under
    /// the causes that explain them, groups by semantic fingerprint, scores confidence with its
    /// reasons (signals, versions, contrast, intermittency), ranks most likely root cause first,
    /// fills `{placeholders}` and redacts secrets.
    public static func build(_ result: ScanResult, rules: CompiledRules) -> Report {
        // 1. Findings per (rule, source, group); a required contrast missing in a source drops them.
        let kept = result.findings.filter { f in
            guard let contrast = rules.rules[f.rule].correlate?.contrast, contrast.required else { return true }
            return result.contrast[FindingKey(rule: f.rule, source: f.source)] != nil
        }
        let byRule = Dictionary(grouping: kept.indices, by: { kept[$0].rule })
        let causeOrder = byRule.keys.sorted { a, b in
            let ra = rules.rules[a]
            let rb = rules.rules[b]
            if ra.symptom != rb.symptom { return !ra.symptom }
            if ra.confidence != rb.confidence { return ra.confidence > rb.confidence }
            if ra.severity != rb.severity { return ra.severity > rb.severity }
            return (byRule[a]?.map { kept[$0].order }.min() ?? 0) < (byRule[b]?.map { kept[$0].order }.min() ?? 0)
        }

        // 2. Fold symptoms under the causes that explain them (see `fold`).
        let (folded, foldedInto, orphanSymptoms) = fold(kept, byRule: byRule, causeOrder: causeOrder, rules: rules)

        // 3. Incidents: findings grouped within their source, groups of different sources joined
        //    by fingerprint (see `groups`); each source's part is scored on its own and the parts
        //    are combined, and the incidents ranked, exactly as `faultline merge` does for shards.
        var incidents = groups(kept, skipping: folded, rules: rules).compactMap { group in
            ReportMerger.combine(
                group.parts.map { members in
                    draft(
                        members, fingerprint: group.fingerprint, kept: kept, foldedInto: foldedInto, result: result,
                        rules: rules
                    ).incident(id: "")
                })
        }
        incidents.sort(by: ReportMerger.rankedBefore)
        for i in incidents.indices { incidents[i].id = "F\(i + 1)" }

        // 4. Unclassified: the template clusters, plus symptoms that no cause explains.
        var unclassified = result.unclassified
        for si in orphanSymptoms {
            let s = kept[si]
            guard let example = s.evidence.first else { continue }
            unclassified.append(
                UnclassifiedCluster(
                    template: "\(rules.rules[s.rule].title) (symptom rule \(rules.rules[s.rule].id))",
                    count: s.occurrences, firstSeen: s.firstSeen, lastSeen: s.lastSeen,
                    example: Evidence(source: example.source, line: example.line, text: Redactor.redact(example.text))))
        }
        unclassified.sort { $0.count != $1.count ? $0.count > $1.count : $0.template < $1.template }
        let diagnostics = result.diagnostics.map { d -> Diagnostic in
            var d = d
            d.message = Redactor.redact(d.message)
            return d
        }
        return Report(incidents: incidents, unclassified: unclassified, stats: result.stats, diagnostics: diagnostics)
    }

    /// Folds symptoms under the causes that explain them (step 2 of ``build(_:rules:)``). A cause
    /// in a log explains symptoms in that log; a cause in a config file (a rule with `files:`)
    /// explains symptoms in every file of the folder that holds it.
    /// - Returns: the folded findings, the symptoms folded under each cause finding, and the
    ///   symptom findings that no cause explains.
    private static func fold(
        _ kept: [RuleFindings], byRule: [Int: [Int]], causeOrder: [Int], rules: CompiledRules
    ) -> (folded: Set<Int>, foldedInto: [Int: [Int]], orphans: [Int]) {
        var folded = Set<Int>()
        var foldedInto: [Int: [Int]] = [:]  // cause finding index -> symptom finding indices
        for c in causeOrder where !rules.rules[c].symptom {
            let cause = rules.rules[c]
            let explains = Set(cause.explains)
            guard !explains.isEmpty, let causeIdx = byRule[c] else { continue }
            for ci in causeIdx where !folded.contains(ci) {
                for (si, s) in kept.enumerated() where s.rule != c && !folded.contains(si) {
                    let symptom = rules.rules[s.rule]
                    // A rule named by id is always folded; a whole category only takes the
                    // generic readings of it (ambiguous or symptom rules), not another specific
                    // cause that merely shares the category.
                    let byID = explains.contains(symptom.id)
                    let byCategory = explains.contains(symptom.category.rawValue) && isGeneric(symptom)
                    guard byID || byCategory, inScope(cause: kept[ci], of: cause, covers: s) else { continue }
                    folded.insert(si)
                    foldedInto[ci, default: []].append(si)
                }
            }
        }
        // A generic reading of a status (a fallback with candidates) folds under a specific cause
        // found in the same file for the same HTTP status, or of the same category: the specific
        // rule already says why.
        for (gi, g) in kept.enumerated() where !folded.contains(gi) && rules.rules[g.rule].confidence < 0.5 {
            guard !rules.rules[g.rule].symptom, let status = g.values["status"] else { continue }
            let host = causeOrder.lazy.filter { !rules.rules[$0].symptom && rules.rules[$0].confidence >= 0.5 }
                .compactMap { c in
                    byRule[c]?.first { ci in
                        let sameReading =
                            kept[ci].values["status"] == status
                            || rules.rules[c].category == rules.rules[g.rule].category
                        return ci != gi && !folded.contains(ci) && sameReading
                            && inScope(cause: kept[ci], of: rules.rules[c], covers: g)
                    }
                }.first
            if let host {
                folded.insert(gi)
                foldedInto[host, default: []].append(gi)
            }
        }
        // Symptom rules fold under the most likely cause found in the same file (or a config file
        // of its folder); alone, they are listed with the unclassified errors.
        var orphanSymptoms: [Int] = []
        for (si, s) in kept.enumerated() where rules.rules[s.rule].symptom && !folded.contains(si) {
            let host = causeOrder.lazy.filter { !rules.rules[$0].symptom }.compactMap { c in
                byRule[c]?.first { ci in
                    !folded.contains(ci) && inScope(cause: kept[ci], of: rules.rules[c], covers: s)
                }
            }.first
            if let host {
                folded.insert(si)
                foldedInto[host, default: []].append(si)
            } else {
                orphanSymptoms.append(si)
            }
        }
        return (folded, foldedInto, orphanSymptoms)
    }

    /// One source's part of an incident: its findings merged, scored with their signals,
    /// contrast, versions and intermittency, and the symptoms folded under them.
    private static func draft(
        _ indices: [Int], fingerprint fp: String, kept: [RuleFindings], foldedInto: [Int: [Int]], result: ScanResult,
        rules: CompiledRules
    ) -> Draft {
        let parts = indices.map { kept[$0] }.sorted { $0.order < $1.order }
        let rule = rules.rules[parts[0].rule]
        var draft = Draft(
            findings: merge(parts), rule: rule, fingerprint: fp, confidence: rule.confidence, signals: [],
            sources: parts.map(\.source))
        if let first = draft.findings.evidence.first {
            draft.signals.append(
                Signal(effect: "+", text: "matched the signature of '\(rule.id)' at \(first.source):\(first.line)"))
        }
        draft.signals += draft.findings.signals
        applyContrast(&draft, parts: parts, result: result, ruleIndex: parts[0].rule)
        applySignals(&draft, result: result, ruleIndex: parts[0].rule)
        applyVersions(&draft, result: result)
        applyIntermittency(&draft, result: result)
        // Symptoms folded here.
        var counts: [Int: Int] = [:]
        for i in indices {
            for si in foldedInto[i] ?? [] {
                counts[kept[si].rule, default: 0] += kept[si].occurrences
                draft.extend(with: kept[si])
            }
        }
        // Most frequent symptom first, then by rule id: the order `faultline merge` keeps.
        let ordered = counts.sorted { a, b in
            a.value != b.value ? a.value > b.value : rules.rules[a.key].id < rules.rules[b.key].id
        }
        for (s, count) in ordered {
            let symptom = rules.rules[s]
            draft.symptoms.append(
                Symptom(rule: symptom.id, category: symptom.category, title: symptom.title, occurrences: count))
            draft.signals.append(
                Signal(effect: "+", text: "explains \(count) event(s) of '\(symptom.title)' (\(symptom.id))"))
            if !symptom.symptom { draft.confidence += 0.05 }
        }
        return draft
    }

    /// A rule that only names a symptom or an ambiguous reading of one: a cause may fold it by
    /// category.
    static func isGeneric(_ rule: Rule) -> Bool {
        rule.symptom || !rule.candidates.isEmpty || rule.confidence < 0.5
    }

    /// Whether two sets of grouping values agree wherever both are known (case-insensitively).
    static func compatible(_ a: [String], _ b: [String]) -> Bool {
        zip(a, b).allSatisfy { x, y in x.isEmpty || y.isEmpty || x.lowercased() == y.lowercased() }
    }

    /// Whether a cause found in `cause.source` accounts for the symptom `s`: same file (and, in a
    /// `docker compose logs` stream, same service when both lines name one), or, for a config
    /// file, any file of the folder that holds it.
    static func inScope(cause: RuleFindings, of rule: Rule, covers s: RuleFindings) -> Bool {
        if cause.source == s.source {
            return cause.service.isEmpty || s.service.isEmpty || cause.service == s.service
        }
        guard !rule.files.isEmpty else { return false }
        let dir = directory(of: cause.source)
        return dir.isEmpty || s.source.hasPrefix(dir + "/")
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// A stable hash of what makes an incident the same incident: rule, category, grouping values.
    static func fingerprint(_ rule: Rule, _ values: [String]) -> String {
        var text = "\(rule.id)\u{1F}\(rule.category.rawValue)"
        for (k, v) in zip(rule.groupBy, values) { text += "\u{1F}\(k)=\(v.lowercased())" }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static func merge(_ parts: [RuleFindings]) -> RuleFindings {
        var merged = RuleFindings(
            rule: parts[0].rule, source: parts[0].source, service: parts[0].service, groupValues: parts[0].groupValues)
        merged.order = parts[0].order
        merged.firstSeen = parts[0].firstSeen
        let last = parts.max { $0.lastOrder < $1.lastOrder }
        merged.lastOrder = last?.lastOrder ?? 0
        merged.lastSeen = last?.lastSeen
        for p in parts {
            merged.occurrences += p.occurrences
            for e in p.evidence where merged.evidence.count < 5 { merged.evidence.append(e) }
            for (k, v) in p.values where merged.values[k] == nil { merged.values[k] = v }
            // The sequence signal of the first finding speaks for all (one "follows" line).
            if merged.signals.isEmpty { merged.signals = p.signals }
        }
        return merged
    }

    private static func applyContrast(_ d: inout Draft, parts: [RuleFindings], result: ScanResult, ruleIndex r: Int) {
        guard d.rule.correlate?.contrast != nil else { return }
        if let ok = parts.lazy.compactMap({ result.contrast[FindingKey(rule: r, source: $0.source)] }).first {
            d.confidence += 0.1
            d.signals.append(
                Signal(effect: "+", text: "the same log shows a request that succeeds, at \(ok.source):\(ok.line)"))
        } else {
            d.confidence -= 0.1
            d.signals.append(
                Signal(
                    effect: "-",
                    text: "no succeeding request of the other kind in this log; the contrast cannot be confirmed"
                ))
        }
    }

    private static func applySignals(_ d: inout Draft, result: ScanResult, ruleIndex r: Int) {
        for (i, signal) in d.rule.signals.enumerated() {
            let seen = d.sources.lazy.compactMap { result.signals[SignalKey(rule: r, signal: i, source: $0)] }.first
            if let seen {
                d.confidence += signal.weight
                d.signals.append(Signal(effect: "+", text: "\(signal.seen) (\(seen.source):\(seen.line))"))
            } else if let missing = signal.missing {
                d.confidence -= signal.weight
                d.signals.append(Signal(effect: "-", text: missing))
            }
        }
    }

    private static func applyVersions(_ d: inout Draft, result: ScanResult) {
        for gate in d.rule.versions {
            let found =
                d.sources.lazy.compactMap { result.versions[$0]?[gate.package] }.first
                ?? result.versions.keys.sorted().lazy.compactMap { result.versions[$0]?[gate.package] }.first
            guard let text = found else {
                d.signals.append(
                    Signal(
                        effect: "-",
                        text: "the log does not show the \(gate.package) version (affected: \(gate.affected))"))
                continue
            }
            d.findings.values["version.\(gate.package)"] = text
            guard let version = Version(text), let range = VersionRange(gate.affected) else { continue }
            let fixed = gate.fixedIn.map { "; fixed in \($0)" } ?? ""
            if range.contains(version) {
                d.confidence += 0.1
                d.signals.append(Signal(effect: "+", text: "your \(gate.package) \(text) is affected\(fixed)"))
            } else {
                d.confidence -= 0.3
                d.signals.append(
                    Signal(
                        effect: "-",
                        text: "your \(gate.package) \(text) is outside the affected range (\(gate.affected))"))
            }
        }
    }

    /// "Some runs work" is a clue: when requests to the incident's operation both succeed and
    /// fail in this scan, say so with the ratio and what differs between the two kinds.
    private static func applyIntermittency(_ d: inout Draft, result: ScanResult) {
        let host = d.findings.values["host"]
        let deployment = d.findings.values["deployment"]
        let status = d.findings.values["status"].flatMap { Int($0) }
        // The operations this incident is about: those of its host/deployment, or else those
        // that failed with its status in its own files.
        var operations = Set<String>()
        for (key, o) in result.outcomes {
            if let host {
                guard key.operation.contains("://\(host)/") || key.operation.hasSuffix("://\(host)") else { continue }
                if let deployment, !key.operation.contains("/deployments/\(deployment)/") { continue }
                operations.insert(key.operation)
            } else if d.sources.contains(key.source), o.failed > 0, status.map({ o.failedByStatus[$0] != nil }) ?? true
            {
                operations.insert(key.operation)
            }
        }
        guard operations.count == 1, let operation = operations.first else { return }
        var total = Outcomes()
        var okSources = Set<String>()
        var failedSources = Set<String>()
        for (key, o) in result.outcomes where key.operation == operation {
            total.merge(o)
            if o.succeeded > 0 { okSources.insert(key.source) }
            if o.failed > 0 { failedSources.insert(key.source) }
        }
        guard total.succeeded > 0, total.failed > 0 else { return }
        let all = total.succeeded + total.failed
        let percent = Int((Double(total.succeeded) / Double(all) * 100).rounded())
        let target = operation.split(separator: "?").first.map(String.init) ?? operation
        var text = "intermittent: \(total.succeeded) of \(all) requests to \(target) succeeded (\(percent)%)"
        var differs: [String] = []
        let onlyFailing = failedSources.subtracting(okSources).sorted()
        let onlyOK = okSources.subtracting(failedSources).sorted()
        if !onlyFailing.isEmpty && !onlyOK.isEmpty {
            differs.append(
                "failures only in \(onlyFailing.joined(separator: ", ")), successes only in \(onlyOK.joined(separator: ", "))"
            )
        }
        let failMarks = (total.failCommon ?? []).subtracting(total.okAny).sorted()
        let okMarks = (total.okCommon ?? []).subtracting(total.failAny).sorted()
        if !failMarks.isEmpty || !okMarks.isEmpty {
            var t = "every failing request line"
            t += failMarks.isEmpty ? "" : " carries \(failMarks.prefix(3).map { "'\($0)'" }.joined(separator: ", "))"
            if !okMarks.isEmpty {
                t += failMarks.isEmpty ? " lacks " : ", every succeeding one "
                t += okMarks.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
            }
            differs.append(t)
        }
        if let first = total.firstSeen, let last = total.lastSeen, first != last {
            differs.append("between \(first) and \(last)")
        }
        if !differs.isEmpty { text += "; " + differs.joined(separator: "; ") }
        d.signals.append(Signal(effect: "+", text: text))
        d.findings.values["success_ratio"] = "\(total.succeeded)/\(all)"
    }

    fileprivate struct Draft {
        var findings: RuleFindings
        let rule: Rule
        let fingerprint: String
        var confidence: Double
        var signals: [Signal]
        let sources: [String]
        var symptoms: [Symptom] = []

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
            let names = rule.captureNames.union(ValueExtractor.standardNames)
            return Incident(
                id: id, rule: rule.id, fingerprint: fingerprint, category: rule.category, severity: rule.severity,
                confidence: (min(0.99, max(0.01, confidence)) * 100).rounded() / 100, title: rule.title,
                cause: Template.fill(rule.cause, values, groups: names),
                fix: rule.fix.map { Template.fill($0, values, groups: names) },
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
