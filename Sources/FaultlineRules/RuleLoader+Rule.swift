import FaultlineModel
import FaultlineRegex
import Foundation
import Yams

extension Context {
    // MARK: Rule

    mutating func rule(from map: Node.Mapping, rootMark: Mark?, origin: RuleOrigin) -> Rule? {
        let allowed = [
            "schema", "id", "title", "category", "severity", "confidence", "match", "unless", "correlate", "explains",
            "candidates", "cause", "fix", "references", "examples", "files", "symptom", "group_by", "signals",
            "versions", "where",
        ]
        let k = keys(map, allowed: allowed, in: "the rule")
        let what = "the rule"

        let (id, title, category, severity, confidence) = identity(k, rootMark: rootMark)
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
        let (cause, fix, references) = guidance(k, rootMark: rootMark)
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

    typealias Keys = [String: (key: Node, value: Node)]

    /// `schema`, `id`, `title`, `category`, `severity` and `confidence`, checked.
    mutating func identity(_ k: Keys, rootMark: Mark?) -> (
        id: String, title: String, category: Category, severity: Severity, confidence: Double
    ) {
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
        return (id, title, category, severity, confidence)
    }

    /// `cause`, `fix` (at least one step) and `references` (URLs), checked.
    mutating func guidance(_ k: Keys, rootMark: Mark?) -> (cause: String, fix: [String], references: [String]) {
        let what = "the rule"
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
        return (cause, fix, references)
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
}
