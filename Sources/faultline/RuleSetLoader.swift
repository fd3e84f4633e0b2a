import FaultlineEngine
import FaultlineModel
import FaultlineRules
import FaultlineShippedRules

/// Loads the shipped rules and the user's `--rules` folders into one validated set.
struct LoadedRules {
    let rules: [Rule]
    let diagnostics: [Diagnostic]

    /// True when some rule could not be loaded: the run must end with exit code 2.
    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    static func load(userFolders: [String], includeShipped: Bool = true) -> LoadedRules {
        var rules: [Rule] = []
        var diagnostics: [Diagnostic] = []
        if includeShipped {
            let shipped = RuleLoader.load(files: ShippedRules.files, origin: .shipped)
            rules += shipped.rules
            diagnostics += shipped.diagnostics
        }
        for folder in userFolders {
            let user = RuleLoader.loadDirectory(folder, origin: .user)
            rules += user.rules
            diagnostics += user.diagnostics
        }
        let validated = RuleLoader.validate(rules)
        return LoadedRules(rules: validated.rules, diagnostics: diagnostics + validated.diagnostics)
    }
}
