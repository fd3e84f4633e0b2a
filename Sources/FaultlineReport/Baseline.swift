import FaultlineModel

/// Hides the incidents a previous report already had, so that a pipeline reports only what is new.
///
/// The baseline is a report (usually a previous run's `--format json` output, decoded). An
/// incident is known when its ``FaultlineModel/Incident/fingerprint`` appears among the
/// baseline's incidents; the fingerprint is semantic (rule, category, grouping values), so it
/// survives line shifts, new timestamps and other machines. Incidents with an empty fingerprint
/// are never hidden. Unclassified clusters, stats and diagnostics are kept as they are.
///
/// The number hidden is not part of ``FaultlineModel/Report`` (the model stays the JSON shape);
/// pass it to the renderers as ``RenderOptions/hiddenByBaseline`` and they say
/// "N known incidents hidden by the baseline".
public enum Baseline {
    /// Removes from `report` the incidents whose fingerprint is in `baseline`.
    ///
    /// The remaining incidents keep their order and are re-numbered `F1…Fn`.
    /// - Returns: the filtered report and how many incidents were hidden.
    public static func filter(_ report: Report, baseline: Report) -> (report: Report, hidden: Int) {
        let known = Set(baseline.incidents.map(\.fingerprint).filter { !$0.isEmpty })
        var filtered = report
        filtered.incidents = report.incidents.filter { $0.fingerprint.isEmpty || !known.contains($0.fingerprint) }
        let hidden = report.incidents.count - filtered.incidents.count
        guard hidden > 0 else { return (report, 0) }
        for index in filtered.incidents.indices {
            filtered.incidents[index].id = "F\(index + 1)"
        }
        return (filtered, hidden)
    }

    /// "1 known incident hidden by the baseline", "3 known incidents …".
    static func hiddenMessage(_ hidden: Int) -> String {
        "\(Formatting.count(hidden, "known incident")) hidden by the baseline"
    }
}
