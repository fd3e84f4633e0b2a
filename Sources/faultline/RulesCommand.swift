import ArgumentParser
import FaultlineEngine
import FaultlineModel
import FaultlineReport
import FaultlineRules
import Foundation

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Work with rules: test their examples, lint them, list them, show one, start a new one.",
        subcommands: [RulesTest.self, RulesLint.self, RulesList.self, RulesShow.self, RulesNew.self]
    )
}

struct RulesTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Replay every rule's examples through the real pipeline and report per rule.",
        discussion: """
            Each 'match' example must match at its declared evidence line with its
            declared values, and each 'no_match' example must not match: plain, and
            replayed behind every wrapper faultline peels and at tiny read buffers:
            \(RuleTester.Variant.standard.map(\.rawValue).joined(separator: ", ")).

            With FOLDERs, the rules in them are tested (against the shipped rules
            too, so correlations resolve); without, the shipped rules are tested.
            Exit 1 when an example fails, 2 when a rule cannot be loaded.
            """
    )

    @Argument(help: "Folders of rule files to test; default: the shipped rules.")
    var folders: [String] = []

    @Flag(name: .shortAndLong, help: "Print only failures and the summary.")
    var quiet = false

    func run() throws {
        let shipped = LoadedRules.load(userFolders: [])
        let loaded = folders.isEmpty ? shipped : LoadedRules.load(userFolders: folders)
        Output.diagnostics(loaded.diagnostics)
        let only: [Rule]? = folders.isEmpty ? nil : loaded.rules.filter { $0.origin == .user }
        let results = RuleTester.run(all: loaded.rules, only: only)
        Output.stdout(RuleTestRenderer.render(results.map(\.outcome), quiet: quiet))
        let failed = results.filter { !$0.passed }.count
        try ExitStatus.finish(errors: loaded.hasErrors, gateTripped: failed > 0)
    }
}

struct RulesList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the loaded rules: id, category, severity, title.")

    @Option(name: .customLong("rules"), help: "Also load the rules in this folder (repeatable).")
    var ruleFolders: [String] = []

    @Option(name: .shortAndLong, help: "Output format: text, json, or markdown (the docs/rules.md catalogue).")
    var format: ListFormat = .text

    enum ListFormat: String, ExpressibleByArgument { case text, json, markdown }

    func run() throws {
        let loaded = LoadedRules.load(userFolders: ruleFolders)
        Output.diagnostics(loaded.diagnostics)
        let sheets = loaded.rules.map(\.sheet)
        switch format {
        case .text: Output.stdout(RulePagesRenderer.list(sheets))
        case .json: Output.stdout(RulePagesRenderer.listJSON(sheets))
        case .markdown: Output.stdout(RulePagesRenderer.catalogue(sheets))
        }
        try ExitStatus.finish(errors: loaded.hasErrors)
    }
}

struct RulesShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one rule as a page.")

    @Argument(help: "The rule id.")
    var id: String

    @Option(name: .customLong("rules"), help: "Also load the rules in this folder (repeatable).")
    var ruleFolders: [String] = []

    func run() throws {
        let loaded = LoadedRules.load(userFolders: ruleFolders)
        Output.diagnostics(loaded.diagnostics)
        guard let r = loaded.rules.first(where: { $0.id == id }) else {
            let hint = RuleLoader.suggestion(for: id, among: loaded.rules.map(\.id)).map { "; did you mean '\($0)'?" }
            throw CLIError("no rule with id '\(id)'\(hint ?? "") ('faultline rules list' shows them all)")
        }
        Output.stdout(RulePagesRenderer.page(r.sheet))
    }
}

struct RulesNew: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Print a rule skeleton for an event, its example already filled in.",
        discussion: """
            Takes the event that FILE:LINE belongs to (typically an entry of the report's
            unclassified errors), and prints a schema-1 rule with a suggested pattern
            built from the event's message template and the event itself as the first
            'match' example. Fill in the TODOs, save it under a rules folder, and check it
            with 'faultline rules test FOLDER'.

            EXAMPLE:
              faultline rules new --from logs/app.log:88 > my-rules/qdrant-timeout.yaml
            """)

    @Option(name: .customLong("from"), help: "The event to start from, as FILE:LINE.")
    var from: FileLine

    func run() throws {
        let (session, _, _) = try explainScan(from, ruleFolders: [])
        let lines = session.explainedEventText
        let (index, message) = MessageLine.pick(lines)
        var miner = TemplateMiner(maxClusters: 1)
        miner.add(
            message: message, example: Evidence(source: from.path, line: from.line, text: ""), timestamp: nil, order: 0)
        let template = miner.clusters.first?.template ?? message
        let firstLine = session.explanation?.firstLine ?? from.line
        Output.stdout(
            RuleSkeleton.make(
                eventLines: lines, messageIndex: index + 1, template: template, source: from.path, line: firstLine))
    }
}

struct RulesLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check rules for missing examples or references, symptom titles and regex pitfalls.",
        discussion: """
            Reports, as file:line:col warnings: fewer than 2 'match' or 'no_match' examples,
            missing references or fix steps, titles that name a symptom instead of the cause,
            generic rules without candidates, patterns that start with '.*', patterns with no
            literal for the prefilter, nested quantifiers, and patterns that hit PCRE2's match
            limit on a long line of repeated text. With FOLDERs, lints the rules in them;
            without, the shipped rules. Exit 1 with --strict when there is a warning, 2 when a
            rule cannot be loaded.
            """)

    @Argument(help: "Folders of rule files to lint; default: the shipped rules.")
    var folders: [String] = []

    @Flag(help: "Exit 1 when there is any warning.")
    var strict = false

    func run() throws {
        let loaded = folders.isEmpty ? LoadedRules.load(userFolders: []) : LoadedRules.load(userFolders: folders)
        Output.diagnostics(loaded.diagnostics)
        let rules = folders.isEmpty ? loaded.rules : loaded.rules.filter { $0.origin == .user }
        let warnings = RuleLinter.lint(rules)
        var out = warnings.map { $0.formatted + "\n" }.joined()
        out += "lint: \(rules.count) rules, \(warnings.count) warning\(warnings.count == 1 ? "" : "s")\n"
        Output.stdout(out)
        try ExitStatus.finish(errors: loaded.hasErrors, gateTripped: strict && !warnings.isEmpty)
    }
}
