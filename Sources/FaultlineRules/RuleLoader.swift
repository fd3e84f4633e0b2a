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

    /// Loads one rule from YAML text; returns nil, with error diagnostics added to `diagnostics`,
    /// when the rule is unusable.
    public static func load(yaml: String, file: String, origin: RuleOrigin, diagnostics: inout Diagnostics) -> Rule? {
        var ctx = Context(file: file)
        let rule = load(yaml: yaml, origin: origin, context: &ctx)
        diagnostics.add(contentsOf: ctx.diagnostics)
        return ctx.failed ? nil : rule
    }

    private static func load(yaml: String, origin: RuleOrigin, context ctx: inout Context) -> Rule? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            ctx.yamlError(error)
            return nil
        } catch {
            ctx.error(at: nil, "cannot parse YAML: \(error)")
            return nil
        }
        guard let root, let map = ctx.mapping(root, what: "a rule") else {
            if root == nil { ctx.error(at: nil, "the file is empty; a rule needs at least 'schema' and 'id'") }
            return nil
        }
        return ctx.rule(from: map, rootMark: root.mark, origin: origin)
    }

    /// Loads every `*.yaml`/`*.yml` file under `directory`, recursively, in sorted order.
    public static func loadDirectory(
        _ directory: String, origin: RuleOrigin = .user, diagnostics: inout Diagnostics
    ) -> [Rule] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) else {
            diagnostics.add(Diagnostic(severity: .error, source: directory, message: "rules folder not found"))
            return []
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
            diagnostics.add(Diagnostic(severity: .warning, source: directory, message: "no rule files (*.yaml) found"))
            return []
        }
        var rules: [Rule] = []
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                diagnostics.add(Diagnostic(severity: .error, source: path, message: "cannot read rule file"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                diagnostics.add(Diagnostic(severity: .error, source: path, message: "rule file is not valid UTF-8"))
                continue
            }
            if let rule = load(yaml: text, file: path, origin: origin, diagnostics: &diagnostics) { rules.append(rule) }
        }
        return rules
    }

    /// Loads embedded files (path, contents), e.g. the shipped rules.
    public static func load(
        files: [(path: String, contents: String)], origin: RuleOrigin, diagnostics: inout Diagnostics
    ) -> [Rule] {
        files.compactMap { load(yaml: $0.contents, file: $0.path, origin: origin, diagnostics: &diagnostics) }
    }

    /// Checks a whole rule set: unique ids, and that every rule named in `correlate.after` or
    /// `explains` exists. Returns the rules to use (later duplicates dropped).
    public static func validate(_ rules: [Rule], diagnostics: inout Diagnostics) -> [Rule] {
        var seen: [String: Rule] = [:]
        var kept: [Rule] = []
        for rule in rules {
            if let first = seen[rule.id] {
                diagnostics.add(
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
                diagnostics.add(
                    Diagnostic(
                        severity: .error, source: after.location.file, line: after.location.line,
                        column: after.location.column,
                        message: "correlate.after names rule '\(after.rule)', which is not loaded",
                        hint: suggestion(for: after.rule, among: Array(seen.keys)).map { "did you mean '\($0)'?" }))
            }
            for name in rule.explains where seen[name] == nil && !labels.contains(name) {
                diagnostics.add(
                    Diagnostic(
                        severity: .warning, source: rule.file,
                        message: "rule '\(rule.id)' explains '\(name)', which is neither a loaded rule nor a category",
                        hint: suggestion(for: name, among: Array(seen.keys) + Category.labels).map {
                            "did you mean '\($0)'?"
                        }))
            }
        }
        return kept
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
