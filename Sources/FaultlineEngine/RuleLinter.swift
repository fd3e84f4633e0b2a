import FaultlineModel
import FaultlineRegex
import FaultlineRules

/// Checks rules for what makes a rule wrong or slow though it loads: missing examples or
/// references, titles that name a symptom, regex pitfalls.
///
/// `faultline rules lint` prints these; `--strict` turns them into a failing exit code.
public enum RuleLinter {
    /// Words a title starts with when it names the symptom, not the cause.
    static let symptomOpenings = ["error", "http ", "status", "failed", "failure", "exception", "request failed"]

    /// Lint findings for `rules`, as warnings naming file:line:column.
    public static func lint(_ rules: [Rule]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let scratch = MatchScratch()
        for rule in rules {
            func warn(_ location: SourceLocation?, _ message: String, hint: String? = nil) {
                out.append(
                    Diagnostic(
                        severity: .warning, source: rule.file, line: location?.line ?? 1, column: location?.column,
                        message: "\(rule.id): \(message)", hint: hint))
            }
            if rule.matchExamples.count < 2 {
                warn(
                    nil,
                    "has \(rule.matchExamples.count) 'match' example(s); give at least 2, from different stacks or wordings"
                )
            }
            if rule.noMatchExamples.count < 2 {
                warn(
                    nil,
                    "has \(rule.noMatchExamples.count) 'no_match' example(s); give at least 2, near misses included",
                    hint: "the same status with another cause; a healthy line with the same words")
            }
            if rule.references.isEmpty { warn(nil, "has no references (upstream issue, docs or fix)") }
            let title = rule.title.lowercased()
            if symptomOpenings.contains(where: { title.hasPrefix($0) })
                || title.range(of: #"^\d{3}\b"#, options: .regularExpression) != nil
            {
                warn(
                    nil, "the title '\(rule.title)' names a symptom; name the cause",
                    hint: "e.g. 'The deployment name does not exist on this resource'")
            }
            if rule.fix.isEmpty { warn(nil, "has no fix steps") }
            if !rule.symptom && rule.candidates.isEmpty && rule.confidence < 0.5 {
                warn(
                    nil, "is generic (confidence \(rule.confidence)) but lists no candidates",
                    hint: "list the likely causes in order, each with what decides it")
            }
            for problem in unknownValueNames(rule) { warn(nil, problem.message, hint: problem.hint) }
            let patterns =
                rule.match.patterns + (rule.unless?.patterns ?? []) + (rule.correlate?.contrast?.succeeds ?? [])
                + rule.signals.map(\.pattern)
            for p in patterns { out += lint(pattern: p, rule: rule, scratch: scratch) }
        }
        return out
    }

    /// `where:` fields and `group_by` names that are neither a standard value (``ValueName``,
    /// `version.<package>`) nor one of the rule's captures: a test on such a field never holds,
    /// a grouping on it never groups.
    static func unknownValueNames(_ rule: Rule) -> [(message: String, hint: String?)] {
        let known = rule.captureNames
        var out: [(message: String, hint: String?)] = []
        let used =
            (rule.fieldFilter?.spec.map { ("where", $0.field) } ?? []) + rule.groupBy.map { ("group_by", $0) }
        for (clause, name) in used where !ValueName.isStandard(name) && !known.contains(name) {
            let hint = RuleLoader.suggestion(for: name, among: Array(ValueName.all) + Array(known))
            out.append(
                (
                    "\(clause) names '\(name)', which is neither a standard value (docs/values.md) nor a capture of the rule",
                    hint.map { "did you mean '\($0)'?" }
                ))
        }
        return out
    }

    /// Subjects that make a badly written pattern backtrack: long runs of one character, of a
    /// word, of the pattern's own literal.
    static func hostileSubjects(for p: RulePattern) -> [[UInt8]] {
        var subjects: [[UInt8]] = [
            [UInt8](repeating: UInt8(ascii: "a"), count: 4000), [UInt8](repeating: UInt8(ascii: " "), count: 4000),
            Array(String(repeating: "ab1 ", count: 1000).utf8), [UInt8](repeating: UInt8(ascii: "0"), count: 4000),
        ]
        if let lit = p.literals?.alternatives.first, !lit.isEmpty {
            subjects.append(Array((0..<(4000 / lit.count + 1)).flatMap { _ in lit }.prefix(4000)))
        }
        return subjects
    }

    static func lint(pattern p: RulePattern, rule: Rule, scratch: MatchScratch) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func warn(_ message: String, hint: String? = nil) {
            out.append(
                Diagnostic(
                    severity: .warning, source: rule.file, line: p.location.line, column: p.location.column,
                    message: "\(rule.id): \(message)", hint: hint))
        }
        let source = p.source
        if source.hasPrefix(".*") || source.hasPrefix("^.*") || source.hasPrefix("(?i).*") {
            warn(
                "pattern starts with '.*': it scans every line from each position",
                hint: "drop the leading '.*'; a match may start anywhere")
        }
        if p.literals == nil {
            warn(
                "pattern has no literal of 3+ characters that every match contains, so it runs on every event",
                hint: "add a fixed word the message always has")
        }
        if let nested = source.range(
            of: #"\((?:\?:)?[^()]*[+*][^()]*\)[+*]|\((?:\?:)?[^()]*[+*][^()]*\)\{\d+,\}"#, options: .regularExpression)
        {
            warn(
                "nested quantifier '\(source[nested])' can backtrack catastrophically",
                hint: "make the inner or outer repetition bounded or possessive ('++')")
        }
        // Run it on hostile subjects under a low match limit: a limit hit means the pattern can hang a scan.
        if let probe = try? Regex(
            source, options: RuleLoader.patternOptions, matchLimit: 200_000, depthLimit: 5_000, useJIT: true)
        {
            for subject in hostileSubjects(for: p) {
                do {
                    _ = try probe.firstMatch(in: subject, from: 0, using: scratch)
                } catch {
                    warn(
                        "pattern hit PCRE2's match limit on a 4,000-byte line of repeated text (\(error)); it backtracks catastrophically",
                        hint: "bound the repetitions ({0,200}) or make them possessive")
                    break
                }
            }
        }
        return out
    }
}
