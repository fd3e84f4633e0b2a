import FaultlineModel
import FaultlineRegex
import FaultlineRules

/// A rule set compiled for scanning: every pattern flattened, and one literal scanner over all
/// the literals the patterns require, so that most events never reach most regexes.
///
/// Immutable after init and shared by all workers (`@unchecked Sendable`: the regexes are
/// immutable compiled PCRE2 code and every other stored property is a value).
public final class CompiledRules: @unchecked Sendable {
    public let rules: [Rule]
    /// All patterns: each rule's `match`, `unless` and `correlate.contrast.succeeds` patterns.
    let patterns: [RulePattern]
    /// Per rule: indices into `patterns`.
    let matchIDs: [[Int]]
    let unlessIDs: [[Int]]
    let succeedsIDs: [[Int]]
    /// Pattern index -> rules that use it in any role.
    let ownerRules: [[Int]]
    let scanner: LiteralSetScanner
    /// Literal index -> patterns requiring it.
    let literalPatterns: [[Int]]
    /// Patterns with no required literal: run whenever their rule is considered.
    let alwaysPatterns: [Int]
    let indexByID: [String: Int]
    /// Per rule: index of the rule named in `correlate.after`, if loaded.
    let afterRule: [Int?]
    /// Rules that some other rule's `correlate.after` refers to.
    let isAfterTarget: [Bool]

    public init(_ rules: [Rule]) {
        self.rules = rules
        var patterns: [RulePattern] = []
        var matchIDs: [[Int]] = []
        var unlessIDs: [[Int]] = []
        var succeedsIDs: [[Int]] = []
        var owners: [[Int]] = []
        func add(_ list: [RulePattern], rule: Int) -> [Int] {
            list.map { p in
                patterns.append(p)
                owners.append([rule])
                return patterns.count - 1
            }
        }
        for (i, rule) in rules.enumerated() {
            matchIDs.append(add(rule.match.patterns, rule: i))
            unlessIDs.append(add(rule.unless?.patterns ?? [], rule: i))
            succeedsIDs.append(add(rule.correlate?.contrast?.succeeds ?? [], rule: i))
        }
        var literalIndex: [[UInt8]: Int] = [:]
        var literals: [[UInt8]] = []
        var literalPatterns: [[Int]] = []
        var always: [Int] = []
        for (pi, p) in patterns.enumerated() {
            guard let set = p.literals, !set.alternatives.isEmpty else {
                always.append(pi)
                continue
            }
            for lit in set.alternatives {
                let key = lit.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }
                if let li = literalIndex[key] {
                    if literalPatterns[li].last != pi { literalPatterns[li].append(pi) }
                } else {
                    literalIndex[key] = literals.count
                    literals.append(key)
                    literalPatterns.append([pi])
                }
            }
        }
        var indexByID: [String: Int] = [:]
        for (i, r) in rules.enumerated() where indexByID[r.id] == nil { indexByID[r.id] = i }
        let afterRule = rules.map { r in r.correlate?.after.flatMap { indexByID[$0.rule] } }
        var isAfterTarget = [Bool](repeating: false, count: rules.count)
        for case let t? in afterRule { isAfterTarget[t] = true }

        self.patterns = patterns
        self.matchIDs = matchIDs
        self.unlessIDs = unlessIDs
        self.succeedsIDs = succeedsIDs
        self.ownerRules = owners
        self.scanner = LiteralSetScanner(literals: literals)
        self.literalPatterns = literalPatterns
        self.alwaysPatterns = always
        self.indexByID = indexByID
        self.afterRule = afterRule
        self.isAfterTarget = isAfterTarget
    }

    /// Number of patterns that must run on every event because no literal could be proven.
    public var patternsWithoutLiteral: Int { alwaysPatterns.count }
}
