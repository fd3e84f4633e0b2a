import FaultlineModel

/// Presentation choices that do not change what a report says.
public struct RenderOptions: Sendable, Hashable {
    /// Emit ANSI colours and bold/dim (text format only). The CLI sets it on a TTY without `NO_COLOR`.
    public var color: Bool = false
    /// The column at which the text format wraps prose and trims evidence lines (minimum 40).
    public var width: Int = 100

    /// Creates options; `width` values below 40 are treated as 40.
    public init(color: Bool = false, width: Int = 100) {
        self.color = color
        self.width = width
    }

    var effectiveWidth: Int { max(40, width) }
}

/// The report formats this module renders.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// A terminal summary, optionally coloured.
    case text
    /// A Markdown incident report for tickets, PR comments and CI job summaries.
    case markdown
    /// Machine-readable JSON with a stable key order (`docs/json.md`).
    case json
}

/// Dispatches a report to the renderer of a format.
public enum ReportRenderer {
    /// Renders `report` in `format`.
    ///
    /// Pure: the same report and options always give the same string. Renderers never redact;
    /// the engine hands them a report whose evidence and values are already redacted.
    public static func render(_ report: Report, format: ReportFormat, options: RenderOptions = RenderOptions())
        -> String
    {
        switch format {
        case .text: TextRenderer.render(report, options: options)
        case .markdown: MarkdownRenderer.render(report, options: options)
        case .json: JSONRenderer.render(report, options: options)
        }
    }
}
