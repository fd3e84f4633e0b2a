import FaultlineModel
import FaultlineRules

/// The loader's collector API as the tests read it: the value and what was collected, side by side.
extension RuleLoader {
    static func load(yaml: String, file: String, origin: RuleOrigin) -> (rule: Rule?, diagnostics: [Diagnostic]) {
        var diagnostics = Diagnostics()
        let rule = load(yaml: yaml, file: file, origin: origin, diagnostics: &diagnostics)
        return (rule, diagnostics.all)
    }

    static func load(files: [(path: String, contents: String)], origin: RuleOrigin) -> (
        rules: [Rule], diagnostics: [Diagnostic]
    ) {
        var diagnostics = Diagnostics()
        let rules = load(files: files, origin: origin, diagnostics: &diagnostics)
        return (rules, diagnostics.all)
    }

    static func validate(_ rules: [Rule]) -> (rules: [Rule], diagnostics: [Diagnostic]) {
        var diagnostics = Diagnostics()
        let kept = validate(rules, diagnostics: &diagnostics)
        return (kept, diagnostics.all)
    }
}
