import FaultlineEvents
import FaultlineModel
import FaultlineRegex
import FaultlineRules
import FaultlineText

/// One rule's match of one event: the line index of the evidence and the captured values.
struct RuleHit {
    let line: Int
    let values: [String: String]
}

/// Decides which rules match an event: the literal prefilter, then per rule `where:`, the
/// regexes and `unless`, in that order, and can record each step as an ``Explanation/Step``.
///
/// `scan` and `explain` run this same code: `explain` only passes a trace to collect the steps.
/// Owns the per-worker state (prefilter flags, PCRE2 scratch, the event's cached values); one
/// matcher per worker, reset after each event. A final class, not a struct: the literal scan's
/// callback writes the flags while the scanner is read, which in a struct makes Swift copy the
/// scanner (and retain its tables) on every event; measured at about 10% of a scan.
final class RuleMatcher {
    let rules: CompiledRules
    let scratch = MatchScratch()
    // Copies of the compiled set's hot-path tables: read per event without going through `rules`.
    private let scanner: LiteralSetScanner
    private let literalPatterns: [[Int]]
    private let literalBuiltins: [BuiltinLiterals]
    private let hasAlwaysPatterns: Bool
    private var flags: [Bool]
    private var touched: [Int] = []
    private var ruleSeen: [Bool]
    /// The applicable rules with a pattern whose literal occurs (or with no literal), sorted.
    private(set) var candidates: [Int] = []
    /// Per rule: whether it reads the current source (its `files:` globs).
    private(set) var applicable: [Bool]
    /// The values of the event being matched, extracted once when a rule first needs them.
    private var cachedValues: [String: String]?
    /// PCRE2 limit errors, once per rule and source; drained by the session.
    var diagnostics: [Diagnostic] = []
    private var limitReported: Set<String> = []
    private var source = ""

    init(rules: CompiledRules) {
        self.rules = rules
        scanner = rules.scanner
        literalPatterns = rules.literalPatterns
        literalBuiltins = rules.literalBuiltins
        hasAlwaysPatterns = !rules.alwaysPatterns.isEmpty
        flags = [Bool](repeating: false, count: rules.patterns.count)
        ruleSeen = [Bool](repeating: false, count: rules.rules.count)
        applicable = [Bool](repeating: true, count: rules.rules.count)
    }

    /// Starts a source: which rules read a file of this name.
    func begin(source: String) {
        self.source = source
        let name = source.split(separator: "/").last.map(String.init) ?? source
        for (i, rule) in rules.rules.enumerated() { applicable[i] = rule.applies(toFileNamed: name) }
    }

    // MARK: Prefilter

    /// Scans the event for every literal of the rule set at once and flags the patterns whose
    /// literal occurs; returns the built-in steps whose literals occur.
    func prefilter(_ event: borrowing EventView) -> BuiltinLiterals {
        cachedValues = nil
        var builtins: BuiltinLiterals = []
        scanner.scan(event.text) { lit in
            builtins.formUnion(literalBuiltins[lit])
            for p in literalPatterns[lit] where !flags[p] {
                flags[p] = true
                touched.append(p)
            }
        }
        return builtins
    }

    /// `false` when no rule can match the event (no literal found and no pattern without one).
    var hasCandidates: Bool { !touched.isEmpty || hasAlwaysPatterns }

    /// Flags the patterns without a literal and lists the applicable rules to evaluate.
    func selectCandidates() {
        for p in rules.alwaysPatterns where !flags[p] {
            flags[p] = true
            touched.append(p)
        }
        for p in touched {
            let r = rules.ownerRule[p]
            if !ruleSeen[r] && applicable[r] {
                ruleSeen[r] = true
                candidates.append(r)
            }
        }
        candidates.sort()
    }

    /// Clears the per-event state; call after each event that was prefiltered.
    func reset() {
        for p in touched { flags[p] = false }
        touched.removeAll(keepingCapacity: true)
        for r in candidates { ruleSeen[r] = false }
        candidates.removeAll(keepingCapacity: true)
    }

    // MARK: Evaluation

    /// Evaluates rule `r` on the event: prefilter, `where:`, regexes, `unless`. With a `trace`,
    /// appends each step taken; the outcome is the same with or without one.
    func evaluate(rule r: Int, _ event: borrowing EventView, trace: inout [Explanation.Step]?) -> RuleHit? {
        let hot = rules.hot[r]
        let ids = rules.matchIDs[r]
        guard applicable[r] else {
            trace?.append(.onlyFiles(rules.rules[r].files))
            return nil
        }
        // The prefilter decides first: a pattern whose literal is absent cannot match.
        if hot.matchAll ? !ids.allSatisfy({ flags[$0] }) : !ids.contains(where: { flags[$0] }) {
            if trace != nil { traceAbsentLiterals(ids, into: &trace) }
            return nil
        }
        // Field tests next: the event's values are extracted once and shared by all rules, and a
        // failed field test saves the rule's regexes.
        if let filter = hot.fieldFilter {
            let values = self.values(event)
            if trace == nil {
                if !filter.matches(values) { return nil }
            } else if let miss = filter.firstMismatch(values) {
                trace?.append(
                    .fieldMismatch(field: miss.field, expected: miss.expected.description, actual: miss.actual))
                return nil
            } else {
                trace?.append(.fieldsMatch(filter.spec.map { "\($0.field)=\($0.expected)" }.joined(separator: ", ")))
            }
        }
        var first: RegexMatch?
        var values: [String: String] = [:]
        for (i, p) in ids.enumerated() {
            guard let m = run(p, event, rule: r, trace: &trace, index: i) else {
                if hot.matchAll {
                    trace?.append(.patternsNeeded(all: true))
                    return nil
                }
                continue
            }
            if first == nil { first = m }
            collect(m, event, into: &values)
        }
        guard let first, let start = first.range(0)?.lowerBound else {
            trace?.append(.patternsNeeded(all: hot.matchAll))
            return nil
        }
        if let unlessAny = hot.unlessAny {
            var none: [Explanation.Step]? = nil
            let unless = rules.unlessIDs[r]
            let hits = unless.filter { run($0, event, rule: r, trace: &none, index: -1) != nil }
            if unlessAny ? !hits.isEmpty : hits.count == unless.count {
                trace?.append(.vetoed(by: hits.map { rules.patterns[$0].source }))
                return nil
            }
        }
        return RuleHit(line: lineIndex(of: start, in: event), values: values)
    }

    private func traceAbsentLiterals(_ ids: [Int], into trace: inout [Explanation.Step]?) {
        for (i, p) in ids.enumerated() where !flags[p] { trace?.append(absentLiterals(pattern: p, index: i)) }
    }

    /// The step saying pattern `p` (at `index` in its rule's `match` list) was ruled out.
    private func absentLiterals(pattern p: Int, index: Int) -> Explanation.Step {
        let literals = rules.patterns[p].literals?.alternatives.map { String(decoding: $0, as: UTF8.self) } ?? []
        return .literalsAbsent(pattern: index, source: rules.patterns[p].source, literals: literals)
    }

    /// Runs pattern `p` when its literal occurred; `nil` when it did not match. A PCRE2 limit
    /// error is reported once per rule and source and counts as no match. `index` is the
    /// pattern's position in the rule's `match` list, for the trace.
    private func run(
        _ p: Int, _ event: borrowing EventView, rule: Int, trace: inout [Explanation.Step]?, index: Int
    ) -> RegexMatch? {
        guard flags[p] else {
            if trace != nil { trace?.append(absentLiterals(pattern: p, index: index)) }
            return nil
        }
        do {
            let m = try rules.patterns[p].regex.firstMatch(in: event.text, from: 0, using: scratch)
            trace?.append(.pattern(index: index, source: rules.patterns[p].source, matched: m != nil))
            return m
        } catch {
            trace?.append(.patternError(index: index, source: rules.patterns[p].source, message: "\(error)"))
            let key = "\(rule)|\(source)"
            if !limitReported.contains(key) {
                limitReported.insert(key)
                diagnostics.append(
                    Diagnostic(
                        severity: .warning, source: source, line: event.firstLine,
                        message:
                            "rule '\(rules.rules[rule].id)': \(error) (pattern at \(rules.patterns[p].location)); the event was not matched by this rule"
                    ))
            }
            return nil
        }
    }

    /// The evidence line of the first of `ids` that matches (contrast and signal patterns).
    func firstEvidence(of ids: [Int], _ event: borrowing EventView, rule r: Int) -> Evidence? {
        var none: [Explanation.Step]? = nil
        for p in ids {
            guard let m = run(p, event, rule: r, trace: &none, index: -1), let start = m.range(0)?.lowerBound
            else { continue }
            let li = lineIndex(of: start, in: event)
            return Evidence(source: source, line: event.lines[li].number, text: ANSI.strip(event.rawLineText(li)))
        }
        return nil
    }

    /// `true` when pattern `p`'s literal occurred in the event (or it has none).
    func flagged(_ p: Int) -> Bool { flags[p] }

    private func collect(_ m: RegexMatch, _ event: borrowing EventView, into values: inout [String: String]) {
        for (name, index) in m.names.sorted(by: { $0.value < $1.value }) where values[name] == nil {
            guard let range = m.range(index), !range.isEmpty else { continue }
            values[name] = String(decoding: UnsafeBufferPointer(rebasing: event.text[range]), as: UTF8.self)
        }
    }

    private func lineIndex(of offset: Int, in event: borrowing EventView) -> Int {
        var lo = 0
        var hi = event.lines.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if event.lines[mid].textRange.lowerBound <= offset { lo = mid } else { hi = mid - 1 }
        }
        return max(0, lo)
    }

    // MARK: Values

    /// Fields of a JSON log record that hold the values rules test, by value name, in order of
    /// preference (a value the text already gave wins).
    static let recordFields: [(name: String, paths: [String])] = [
        (ValueName.errorCode, ["cause.code", "err.code", "error.code", "code", "errorCode", "error_code"]),
        (
            .status,
            [
                "status", "statusCode", "status_code", "cause.status", "err.status", "err.statusCode", "error.status",
                "response.status",
            ]
        ),
        (.errorType, ["cause.type", "err.type", "error.type", "type"]),
        (.errorMessage, ["cause.message", "err.message", "error.message"]),
        (.requestID, ["requestID", "request_id", "requestId", "cause.requestID", "req_id"]),
        (.model, ["model", "cause.model"]),
    ].map { ($0.0.rawValue, $0.1) }

    /// The event's values: extracted from its text, completed from its record's fields; cached
    /// until the next ``prefilter(_:)``.
    func values(_ event: borrowing EventView) -> [String: String] {
        if let cachedValues { return cachedValues }
        var values = rules.extractor.values(in: event.text, using: scratch)
        if event.isStructured {
            for (name, paths) in Self.recordFields where values[name] == nil {
                for path in paths {
                    if let v = event.field(path), !v.isEmpty, v.count <= 512, !v.hasPrefix("{"), !v.hasPrefix("[") {
                        values[name] = v
                        break
                    }
                }
            }
        }
        cachedValues = values
        return values
    }
}
