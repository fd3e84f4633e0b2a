import Foundation
import PackagePlugin

/// Embeds every YAML file under the package's `rules/` folder into the `FaultlineShippedRules`
/// target as Swift source, so the `faultline` binary carries its rules and runs from anywhere.
///
/// Every rule file is an input of the command, so editing one re-embeds it on the next build.
/// SwiftPM invokes build-tool plugins only when it re-plans the build, which adding a new file
/// under `rules/` does not cause: the test suite checks that the embedded set matches `rules/`
/// and says how to re-plan (`swift package clean`) when it does not.
@main
struct EmbedRulesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let rulesDir = context.package.directoryURL.appending(path: "rules")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedRuleFiles.swift")
        var inputs: [URL] = []
        if let walker = FileManager.default.enumerator(at: rulesDir, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where ["yaml", "yml"].contains(url.pathExtension) {
                inputs.append(url)
            }
        }
        inputs.sort { $0.path < $1.path }
        return [
            .buildCommand(
                displayName: "Embedding rules/ into the faultline binary",
                executable: try context.tool(named: "EmbedRules").url,
                arguments: [rulesDir.path, output.path],
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
