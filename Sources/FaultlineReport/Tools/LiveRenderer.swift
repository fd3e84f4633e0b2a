import FaultlineModel

/// The lines `--live` prints as a scan goes: one when an incident is first recognised, then
/// count updates. Pure functions of the values they show.
public enum LiveRenderer {
    /// `● ERROR  rate-limit  Title at file:line`.
    public static func newIncident(
        severity: Severity, category: Category, title: String, evidence: Evidence?
    ) -> String {
        "● \(severity.rawValue.uppercased())  \(category.rawValue)  \(title)\(at(evidence))\n"
    }

    /// `  … rate-limit: 7 times so far at file:line`.
    public static func update(category: Category, occurrences: Int, evidence: Evidence?) -> String {
        "  … \(category.rawValue): \(occurrences) times so far\(at(evidence))\n"
    }

    /// The note after a live scan that Ctrl-C ended.
    public static let interrupted = "\n(interrupted: the report covers what was read)\n"

    private static func at(_ evidence: Evidence?) -> String {
        evidence.map { " at \($0.source):\($0.line)" } ?? ""
    }
}
