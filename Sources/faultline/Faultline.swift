import ArgumentParser
import FaultlineModel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@main
struct Faultline: ParsableCommand {
    static let version = "0.1.0-dev"

    static let configuration = CommandConfiguration(
        commandName: "faultline",
        abstract: "Triage the logs of applications that call LLM APIs: name the real cause and the fix.",
        discussion: """
            faultline reads logs (stdin by default, or files and folders), assembles
            multi-line events (Python tracebacks, .NET exception blocks, Node stacks),
            matches them against a rule base of known failure signatures of Azure
            OpenAI, OpenAI and litellm integrations, and reports each incident with
            its most likely root cause, the fix, and the evidence (file and line).

            EXAMPLES:
              kubectl logs deploy/librechat | faultline
              python app.py 2>&1 | faultline scan -
              faultline scan ./artifacts --format markdown -o incident.md
              faultline scan build.log --fail-on error    # exit 1 on an error
              faultline scan logs/ --rules ./my-rules     # add your own rules
              faultline explain app.log:212               # why a line matched
              faultline rules test                        # replay rule examples

            EXIT CODES:
              0  the scan ran (incidents or not, unless --fail-on says otherwise)
              1  --fail-on was given and an incident at or above it was found
              2  usage, rule or input errors (a message says what and where)
            """,
        version: version,
        subcommands: [Scan.self, Merge.self, Explain.self, RulesCommand.self],
        defaultSubcommand: Scan.self
    )

    static func main() {
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CLIError {
            Output.stderr("faultline: error: \(error.message)\n")
            terminate(ExitStatus.code(.userError))
        } catch let code as ExitCode {
            terminate(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                self.exit(withError: error)
            }
            let message = fullMessage(for: error)
            Output.stderr(message.hasSuffix("\n") ? message : message + "\n")
            terminate(ExitStatus.code(.userError))
        }
    }
}

/// Ends the process with `code` (the C library's `exit`, named apart from
/// `ParsableCommand.exit(withError:)`).
private func terminate(_ code: Int32) -> Never { exit(code) }
