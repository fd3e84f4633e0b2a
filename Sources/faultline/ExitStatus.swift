import ArgumentParser

/// How a command ended, as the exit code tells it.
enum RunOutcome: Equatable {
    /// The command ran (incidents or not): exit 0.
    case ran
    /// A gate the user set tripped: `--fail-on` matched, a rule example failed, `rules lint
    /// --strict` found a warning: exit 1.
    case gateTripped
    /// Usage, rule or input errors the user must fix (a message on stderr says what and where):
    /// exit 2.
    case userError
}

/// The one place that maps outcomes to exit codes (0, 1, 2). ArgumentParser's own usage-error
/// code (64 on Linux) is never used.
enum ExitStatus {
    /// The exit code of `outcome`.
    static func code(_ outcome: RunOutcome) -> Int32 {
        switch outcome {
        case .ran: 0
        case .gateTripped: 1
        case .userError: 2
        }
    }

    /// The outcome of a run: errors win over a tripped gate.
    static func outcome(errors: Bool, gateTripped: Bool) -> RunOutcome {
        errors ? .userError : gateTripped ? .gateTripped : .ran
    }

    /// Ends a command's `run()` with the outcome's exit code (returns normally for exit 0).
    static func finish(errors: Bool = false, gateTripped: Bool = false) throws {
        let c = code(outcome(errors: errors, gateTripped: gateTripped))
        if c != 0 { throw ExitCode(c) }
    }
}
