import FaultlineEvents
import FaultlineRegex

/// Package versions seen per source: version banners and `User-Agent` headers.
///
/// Looked for in the first ``lineBudget`` candidate lines of each source (where banners are)
/// and in every event a rule matched; the version literals (`openai`, `litellm`) are too common
/// to chase through a whole gigabyte.
struct VersionBanners {
    static let lineBudget = 4000

    /// Per source: package name (without the `version.` prefix) → the first version seen.
    private(set) var bySource: [String: [String: String]] = [:]
    private var linesLeft = 0

    /// `true` while the current source's budget of candidate lines is not used up.
    var hasBudget: Bool { linesLeft > 0 }

    /// Starts a source with a fresh budget.
    mutating func begin() { linesLeft = Self.lineBudget }

    /// Reads the versions in `event`'s lines; `force` reads them even when the budget is used up.
    mutating func record(
        _ event: borrowing EventView, source: String, extractor: ValueExtractor, scratch: MatchScratch,
        force: Bool = false
    ) {
        for i in 0..<event.lines.count {
            if !force {
                guard linesLeft > 0 else { return }
                linesLeft -= 1
            }
            let found = extractor.versions(inLine: event.lineBytes(i), using: scratch)
            guard !found.isEmpty else { continue }
            var known = bySource[source] ?? [:]
            for (k, v) in found {
                let package = k.hasPrefix("version.") ? String(k.dropFirst(8)) : k
                if known[package] == nil { known[package] = v }
            }
            bySource[source] = known
        }
    }
}
