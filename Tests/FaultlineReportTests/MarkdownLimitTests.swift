import FaultlineModel
import FaultlineReport
import Testing

@Suite("Markdown size limit")
struct MarkdownLimitTests {
    static func render(_ report: Report, maxBytes: Int?) -> String {
        MarkdownRenderer.render(report, options: RenderOptions(maxBytes: maxBytes))
    }

    static var full: String { render(Fixtures.report, maxBytes: nil) }

    @Test("a report exactly at the limit is the full report")
    func exactlyAtLimit() {
        let size = Self.full.utf8.count
        #expect(Self.render(Fixtures.report, maxBytes: size) == Self.full)
        #expect(Self.render(Fixtures.report, maxBytes: size + 1) == Self.full)
    }

    @Test("one byte over drops the last unclassified row first and says so")
    func oneByteOver() {
        let size = Self.full.utf8.count
        let cut = Self.render(Fixtures.report, maxBytes: size - 1)
        #expect(cut.utf8.count <= size - 1)
        #expect(
            cut.hasSuffix(
                "\n\n1 unclassified template not shown; the full report is in the output of `--format json`.\n"))
        #expect(cut.contains("## 3. 401 Unauthorized"))
        #expect(cut.contains("`ValueError: Unknown tool call format"))
        #expect(!cut.contains("Qdrant"))
        #expect(cut.contains("## Diagnostics"))
    }

    @Test("every limit gives at most that many bytes, whole parts only, ending with one newline")
    func everyLimit() {
        let size = Self.full.utf8.count
        let fullLines = Set(Self.full.split(separator: "\n"))
        var previous = -1
        for limit in stride(from: 0, through: size + 2, by: 1) {
            let out = Self.render(Fixtures.report, maxBytes: limit)
            #expect(out.utf8.count <= limit, "limit \(limit)")
            #expect(out.isEmpty || (out.hasSuffix("\n") && !out.hasSuffix("\n\n")))
            // Never cut mid-text: every line is a line of the full report, or the trailer.
            for line in out.split(separator: "\n") where !line.contains(" not shown; the full report is in ") {
                #expect(fullLines.contains(line), "limit \(limit): \(line)")
            }
            // A larger budget never shows less.
            #expect(out.utf8.count >= previous, "limit \(limit)")
            previous = out.utf8.count
        }
    }

    @Test("incidents are dropped from the lowest rank, with their table rows")
    func dropsIncidentsFromTheEnd() {
        let withoutClusters = Self.full.components(separatedBy: "\n## Unclassified errors")[0]
        let size = withoutClusters.utf8.count + 200
        let cut = Self.render(Fixtures.report, maxBytes: size)
        #expect(cut.utf8.count <= size)
        #expect(cut.contains("## 1. ") && cut.contains("| 1 | error |"))
        #expect(!cut.contains("## 3. ") && !cut.contains("| 3 | warning |"))
        #expect(cut.contains("**3 incidents** in 2 files"))
        #expect(cut.contains("more incident") && cut.contains("(and 2 unclassified templates"))
    }

    @Test("a tiny limit where no incident fits gives a summary-only report")
    func summaryOnly() {
        let summaryOnly = """
            # faultline report

            **3 incidents** in 2 files (1,234 lines, 56 events).

            3 incidents (and 2 unclassified templates and 2 diagnostics) not shown; the full report is in the output of `--format json`.

            """
        #expect(Self.render(Fixtures.report, maxBytes: summaryOnly.utf8.count) == summaryOnly)
        let trailerOnly =
            "3 incidents (and 2 unclassified templates and 2 diagnostics) not shown; the full report is in the output of `--format json`.\n"
        #expect(Self.render(Fixtures.report, maxBytes: summaryOnly.utf8.count - 1) == trailerOnly)
        #expect(Self.render(Fixtures.report, maxBytes: trailerOnly.utf8.count - 1) == "")
        #expect(Self.render(Fixtures.report, maxBytes: 0) == "")
    }

    @Test("the location of the full report is configurable and escaped")
    func location() {
        let out = MarkdownRenderer.render(
            Fixtures.report, options: RenderOptions(maxBytes: 400, fullReportLocation: "the artifact *incident.json*"))
        #expect(out.hasSuffix("the full report is in the artifact \\*incident.json\\*.\n"))
    }

    @Test("5,000 incidents fit a PR comment's 64 KiB, highest ranked first")
    func large() {
        let out = Self.render(Generated.report(incidents: 5_000, clusters: 600), maxBytes: 65_536)
        #expect(out.utf8.count <= 65_536)
        #expect(out.contains("## 1. Title 0"))
        #expect(out.contains("more incidents (and 600 unclassified templates) not shown"))
    }
}
