import FaultlineModel
import FaultlineRegex
import Foundation
import Yams

extension Context {
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
