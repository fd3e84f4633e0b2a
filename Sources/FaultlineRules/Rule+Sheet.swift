import FaultlineModel

extension Rule {
    /// The rule's displayable parts, for the report layer's rule pages and catalogue.
    public var sheet: RuleSheet {
        var s = RuleSheet(
            id: id, title: title, category: category, severity: severity, confidence: confidence, file: file,
            matchMode: match.mode.rawValue, matchPatterns: match.patterns.map(\.source), cause: cause)
        s.unlessMode = unless?.mode.rawValue
        s.unlessPatterns = unless?.patterns.map(\.source) ?? []
        s.after = correlate?.after.map {
            RuleSheet.After(rule: $0.rule, withinEvents: $0.withinEvents, withinSeconds: $0.withinSeconds)
        }
        s.contrastRequired = correlate?.contrast?.required
        s.contrastPatterns = correlate?.contrast?.succeeds.map(\.source) ?? []
        s.explains = explains
        s.candidates = candidates.map { RuleSheet.Candidate(category: $0.category, why: $0.why) }
        s.fix = fix
        s.references = references
        s.matchExamples = matchExamples.map { RuleSheet.Example(log: $0.log, line: $0.line) }
        s.noMatchExampleCount = noMatchExamples.count
        s.symptom = symptom
        s.files = files
        s.versions = versions.map { "\($0.package) \($0.affected)" }
        return s
    }
}
