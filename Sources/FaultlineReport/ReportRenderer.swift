import FaultlineModel

/// Presentation choices that do not change what a report says.
public struct RenderOptions: Sendable, Hashable {
    /// Emit ANSI colours and bold/dim (text format only). The CLI sets it on a TTY without `NO_COLOR`.
    public var color: Bool = false
    /// The column at which the text format wraps prose and trims evidence lines (minimum 40).
    public var width: Int = 100
    /// The most bytes (UTF-8) the Markdown report may take, or `nil` for no limit.
    ///
    /// Set it to where the report goes: 65,536 for a PR comment, 1 MiB for a GitHub job
    /// summary. A report over the limit drops whole unclassified rows, then whole incidents
    /// from the lowest rank up, then diagnostics, and ends with a line saying how many were
    /// left out and where the full report is (``fullReportLocation``). Text is never cut in the
    /// middle. See ``MarkdownRenderer/render(_:options:)`` for the exact contract.
    public var maxBytes: Int? = nil
    /// Where the full report can be found, named in "… not shown; the full report is in …"
    /// (Markdown) and in the SARIF notification about results left out. Markdown prose: inline
    /// code in backticks is kept as code.
    public var fullReportLocation: String = RenderOptions.defaultFullReportLocation
    /// How many incidents a baseline hid (``Baseline/filter(_:baseline:)``). When positive, the
    /// text, Markdown, SARIF and GitHub formats say "N known incidents hidden by the baseline";
    /// the JSON format does not (it stays a plain, mergeable report).
    public var hiddenByBaseline: Int = 0
    /// The faultline version, written as SARIF `tool.driver.version`; omitted when `nil`.
    public var toolVersion: String? = nil
    /// The faultline home page, written as SARIF `tool.driver.informationUri`; omitted when `nil`.
    public var toolInformationURI: String? = nil

    /// The default ``fullReportLocation``.
    public static let defaultFullReportLocation = "the output of `--format json`"

    /// Creates options; `width` values below 40 are treated as 40.
    public init(
        color: Bool = false, width: Int = 100, maxBytes: Int? = nil,
        fullReportLocation: String = RenderOptions.defaultFullReportLocation, hiddenByBaseline: Int = 0,
        toolVersion: String? = nil, toolInformationURI: String? = nil
    ) {
        self.color = color
        self.width = width
        self.maxBytes = maxBytes
        self.fullReportLocation = fullReportLocation
        self.hiddenByBaseline = hiddenByBaseline
        self.toolVersion = toolVersion
        self.toolInformationURI = toolInformationURI
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
    /// SARIF 2.1.0 for code-scanning tools (`docs/sarif.md`).
    case sarif
    /// GitHub Actions workflow commands that annotate the run (`::error file=…,line=…::…`).
    case github
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
        case .sarif: SARIFRenderer.render(report, options: options)
        case .github: GitHubAnnotationsRenderer.render(report, options: options)
        }
    }
}
