/// Why each rule did or did not match one event: what `faultline explain FILE:LINE` shows.
///
/// Built by the engine's own rule matcher on the event holding the line (with the correlation
/// state the scan has at that point), so a verdict is the scan's decision, step by step. A value:
/// the report layer renders it (`ExplanationRenderer`).
public struct Explanation: Sendable {
    /// One step of a rule's evaluation, in the order the matcher takes them: file names, the
    /// literal prefilter, `where:`, the regexes, `unless`, `correlate`.
    public enum Step: Sendable, Hashable {
        /// The rule reads only files with these name globs, and this file is not one.
        case onlyFiles([String])
        /// The prefilter ruled the pattern out: none of its required literals occur.
        case literalsAbsent(pattern: Int, source: String, literals: [String])
        /// A `where:` condition does not hold: the field's expected and actual value (`nil`: absent).
        case fieldMismatch(field: String, expected: String, actual: String?)
        /// Every `where:` condition holds.
        case fieldsMatch(String)
        /// A `match` pattern ran: it matched or it did not.
        case pattern(index: Int, source: String, matched: Bool)
        /// A `match` pattern hit a PCRE2 limit: it counts as not matching.
        case patternError(index: Int, source: String, message: String)
        /// The patterns did not match as the rule's mode requires (`all` or `any`).
        case patternsNeeded(all: Bool)
        /// An `unless` pattern matched: the rule is vetoed.
        case vetoed(by: [String])
        /// The `correlate.after` condition is not met: no earlier event of that rule in the window.
        case sequenceUnmet(rule: String, withinEvents: Int, withinSeconds: Double?, key: String?, sameSource: Bool)
        /// The `correlate.after` condition is met (the signal's text says which event it follows).
        case sequenceMet(String)
        /// The rule looks for a succeeding request of the contrasting kind elsewhere in the file.
        case contrast(required: Bool, patterns: [String])

        /// The step in words, as `explain` prints it.
        public var text: String {
            switch self {
            case .onlyFiles(let globs): return "only looks at files named \(globs.joined(separator: ", "))"
            case .literalsAbsent(let i, let source, let literals):
                let names = literals.map { "'\($0)'" }.joined(separator: ", ")
                return "match pattern \(i + 1) not tried: none of its literals \(names) occur: \(source)"
            case .fieldMismatch(let field, let expected, let actual):
                return "where \(field)=\(expected): "
                    + (actual.map { "the event's \(field) is '\($0)'" } ?? "the event has no \(field)")
            case .fieldsMatch(let spec): return "where \(spec): fields match"
            case .pattern(let i, let source, let matched):
                return "match pattern \(i + 1) \(matched ? "matches" : "does not match"): \(source)"
            case .patternError(let i, let source, let message):
                return "match pattern \(i + 1) does not match: \(source) (\(message))"
            case .patternsNeeded(let all):
                return all ? "needs all of its patterns to match" : "needs one of its patterns to match"
            case .vetoed(let by): return "vetoed by unless: \(by.joined(separator: "; "))"
            case .sequenceUnmet(let rule, let events, let seconds, let key, let sameSource):
                var need = "needs an earlier '\(rule)' event within \(events) events"
                if let seconds { need += " and \(Int(seconds)) s" }
                if let key { need += " with the same \(key)" }
                return need + (sameSource ? " in the same file" : "") + "; none was seen"
            case .sequenceMet(let text): return text
            case .contrast(let required, let patterns):
                return
                    "contrast (\(required ? "required" : "raises confidence")): a succeeding request matching \(patterns.joined(separator: " or ")) elsewhere in the file"
            }
        }

        /// `true` for a step that shows the rule came close: a pattern matched, or a field test,
        /// a veto or a sequence decided against it.
        public var isClose: Bool {
            switch self {
            case .pattern(_, _, let matched): matched
            case .fieldMismatch, .vetoed, .sequenceUnmet: true
            default: false
            }
        }
    }

    /// One rule's verdict on the event.
    public struct Verdict: Sendable {
        /// The rule's id.
        public let rule: String
        /// `true` when the scan records a finding of this rule for the event.
        public let matched: Bool
        /// The evaluation, step by step.
        public let steps: [Step]

        /// The verdict of `rule`.
        public init(rule: String, matched: Bool, steps: [Step]) {
            self.rule = rule
            self.matched = matched
            self.steps = steps
        }

        /// `true` when the rule matched or came close (see ``Step/isClose``).
        public var isClose: Bool { matched || steps.contains { $0.isClose } }
    }

    /// Creates an explanation (the engine builds them).
    public init(
        source: String, firstLine: Int, lastLine: Int, level: LogLevel?, timestamp: String?,
        lines: [(number: Int, text: String)], values: [String: String], verdicts: [Verdict]
    ) {
        self.source = source
        self.firstLine = firstLine
        self.lastLine = lastLine
        self.level = level
        self.timestamp = timestamp
        self.lines = lines
        self.values = values
        self.verdicts = verdicts
    }

    /// The source name of the event: a path, `<stdin>`, or `archive.zip!inner/path`.
    public let source: String
    /// The 1-based line number of the event's first line in ``source``.
    public let firstLine: Int
    /// The 1-based line number of the event's last line in ``source``.
    public let lastLine: Int
    /// The level the event declares for itself; nil when it declares none.
    public let level: LogLevel?
    /// The timestamp of the event's first line as written; nil when it has none.
    public let timestamp: String?
    /// The event's lines as rules read them (number, text), redacted.
    public let lines: [(number: Int, text: String)]
    /// Values extracted from the event (redacted).
    public let values: [String: String]
    /// Rules that matched first, then the others by id.
    public let verdicts: [Verdict]

    /// The ids of the rules that matched.
    public var matchedRules: [String] { verdicts.filter(\.matched).map(\.rule) }
}
