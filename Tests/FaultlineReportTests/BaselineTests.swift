import FaultlineModel
import FaultlineReport
import Testing

@Suite("Baseline")
struct BaselineTests {
    @Test("incidents whose fingerprint is in the baseline are hidden and the rest re-numbered")
    func filter() {
        var baseline = Fixtures.empty
        baseline.incidents = [Fixtures.report.incidents[0], Fixtures.report.incidents[2]]
        let (report, hidden) = Baseline.filter(Fixtures.report, baseline: baseline)
        #expect(hidden == 2)
        #expect(report.incidents.map(\.fingerprint) == ["9f1c2d3e4a5b6c7d"])
        #expect(report.incidents.map(\.id) == ["F1"])
        #expect(report.unclassified == Fixtures.report.unclassified)
        #expect(report.diagnostics == Fixtures.report.diagnostics)
    }

    @Test("nothing known: the report is unchanged; empty fingerprints never match")
    func nothingKnown() {
        #expect(Baseline.filter(Fixtures.report, baseline: Fixtures.empty) == (Fixtures.report, 0))
        var report = Fixtures.report
        report.incidents[0].fingerprint = ""
        var baseline = Fixtures.empty
        baseline.incidents = [report.incidents[0]]
        #expect(Baseline.filter(report, baseline: baseline).hidden == 0)
    }

    @Test(
        "text, Markdown, SARIF and GitHub say how many known incidents the baseline hid",
        arguments: [
            ReportFormat.text, .markdown, .sarif, .github,
        ])
    func renderersSayIt(format: ReportFormat) {
        let out = ReportRenderer.render(Fixtures.report, format: format, options: RenderOptions(hiddenByBaseline: 2))
        #expect(out.contains("2 known incidents hidden by the baseline"))
        let none = ReportRenderer.render(Fixtures.report, format: format, options: RenderOptions())
        #expect(!none.contains("hidden by the baseline"))
    }

    @Test("text and Markdown put the baseline line under the summary")
    func placement() {
        let text = TextRenderer.render(Fixtures.empty, options: RenderOptions(hiddenByBaseline: 1))
        #expect(text == "No incidents found in 1 file (1 line, 0 events).\n1 known incident hidden by the baseline.\n")
        let markdown = MarkdownRenderer.render(Fixtures.empty, options: RenderOptions(hiddenByBaseline: 1))
        #expect(
            markdown
                == "# faultline report\n\nNo incidents found in 1 file (1 line, 0 events).\n\n1 known incident hidden by the baseline.\n"
        )
    }
}
