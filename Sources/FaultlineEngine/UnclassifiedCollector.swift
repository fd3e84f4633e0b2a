import FaultlineEvents
import FaultlineModel
import FaultlineText

/// Error events that no rule explains, clustered by message template (nothing an operator
/// should see is dropped).
struct UnclassifiedCollector {
    private(set) var miner: TemplateMiner

    /// Lines that mark a CI step's end, not an application error ("Process completed with exit
    /// code 1"): the errors before them are what counts.
    static let ciNoise = ["Process completed with exit code", "##[error]Process completed", "ERROR: Job failed"]

    init(maxClusters: Int) { miner = TemplateMiner(maxClusters: maxClusters) }

    /// `true` for a one-line CI step-end event, which is not collected.
    static func isCINoise(_ event: borrowing EventView) -> Bool {
        guard event.lines.count == 1 else { return false }
        let first = event.lineText(0)
        return ciNoise.contains(where: { first.contains($0) })
    }

    /// Adds `event` to its template's cluster, with its redacted message line as the example.
    mutating func add(_ event: borrowing EventView, source: String, order: Int) {
        var lines: [String] = []
        lines.reserveCapacity(min(event.lines.count, 200))
        for i in 0..<min(event.lines.count, 200) { lines.append(event.lineText(i)) }
        let (index, message) = MessageLine.pick(lines)
        let li = min(index, event.lines.count - 1)
        let example = Evidence(
            source: source, line: event.lines[li].number, text: Redactor.redact(ANSI.strip(event.rawLineText(li))))
        miner.add(message: message, example: example, timestamp: event.timestamp(), order: order)
    }
}
