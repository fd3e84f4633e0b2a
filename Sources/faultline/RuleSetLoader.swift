import FaultlineEngine
import FaultlineModel
import FaultlineRules
import FaultlineShippedRules

/// Loads the shipped rules and the user's `--rules` folders into one validated set.
struct LoadedRules {
    let rules: [Rule]
    /// What loading found, in order: every problem names its rule file, line and column.
    let diagnostics: Diagnostics

    /// True when some rule could not be loaded: the run must end with exit code 2.
    var hasErrors: Bool { diagnostics.hasErrors }

    static func load(userFolders: [String], includeShipped: Bool = true) -> LoadedRules {
        var rules: [Rule] = []
        var diagnostics = Diagnostics()
        if includeShipped {
            rules += RuleLoader.load(files: ShippedRules.files, origin: .shipped, diagnostics: &diagnostics)
        }
        for folder in userFolders {
            rules += RuleLoader.loadDirectory(folder, origin: .user, diagnostics: &diagnostics)
        }
        let validated = RuleLoader.validate(rules, diagnostics: &diagnostics)
        return LoadedRules(rules: validated, diagnostics: diagnostics)
    }
}
