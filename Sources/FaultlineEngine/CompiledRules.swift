import FaultlineModel
import FaultlineRegex
import FaultlineRules
import FaultlineText

/// Literals faultline looks for besides the rules' own, each tied to a built-in step that runs
/// only on events holding one.
struct BuiltinLiterals: OptionSet, Sendable {
    let rawValue: UInt8
    /// A version banner or `User-Agent` may be in the event.
    static let version = BuiltinLiterals(rawValue: 1)
    /// The event may be error-level (checked for the unclassified clusters).
    static let errorish = BuiltinLiterals(rawValue: 2)
    /// The event may be a request log line (for success/failure ratios).
    static let request = BuiltinLiterals(rawValue: 4)
}

/// A rule set compiled for scanning: every pattern flattened, and one literal scanner over all
/// the literals the patterns require, so that most events never reach most regexes.
///
/// Immutable after init and shared by all workers (`@unchecked Sendable`: the regexes are
/// immutable compiled PCRE2 code and every other stored property is a value).
public final class CompiledRules: @unchecked Sendable {
    /// The rules in load order; a rule's index here is its number in findings and keys.
    public let rules: [Rule]
    /// All patterns: each rule's `match`, `unless`, `correlate.contrast.succeeds` and `signals`.
    let patterns: [RulePattern]
    /// Per rule: indices into `patterns`.
    let matchIDs: [[Int]]
    let unlessIDs: [[Int]]
    let succeedsIDs: [[Int]]
    /// Per rule: one pattern index per entry of `rule.signals`.
    let signalIDs: [[Int]]
    /// Pattern index -> the rule that uses it.
    let ownerRule: [Int]
    let scanner: LiteralSetScanner
    /// Literal index -> patterns requiring it.
    let literalPatterns: [[Int]]
    /// Literal index -> built-in steps it triggers.
    let literalBuiltins: [BuiltinLiterals]
    /// Patterns with no required literal: run whenever their rule is considered.
    let alwaysPatterns: [Int]
    let indexByID: [String: Int]
    /// Per rule: index of the rule named in `correlate.after`, if loaded.
    let afterRule: [Int?]
    /// Rules that some other rule's `correlate.after` refers to.
    let isAfterTarget: [Bool]
    /// Per rule, what the matcher reads on every candidate event, kept apart from `Rule` so the
    /// hot path never copies a rule.
    struct Hot: Sendable {
        let matchAll: Bool
        /// nil: no `unless`; true: `unless.any`; false: `unless.all`.
        let unlessAny: Bool?
        let fieldFilter: FieldFilter?
        /// (signal index, pattern index) of `scope: source` and `scope: event` signals.
        let sourceSignals: [(index: Int, pattern: Int)]
        let eventSignals: [(index: Int, pattern: Int)]
    }
    let hot: [Hot]
    /// Extracts values and versions from matched events.
    let extractor: ValueExtractor
    /// `HTTP Request: POST https://… "HTTP/1.1 200 OK"` (httpx, used by openai-python and litellm).
    let requestLine: Regex?

    /// Words that mark a line as possibly error-level; only such events are checked for a level.
    static let errorWords = [
        "error", "fail", "exception", "traceback", "crit", "fatal", "err]", "panic", "<0>", "<1>", "<2>", "<3>",
        "[e 2", "alert", "emerg",
    ]

    /// Compiles the rule set: flattens every pattern and builds the literal prefilter over them.
    public init(_ rules: [Rule]) {
        self.rules = rules
        let flat = PatternTable(rules)
        var table = LiteralTable()
        let always = table.add(flat.patterns)
        let extractor = ValueExtractor()
        table.addBuiltins(extractor)

        var indexByID: [String: Int] = [:]
        for (i, r) in rules.enumerated() where indexByID[r.id] == nil { indexByID[r.id] = i }
        let afterRule = rules.map { r in r.correlate?.after.flatMap { indexByID[$0.rule] } }
        var isAfterTarget = [Bool](repeating: false, count: rules.count)
        for case let t? in afterRule { isAfterTarget[t] = true }

        self.hot = Self.hotEntries(rules, signalIDs: flat.signalIDs)
        self.patterns = flat.patterns
        self.matchIDs = flat.matchIDs
        self.unlessIDs = flat.unlessIDs
        self.succeedsIDs = flat.succeedsIDs
        self.signalIDs = flat.signalIDs
        self.ownerRule = flat.owners
        self.scanner = LiteralSetScanner(literals: table.literals)
        self.literalPatterns = table.literalPatterns
        self.literalBuiltins = table.literalBuiltins
        self.alwaysPatterns = always
        self.indexByID = indexByID
        self.afterRule = afterRule
        self.isAfterTarget = isAfterTarget
        self.extractor = extractor
        self.requestLine = try? Regex(
            #"HTTP Request: (?<method>[A-Z]+) (?<url>https?://[^\s"]+) "HTTP/[\d.]+ (?<status>\d{3})"#)
    }

    /// What the matcher reads of each rule on every candidate event.
    private static func hotEntries(_ rules: [Rule], signalIDs: [[Int]]) -> [Hot] {
        rules.enumerated().map { i, rule in
            Hot(
                matchAll: rule.match.mode == .all, unlessAny: rule.unless.map { $0.mode == .any },
                fieldFilter: rule.fieldFilter,
                sourceSignals: rule.signals.enumerated().filter { $0.element.scope == .source }.map {
                    ($0.offset, signalIDs[i][$0.offset])
                },
                eventSignals: rule.signals.enumerated().filter { $0.element.scope == .event }.map {
                    ($0.offset, signalIDs[i][$0.offset])
                })
        }
    }

    /// Number of patterns that must run on every event because no literal could be proven.
    public var patternsWithoutLiteral: Int { alwaysPatterns.count }
}

/// Every pattern of a rule set in one list (each rule's `match`, `unless`, `succeeds`, then
/// `signals`), with the rule owning each and, per rule, the indices of its patterns.
private struct PatternTable {
    var patterns: [RulePattern] = []
    var owners: [Int] = []
    var matchIDs: [[Int]] = []
    var unlessIDs: [[Int]] = []
    var succeedsIDs: [[Int]] = []
    var signalIDs: [[Int]] = []

    init(_ rules: [Rule]) {
        for (i, rule) in rules.enumerated() {
            matchIDs.append(add(rule.match.patterns, rule: i))
            unlessIDs.append(add(rule.unless?.patterns ?? [], rule: i))
            succeedsIDs.append(add(rule.correlate?.contrast?.succeeds ?? [], rule: i))
            signalIDs.append(add(rule.signals.map(\.pattern), rule: i))
        }
    }

    private mutating func add(_ list: [RulePattern], rule: Int) -> [Int] {
        list.map { p in
            patterns.append(p)
            owners.append(rule)
            return patterns.count - 1
        }
    }
}

/// The distinct (ASCII-lowercased) literals to scan for, in the order first added, with the
/// patterns requiring each and the built-in steps each triggers.
private struct LiteralTable {
    private var literalIndex: [[UInt8]: Int] = [:]
    var literals: [[UInt8]] = []
    var literalPatterns: [[Int]] = []
    var literalBuiltins: [BuiltinLiterals] = []

    mutating func literalID(_ lit: [UInt8]) -> Int {
        let key = ASCII.lowered(lit)
        if let li = literalIndex[key] { return li }
        literalIndex[key] = literals.count
        literals.append(key)
        literalPatterns.append([])
        literalBuiltins.append([])
        return literals.count - 1
    }

    /// Adds the required literals of every pattern; returns the patterns that have none.
    mutating func add(_ patterns: [RulePattern]) -> [Int] {
        var always: [Int] = []
        for (pi, p) in patterns.enumerated() {
            guard let set = p.literals, !set.alternatives.isEmpty else {
                always.append(pi)
                continue
            }
            for lit in set.alternatives {
                let li = literalID(lit)
                if literalPatterns[li].last != pi { literalPatterns[li].append(pi) }
            }
        }
        return always
    }

    /// Adds the literals of the built-in steps: version banners, error words, request lines.
    mutating func addBuiltins(_ extractor: ValueExtractor) {
        for lit in extractor.versionLiterals { literalBuiltins[literalID(Array(lit.utf8))].insert(.version) }
        for lit in CompiledRules.errorWords { literalBuiltins[literalID(Array(lit.utf8))].insert(.errorish) }
        literalBuiltins[literalID(Array("HTTP Request: ".utf8))].insert(.request)
    }
}
