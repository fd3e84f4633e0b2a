import FaultlineModel
import FaultlineRegex
import Foundation
import Yams

/// Loads rule files (schema v1) into compiled ``Rule`` values.
///
/// Every problem becomes a ``Diagnostic`` naming `file:line:column`; a broken file never stops
/// the others from loading.
public enum RuleLoader {
    /// The schema version this loader reads.
    public static let schemaVersion = 1
    /// Options every rule pattern is compiled with; the same in tests, `rules test` and scans.
    public static let patternOptions: RegexOptions = [.multiline]

    /// Loads one rule from YAML text. Returns nil and error diagnostics when the rule is unusable.
    public static func load(yaml: String, file: String, origin: RuleOrigin) -> (rule: Rule?, diagnostics: [Diagnostic])
    {
        var ctx = Context(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            ctx.yamlError(error)
            return (nil, ctx.diagnostics)
        } catch {
            ctx.error(at: nil, "cannot parse YAML: \(error)")
            return (nil, ctx.diagnostics)
        }
        guard let root, let map = ctx.mapping(root, what: "a rule") else {
            if root == nil { ctx.error(at: nil, "the file is empty; a rule needs at least 'schema' and 'id'") }
            return (nil, ctx.diagnostics)
        }
        let rule = ctx.rule(from: map, rootMark: root.mark, origin: origin)
        return (ctx.failed ? nil : rule, ctx.diagnostics)
    }

    /// Loads every `*.yaml`/`*.yml` file under `directory`, recursively, in sorted order.
    public static func loadDirectory(_ directory: String, origin: RuleOrigin = .user) -> (
        rules: [Rule], diagnostics: [Diagnostic]
    ) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) else {
            return ([], [Diagnostic(severity: .error, source: directory, message: "rules folder not found")])
        }
        var files: [String] = []
        if isDir.boolValue {
            let base = URL(fileURLWithPath: directory)
            if let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) {
                for case let url as URL in walker where ["yaml", "yml"].contains(url.pathExtension) {
                    files.append(url.path)
                }
            }
            files.sort()
        } else {
            files = [directory]
        }
        if files.isEmpty {
            return ([], [Diagnostic(severity: .warning, source: directory, message: "no rule files (*.yaml) found")])
        }
        var rules: [Rule] = []
        var diagnostics: [Diagnostic] = []
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                diagnostics.append(Diagnostic(severity: .error, source: path, message: "cannot read rule file"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                diagnostics.append(Diagnostic(severity: .error, source: path, message: "rule file is not valid UTF-8"))
                continue
            }
            let (rule, diags) = load(yaml: text, file: path, origin: origin)
            diagnostics += diags
            if let rule { rules.append(rule) }
        }
        return (rules, diagnostics)
    }

    /// Loads embedded files (path, contents), e.g. the shipped rules.
    public static func load(files: [(path: String, contents: String)], origin: RuleOrigin) -> (
        rules: [Rule], diagnostics: [Diagnostic]
    ) {
        var rules: [Rule] = []
        var diagnostics: [Diagnostic] = []
        for file in files {
            let (rule, diags) = load(yaml: file.contents, file: file.path, origin: origin)
            diagnostics += diags
            if let rule { rules.append(rule) }
        }
        return (rules, diagnostics)
    }

    /// Checks a whole rule set: unique ids, and that every rule named in `correlate.after` or
    /// `explains` exists. Returns the rules to use (later duplicates dropped) and diagnostics.
    public static func validate(_ rules: [Rule]) -> (rules: [Rule], diagnostics: [Diagnostic]) {
        var seen: [String: Rule] = [:]
        var kept: [Rule] = []
        var diagnostics: [Diagnostic] = []
        for rule in rules {
            if let first = seen[rule.id] {
                diagnostics.append(
                    Diagnostic(
                        severity: .error, source: rule.file, line: 1,
                        message: "duplicate rule id '\(rule.id)' (first defined in \(first.file)); this copy is ignored"
                    ))
                continue
            }
            seen[rule.id] = rule
            kept.append(rule)
        }
        let labels = Set(Category.labels)
        for rule in kept {
            if let after = rule.correlate?.after, seen[after.rule] == nil {
                diagnostics.append(
                    Diagnostic(
                        severity: .error, source: after.location.file, line: after.location.line,
                        column: after.location.column,
                        message: "correlate.after names rule '\(after.rule)', which is not loaded",
                        hint: suggestion(for: after.rule, among: Array(seen.keys)).map { "did you mean '\($0)'?" }))
            }
            for name in rule.explains where seen[name] == nil && !labels.contains(name) {
                diagnostics.append(
                    Diagnostic(
                        severity: .warning, source: rule.file,
                        message: "rule '\(rule.id)' explains '\(name)', which is neither a loaded rule nor a category",
                        hint: suggestion(for: name, among: Array(seen.keys) + Category.labels).map {
                            "did you mean '\($0)'?"
                        }))
            }
        }
        return (kept, diagnostics)
    }

    /// The closest candidate within a small edit distance, for "did you mean" hints.
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        var best: (String, Int)?
        for candidate in candidates {
            let d = editDistance(word, candidate)
            let limit = max(2, min(word.count, candidate.count) / 3)
            if d <= limit, best.map({ d < $0.1 }) ?? true { best = (candidate, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8)
        let b = Array(b.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}

// MARK: - Node walking

private struct Context {
    let file: String
    var diagnostics: [Diagnostic] = []
    var failed = false

    init(file: String) { self.file = file }

    mutating func error(at mark: Mark?, _ message: String, hint: String? = nil) {
        failed = true
        diagnostics.append(
            Diagnostic(
                severity: .error, source: file, line: mark?.line, column: mark?.column, message: message, hint: hint))
    }

    mutating func warning(at mark: Mark?, _ message: String) {
        diagnostics.append(
            Diagnostic(severity: .warning, source: file, line: mark?.line, column: mark?.column, message: message))
    }

    mutating func yamlError(_ error: YamlError) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var text = "invalid YAML: \(problem)"
            if let context { text += " \(context.text)" }
            self.error(at: mark, text)
        default:
            self.error(at: nil, "invalid YAML: \(error)")
        }
    }

    func location(_ mark: Mark?) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    mutating func mapping(_ node: Node, what: String) -> Node.Mapping? {
        if let m = node.mapping { return m }
        error(at: node.mark, "expected \(what) (a mapping of keys), found \(describe(node))")
        return nil
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "the scalar '\(s.string.prefix(40))'"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .alias: return "an alias"
        }
    }

    /// Checks keys against the allowed set, reporting unknown and duplicate ones. Returns a dictionary.
    mutating func keys(_ map: Node.Mapping, allowed: [String], in what: String) -> [String: (key: Node, value: Node)] {
        var out: [String: (key: Node, value: Node)] = [:]
        for (k, v) in map {
            guard let name = k.scalar?.string else {
                error(at: k.mark, "keys in \(what) must be plain words")
                continue
            }
            if out[name] != nil {
                error(at: k.mark, "duplicate key '\(name)' in \(what)")
                continue
            }
            if !allowed.contains(name) {
                let hint = RuleLoader.suggestion(for: name, among: allowed)
                error(
                    at: k.mark,
                    "unknown key '\(name)' in \(what)" + (hint.map { "; did you mean '\($0)'?" } ?? ""),
                    hint: hint == nil ? "allowed keys: \(allowed.joined(separator: ", "))" : nil)
                continue
            }
            out[name] = (k, v)
        }
        return out
    }

    mutating func string(_ node: Node, key: String) -> String? {
        guard let s = node.scalar else {
            error(at: node.mark, "'\(key)' must be a text value, found \(describe(node))")
            return nil
        }
        return s.string
    }

    mutating func nonEmptyString(_ node: Node, key: String) -> String? {
        guard let s = string(node, key: key) else { return nil }
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty {
            error(at: node.mark, "'\(key)' must not be empty")
            return nil
        }
        return t
    }

    mutating func stringList(_ node: Node, key: String) -> [String]? {
        guard let seq = node.sequence else {
            error(at: node.mark, "'\(key)' must be a list, found \(describe(node))")
            return nil
        }
        var out: [String] = []
        for item in seq {
            if let s = string(item, key: key) { out.append(s) }
        }
        return out
    }

    mutating func require(_ keys: [String: (key: Node, value: Node)], _ name: String, at mark: Mark?, in what: String)
        -> Node?
    {
        if let v = keys[name] { return v.value }
        error(at: mark, "missing required key '\(name)' in \(what)")
        return nil
    }

    // MARK: Rule

    mutating func rule(from map: Node.Mapping, rootMark: Mark?, origin: RuleOrigin) -> Rule? {
        let allowed = [
            "schema", "id", "title", "category", "severity", "confidence", "match", "unless", "correlate", "explains",
            "candidates", "cause", "fix", "references", "examples", "files", "symptom", "group_by", "signals",
            "versions", "where",
        ]
        let k = keys(map, allowed: allowed, in: "the rule")
        let what = "the rule"

        if let node = require(k, "schema", at: rootMark, in: what) {
            if node.scalar?.string != String(RuleLoader.schemaVersion) {
                error(
                    at: node.mark,
                    "unsupported schema '\(node.scalar?.string ?? describe(node))'; this faultline reads schema \(RuleLoader.schemaVersion)"
                )
            }
        }
        var id = ""
        if let node = require(k, "id", at: rootMark, in: what), let s = nonEmptyString(node, key: "id") {
            let ok = s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 46 }
            if !ok {
                error(at: node.mark, "id '\(s)' must use lowercase letters, digits, '-' and '.' only")
            }
            id = s
        }
        let title = require(k, "title", at: rootMark, in: what).flatMap { nonEmptyString($0, key: "title") } ?? ""
        var category = Category.server5xx
        if let node = require(k, "category", at: rootMark, in: what), let s = nonEmptyString(node, key: "category") {
            if let c = Category(rawValue: s) {
                category = c
            } else {
                let hint = RuleLoader.suggestion(for: s, among: Category.labels)
                error(
                    at: node.mark,
                    "unknown category '\(s)'" + (hint.map { "; did you mean '\($0)'?" } ?? ""),
                    hint: hint == nil ? "categories: \(Category.labels.joined(separator: ", "))" : nil)
            }
        }
        var severity = Severity.error
        if let node = require(k, "severity", at: rootMark, in: what), let s = nonEmptyString(node, key: "severity") {
            if let v = Severity(rawValue: s) {
                severity = v
            } else {
                error(at: node.mark, "unknown severity '\(s)'; use one of info, warning, error, critical")
            }
        }
        var confidence = 0.7
        if let node = k["confidence"]?.value, let s = string(node, key: "confidence") {
            if let d = Double(s), d >= 0, d <= 1 {
                confidence = d
            } else {
                error(at: node.mark, "'confidence' must be a number from 0 to 1, found '\(s)'")
            }
        }
        let fieldFilter = k["where"].flatMap { whereClause($0.value) }
        var match: PatternGroup?
        if let node = k["match"]?.value {
            match = patternGroup(node, key: "match")
        } else if let fieldFilter {
            // A rule with only field tests still needs candidate events: one pattern per field
            // literal set (an alternation of its literals), so the prefilter finds them.
            match = syntheticMatch(fieldFilter, at: k["where"]?.key.mark)
        } else {
            error(at: rootMark, "missing required key 'match' in the rule (or 'where' with field tests)")
        }
        let unless = k["unless"].flatMap { patternGroup($0.value, key: "unless") }
        let correlate = k["correlate"].flatMap { correlation($0.value) }
        let explains = k["explains"].flatMap { stringList($0.value, key: "explains") } ?? []
        let candidates = k["candidates"].flatMap { candidateList($0.value) } ?? []
        let cause = require(k, "cause", at: rootMark, in: what).flatMap { nonEmptyString($0, key: "cause") } ?? ""
        var fix: [String] = []
        if let node = require(k, "fix", at: rootMark, in: what), let list = stringList(node, key: "fix") {
            fix = list.map { $0.hasSuffix("\n") ? String($0.dropLast()) : $0 }
            if fix.isEmpty { error(at: node.mark, "'fix' needs at least one step") }
        }
        var references: [String] = []
        if let node = require(k, "references", at: rootMark, in: what), let list = stringList(node, key: "references") {
            references = list
            for (i, url) in list.enumerated() where !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                let mark = node.sequence.flatMap { i < $0.count ? $0[i].mark : nil }
                error(at: mark, "reference '\(url)' is not a URL (http:// or https://)")
            }
        }
        var matchExamples: [MatchExample] = []
        var noMatchExamples: [NoMatchExample] = []
        var knownGaps: [KnownGap] = []
        if let node = require(k, "examples", at: rootMark, in: what) {
            (matchExamples, noMatchExamples, knownGaps) = examples(node)
        }
        let files = k["files"].flatMap { stringList($0.value, key: "files") } ?? []
        var symptom = false
        if let n = k["symptom"]?.value {
            switch n.scalar?.string {
            case "true": symptom = true
            case "false": symptom = false
            default: error(at: n.mark, "'symptom' must be true or false")
            }
        }
        var groupBy = Rule.defaultGroupBy
        if let (_, n) = k["group_by"], let list = stringList(n, key: "group_by") { groupBy = list }
        let signals = k["signals"].flatMap { signalList($0.value) } ?? []
        let versions = k["versions"].flatMap { versionList($0.value) } ?? []
        guard let match else { return nil }
        return Rule(
            id: id, title: title, category: category, severity: severity, confidence: confidence, match: match,
            fieldFilter: fieldFilter, unless: unless, correlate: correlate, explains: explains, candidates: candidates,
            cause: cause, fix: fix,
            references: references, matchExamples: matchExamples, noMatchExamples: noMatchExamples,
            knownGaps: knownGaps, files: files,
            symptom: symptom, groupBy: groupBy, signals: signals, versions: versions, file: file, origin: origin)
    }

    mutating func patternGroup(_ node: Node, key: String) -> PatternGroup? {
        guard let map = mapping(node, what: "'\(key)' (with 'any:' or 'all:')") else { return nil }
        let k = keys(map, allowed: ["any", "all"], in: "'\(key)'")
        if k.count != 1 {
            if k.isEmpty && map.count == 0 || k.count == 2 {
                error(at: node.mark, "'\(key)' needs exactly one of 'any:' or 'all:'")
            }
            if k.isEmpty { return nil }
        }
        let mode: PatternGroup.Mode = k["any"] != nil ? .any : .all
        guard let list = k[mode.rawValue]?.value else { return nil }
        guard let patterns = patternList(list, key: "\(key).\(mode.rawValue)") else { return nil }
        if patterns.isEmpty {
            error(at: list.mark, "'\(key).\(mode.rawValue)' needs at least one pattern")
            return nil
        }
        return PatternGroup(mode: mode, patterns: patterns)
    }

    mutating func patternList(_ node: Node, key: String) -> [RulePattern]? {
        guard let seq = node.sequence else {
            error(at: node.mark, "'\(key)' must be a list of patterns, found \(describe(node))")
            return nil
        }
        var out: [RulePattern] = []
        for item in seq {
            guard let scalar = item.scalar else {
                error(at: item.mark, "a pattern must be a text value, found \(describe(item))")
                continue
            }
            if let p = compile(scalar) { out.append(p) }
        }
        return out
    }

    mutating func compile(_ scalar: Node.Scalar) -> RulePattern? {
        let source = scalar.string
        do {
            let regex = try Regex(source, options: RuleLoader.patternOptions)
            for (name, _) in regex.namedGroups where name.isEmpty {
                error(at: scalar.mark, "empty capture group name")
            }
            return RulePattern(
                source: source, regex: regex,
                literals: LiteralExtractor.required(pattern: source, options: RuleLoader.patternOptions),
                location: location(scalar.mark))
        } catch {
            let pos = Self.mark(ofOffset: error.offset, in: scalar)
            self.failed = true
            self.diagnostics.append(
                Diagnostic(
                    severity: .error, source: file, line: pos?.line, column: pos?.column,
                    message: "invalid pattern: \(error.message) at offset \(error.offset)",
                    hint: "pattern: \(source.prefix(80))"))
            return nil
        }
    }

    /// Maps a byte offset inside a one-line quoted or plain scalar to its column in the file.
    static func mark(ofOffset offset: Int, in scalar: Node.Scalar) -> (line: Int, column: Int)? {
        guard let mark = scalar.mark else { return nil }
        let text = scalar.string
        guard !text.contains("\n") else { return (mark.line, mark.column) }
        let prefix = String(decoding: text.utf8.prefix(offset), as: UTF8.self)
        var column = mark.column + prefix.unicodeScalars.count
        switch scalar.style {
        case .singleQuoted:
            column += 1 + prefix.filter { $0 == "'" }.count
        case .doubleQuoted:
            column += 1 + prefix.filter { $0 == "\\" || $0 == "\"" }.count
        default:
            break
        }
        return (mark.line, column)
    }

    mutating func correlation(_ node: Node) -> Correlation? {
        guard let map = mapping(node, what: "'correlate'") else { return nil }
        let k = keys(map, allowed: ["after", "contrast"], in: "'correlate'")
        var after: Correlation.After?
        if let (_, v) = k["after"], let m = mapping(v, what: "'correlate.after'") {
            let a = keys(
                m, allowed: ["rule", "within_events", "within_seconds", "same_source", "key"], in: "'correlate.after'")
            if let r = require(a, "rule", at: v.mark, in: "'correlate.after'"),
                let name = nonEmptyString(r, key: "rule")
            {
                var withinEvents = 500
                var withinSeconds: Double?
                var sameSource = true
                var key: String?
                if let n = a["key"]?.value, let k = nonEmptyString(n, key: "key") {
                    if k.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                        key = k
                    } else {
                        error(at: n.mark, "'key' must be a capture group name (letters, digits, '_')")
                    }
                }
                if let n = a["within_events"]?.value {
                    if let s = n.scalar?.string, let i = Int(s), i > 0 {
                        withinEvents = i
                    } else {
                        error(at: n.mark, "'within_events' must be a positive whole number")
                    }
                }
                if let n = a["within_seconds"]?.value {
                    if let s = n.scalar?.string, let d = Double(s), d > 0 {
                        withinSeconds = d
                    } else {
                        error(at: n.mark, "'within_seconds' must be a positive number")
                    }
                }
                if let n = a["same_source"]?.value {
                    switch n.scalar?.string {
                    case "true": sameSource = true
                    case "false": sameSource = false
                    default: error(at: n.mark, "'same_source' must be true or false")
                    }
                }
                after = Correlation.After(
                    rule: name, withinEvents: withinEvents, withinSeconds: withinSeconds, sameSource: sameSource,
                    key: key, location: location(r.mark))
            }
        }
        var contrast: Correlation.Contrast?
        if let (_, v) = k["contrast"], let m = mapping(v, what: "'correlate.contrast'") {
            let c = keys(m, allowed: ["succeeds", "required"], in: "'correlate.contrast'")
            var required = false
            if let n = c["required"]?.value {
                switch n.scalar?.string {
                case "true": required = true
                case "false": required = false
                default: error(at: n.mark, "'required' must be true or false")
                }
            }
            if let s = require(c, "succeeds", at: v.mark, in: "'correlate.contrast'"),
                let list = patternList(s, key: "correlate.contrast.succeeds")
            {
                if list.isEmpty { error(at: s.mark, "'succeeds' needs at least one pattern") }
                contrast = Correlation.Contrast(succeeds: list, required: required)
            }
        }
        if after == nil && contrast == nil {
            if k.isEmpty { error(at: node.mark, "'correlate' needs 'after:' or 'contrast:'") }
            return nil
        }
        return Correlation(after: after, contrast: contrast)
    }

    /// `where:` — field name → expected value (a glob, a number, `4xx`) or a list of alternatives.
    mutating func whereClause(_ node: Node) -> FieldFilter? {
        guard let map = mapping(node, what: "'where' (field: expected value)") else { return nil }
        var spec: [(field: String, expected: FieldExpectation)] = []
        for (k, v) in map {
            guard let field = k.scalar?.string, !field.isEmpty else {
                error(at: k.mark, "field names in 'where' must be plain words")
                continue
            }
            func expectation(_ n: Node) -> FieldExpectation? {
                guard let s = n.scalar else {
                    error(at: n.mark, "'where.\(field)' must be a value or a list of values")
                    return nil
                }
                if s.style != .singleQuoted && s.style != .doubleQuoted, let i = Int(s.string) { return .number(i) }
                return FieldExpectation(scalar: s.string)
            }
            if let seq = v.sequence {
                let list = seq.compactMap(expectation)
                if list.isEmpty { error(at: v.mark, "'where.\(field)' needs at least one value") }
                spec.append((field, .any(list)))
            } else if let e = expectation(v) {
                spec.append((field, e))
            }
        }
        if let problem = FieldFilter.problem(in: spec) {
            error(at: node.mark, "invalid 'where': \(problem)")
            return nil
        }
        guard let filter = FieldFilter(spec) else {
            error(at: node.mark, "invalid 'where'")
            return nil
        }
        return filter
    }

    mutating func syntheticMatch(_ filter: FieldFilter, at mark: Mark?) -> PatternGroup? {
        guard let literals = filter.requiredLiterals, !literals.isEmpty else {
            error(
                at: mark,
                "a rule with 'where' and no 'match' needs a field whose value has a literal of 3+ characters (status, error.code, exception, host)"
            )
            return nil
        }
        let alternation = literals.map { lit in
            "\\Q" + String(decoding: lit, as: UTF8.self).replacingOccurrences(of: "\\E", with: "\\E\\\\E\\Q") + "\\E"
        }.joined(separator: "|")
        let source = "(?i:" + alternation + ")"
        do {
            let regex = try Regex(source, options: RuleLoader.patternOptions)
            let pattern = RulePattern(
                source: source, regex: regex, literals: RequiredLiterals(alternatives: literals),
                location: location(mark))
            return PatternGroup(mode: .any, patterns: [pattern])
        } catch {
            self.error(at: mark, "cannot build the pattern for 'where': \(error.message)")
            return nil
        }
    }

    mutating func signalList(_ node: Node) -> [RuleSignal]? {
        guard let seq = node.sequence else {
            error(at: node.mark, "'signals' must be a list of {pattern, scope, weight, seen, missing}")
            return nil
        }
        var out: [RuleSignal] = []
        for item in seq {
            guard let m = mapping(item, what: "a signal") else { continue }
            let k = keys(m, allowed: ["pattern", "scope", "weight", "seen", "missing"], in: "a signal")
            guard let pn = require(k, "pattern", at: item.mark, in: "a signal") else { continue }
            guard let ps = pn.scalar else {
                error(at: pn.mark, "a signal's pattern must be a text value")
                continue
            }
            guard let pattern = compile(ps) else { continue }
            var scope = RuleSignal.Scope.source
            if let sn = k["scope"]?.value, let s = nonEmptyString(sn, key: "scope") {
                if let v = RuleSignal.Scope(rawValue: s) {
                    scope = v
                } else {
                    error(at: sn.mark, "'scope' must be 'event' or 'source', found '\(s)'")
                }
            }
            var weight = 0.1
            if let wn = k["weight"]?.value {
                if let s = wn.scalar?.string, let d = Double(s), d >= 0, d <= 1 {
                    weight = d
                } else {
                    error(at: wn.mark, "'weight' must be a number from 0 to 1")
                }
            }
            guard let sn = require(k, "seen", at: item.mark, in: "a signal"), let seen = nonEmptyString(sn, key: "seen")
            else { continue }
            let missing = k["missing"].flatMap { nonEmptyString($0.value, key: "missing") }
            out.append(RuleSignal(pattern: pattern, scope: scope, weight: weight, seen: seen, missing: missing))
        }
        return out
    }

    mutating func versionList(_ node: Node) -> [VersionGate]? {
        guard let seq = node.sequence else {
            error(at: node.mark, "'versions' must be a list of {package, affected, fixed_in}")
            return nil
        }
        var out: [VersionGate] = []
        for item in seq {
            guard let m = mapping(item, what: "a version gate") else { continue }
            let k = keys(m, allowed: ["package", "affected", "fixed_in"], in: "a version gate")
            guard let pn = require(k, "package", at: item.mark, in: "a version gate"),
                let package = nonEmptyString(pn, key: "package"),
                let an = require(k, "affected", at: item.mark, in: "a version gate"),
                let affected = nonEmptyString(an, key: "affected")
            else { continue }
            if VersionRange(affected) == nil {
                error(
                    at: an.mark, "'affected' is not a version range like '>=2.0.0-beta.2, <2.0.0-beta.6': '\(affected)'"
                )
                continue
            }
            let fixed = k["fixed_in"].flatMap { nonEmptyString($0.value, key: "fixed_in") }
            if let fixed, Version(fixed) == nil {
                error(at: k["fixed_in"]?.value.mark, "'fixed_in' is not a version: '\(fixed)'")
            }
            out.append(VersionGate(package: package, affected: affected, fixedIn: fixed, location: location(item.mark)))
        }
        return out
    }

    mutating func candidateList(_ node: Node) -> [Candidate]? {
        guard let seq = node.sequence else {
            error(at: node.mark, "'candidates' must be a list of {category, why}")
            return nil
        }
        var out: [Candidate] = []
        for item in seq {
            guard let m = mapping(item, what: "a candidate") else { continue }
            let k = keys(m, allowed: ["category", "why"], in: "a candidate")
            guard let cn = require(k, "category", at: item.mark, in: "a candidate"),
                let label = nonEmptyString(cn, key: "category"),
                let wn = require(k, "why", at: item.mark, in: "a candidate"), let why = nonEmptyString(wn, key: "why")
            else { continue }
            guard let category = Category(rawValue: label) else {
                let hint = RuleLoader.suggestion(for: label, among: Category.labels)
                error(at: cn.mark, "unknown category '\(label)'" + (hint.map { "; did you mean '\($0)'?" } ?? ""))
                continue
            }
            out.append(Candidate(category: category, why: why))
        }
        return out
    }

    mutating func examples(_ node: Node) -> ([MatchExample], [NoMatchExample], [KnownGap]) {
        guard let map = mapping(node, what: "'examples'") else { return ([], [], []) }
        let k = keys(
            map, allowed: ["match", "no_match", "known_false_negative", "known_false_positive"], in: "'examples'")
        var gaps: [KnownGap] = []
        for kind in [KnownGap.Kind.falseNegative, .falsePositive] {
            guard let (_, v) = k[kind.rawValue] else { continue }
            guard let seq = v.sequence else {
                error(at: v.mark, "'examples.\(kind.rawValue)' must be a list of {log, note}")
                continue
            }
            for item in seq {
                guard let m = mapping(item, what: "a known gap") else { continue }
                let e = keys(m, allowed: ["log", "note"], in: "a \(kind.rawValue) example")
                guard let logNode = require(e, "log", at: item.mark, in: "a known gap"),
                    let log = string(logNode, key: "log"),
                    let noteNode = require(e, "note", at: item.mark, in: "a known gap"),
                    let note = nonEmptyString(noteNode, key: "note")
                else { continue }
                gaps.append(KnownGap(kind: kind, log: log, note: note, location: location(item.mark)))
            }
        }
        var matches: [MatchExample] = []
        var noMatches: [NoMatchExample] = []
        if let (_, v) = k["match"] {
            if let seq = v.sequence {
                for item in seq {
                    guard let m = mapping(item, what: "a match example") else { continue }
                    let e = keys(m, allowed: ["log", "line", "values"], in: "a match example")
                    guard let logNode = require(e, "log", at: item.mark, in: "a match example"),
                        let log = string(logNode, key: "log")
                    else { continue }
                    var line = 0
                    if let ln = require(e, "line", at: item.mark, in: "a match example") {
                        let lineCount = log.split(separator: "\n", omittingEmptySubsequences: false).count
                        if let s = ln.scalar?.string, let i = Int(s), i >= 1, i <= max(1, lineCount) {
                            line = i
                        } else {
                            error(at: ln.mark, "'line' must be a line number from 1 to \(lineCount) of the example log")
                        }
                    }
                    var values: [String: String] = [:]
                    if let (_, vn) = e["values"], let vm = mapping(vn, what: "'values'") {
                        for (key, value) in vm {
                            if let name = key.scalar?.string, let val = value.scalar?.string {
                                values[name] = val
                            } else {
                                error(at: key.mark, "'values' maps capture names to text")
                            }
                        }
                    }
                    matches.append(MatchExample(log: log, line: line, values: values, location: location(item.mark)))
                }
            } else {
                error(at: v.mark, "'examples.match' must be a list")
            }
        }
        if let (_, v) = k["no_match"] {
            if let seq = v.sequence {
                for item in seq {
                    guard let m = mapping(item, what: "a no_match example") else { continue }
                    let e = keys(m, allowed: ["log"], in: "a no_match example")
                    guard let logNode = require(e, "log", at: item.mark, in: "a no_match example"),
                        let log = string(logNode, key: "log")
                    else { continue }
                    noMatches.append(NoMatchExample(log: log, location: location(item.mark)))
                }
            } else {
                error(at: v.mark, "'examples.no_match' must be a list")
            }
        }
        if matches.isEmpty {
            error(at: node.mark, "a rule needs at least one 'match' example")
        }
        if noMatches.isEmpty {
            error(at: node.mark, "a rule needs at least one 'no_match' example")
        }
        return (matches, noMatches, gaps)
    }
}
