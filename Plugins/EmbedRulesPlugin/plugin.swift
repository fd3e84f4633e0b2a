import Foundation
import PackagePlugin

/// Embeds every YAML file under the package's `rules/` folder into the `FaultlineShippedRules`
/// target as Swift source, so the `faultline` binary carries its rules and runs from anywhere.
///
/// Every rule file and every folder under `rules/` is an input of the command: editing a rule
/// re-embeds it, and adding or removing a file changes its folder's modification time, so the
/// next build re-embeds too (SwiftPM only re-runs the plugin itself when it re-plans). The
/// generator walks `rules/` on each run, and the test suite checks the embedded set against it.
@main
struct EmbedRulesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let rulesDir = context.package.directoryURL.appending(path: "rules")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedRuleFiles.swift")
        // The folders are inputs too: adding a file changes its folder's modification time.
        var inputs: [URL] = [rulesDir]
        if let walker = FileManager.default.enumerator(
            at: rulesDir, includingPropertiesForKeys: [.isDirectoryKey])
        {
            for case let url as URL in walker {
                let isDir = (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory ?? false
                if isDir || ["yaml", "yml"].contains(url.pathExtension) { inputs.append(url) }
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
