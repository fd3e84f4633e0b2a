/// How serious an incident is, as declared by the rule that found it.
///
/// Ordered: `info < warning < error < critical`. `--fail-on` compares with this order.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    case info, warning, error, critical

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        case .critical: 3
        }
    }

    /// Orders severities: `info < warning < error < critical`.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The level a log line declares for itself (`ERROR`, `fail:`, `W`, …), normalised.
public enum LogLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case trace, debug, info, warning, error, critical

    private var rank: Int {
        switch self {
        case .trace: 0
        case .debug: 1
        case .info: 2
        case .warning: 3
        case .error: 4
        case .critical: 5
        }
    }

    /// Orders levels from `trace` (least) to `critical` (most).
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }
}
