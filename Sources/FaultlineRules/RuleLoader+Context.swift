import FaultlineModel
import FaultlineRegex
import Foundation
import Yams

// MARK: - Node walking

/// The state of loading one rule file: its name and the diagnostics so far, with the helpers
/// that read Yams nodes and report problems at their `file:line:column`.
struct Context {
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
}
