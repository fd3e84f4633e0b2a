import ArgumentParser
import FaultlineEngine
import FaultlineIngest
import FaultlineModel
import FaultlineReport
import Foundation

/// `FILE:LINE` as given on the command line.
struct FileLine: ExpressibleByArgument {
    let path: String
    let line: Int

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let n = Int(argument[argument.index(after: colon)...]), n >= 1
        else { return nil }
        path = String(argument[..<colon])
        line = n
        if path.isEmpty { return nil }
    }

    static var defaultCompletionKind: CompletionKind { .file() }
}

/// Scans `target.path` up to the event holding `target.line`; throws when there is none.
func explainScan(_ target: FileLine, ruleFolders: [String]) throws -> (ScanSession, Explanation, LoadedRules) {
    let loaded = LoadedRules.load(userFolders: ruleFolders)
    Output.diagnostics(loaded.diagnostics)
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isDir), !isDir.boolValue else {
        throw CLIError("\(target.path): no such file")
    }
    let session = ScanSession(rules: CompiledRules(loaded.rules))
    session.explain = .line(target.line)
    session.scan(InputFile(path: target.path, explicit: true))
    Output.diagnostics(session.result().diagnostics)
    guard let explanation = session.explanation else {
        if target.line <= session.lastSourceLines {
            throw CLIError(
                "\(target.path):\(target.line): the line is blank and belongs to no event; pick a line with text")
        }
        throw CLIError("\(target.path):\(target.line): the file has only \(session.lastSourceLines) lines")
    }
    return (session, explanation, loaded)
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show how faultline reads one line: its event, the values found, and every rule's verdict.",
        discussion: """
            Prints the event that FILE:LINE belongs to (a traceback, a .NET block, a
            single line), the values extracted from it, and for each rule whether it
            matched, and if not which part failed: a pattern, a missing literal, an
            'unless' veto, a correlation that was not satisfied.

            EXAMPLE:
              faultline explain ci/job-17.log:212
            """)

    @Argument(help: "The line to explain, as FILE:LINE.")
    var target: FileLine

    @Option(name: .customLong("rules"), help: "Also load the rules in this folder (repeatable).")
    var ruleFolders: [String] = []

    @Flag(name: .shortAndLong, help: "List every rule, not only those that matched or came close.")
    var all = false

    func run() throws {
        let (_, e, _) = try explainScan(target, ruleFolders: ruleFolders)
        Output.stdout(ExplanationRenderer.render(e, line: target.line, all: all))
    }
}
