import FaultlineModel
import FaultlineReport
import Foundation
import Testing

/// Compares rendered output with files under `Golden/`.
///
/// Re-bless with `FAULTLINE_BLESS=1 swift test --filter FaultlineReportTests`: the files are
/// rewritten AND the test fails, so a blessing run never passes silently. Review the diff.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden", isDirectory: true)

    static var blessing: Bool { ProcessInfo.processInfo.environment["FAULTLINE_BLESS"] == "1" }

    static func check(_ actual: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name)
        if blessing {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: url)
                Issue.record(
                    "blessed \(name): review the diff, then run again without FAULTLINE_BLESS",
                    sourceLocation: sourceLocation)
            } catch {
                Issue.record("could not write \(url.path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let data = try? Data(contentsOf: url) else {
            Issue.record(
                "missing golden file \(name); create it with FAULTLINE_BLESS=1", sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard expected != actual else { return }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let common = min(expectedLines.count, actualLines.count)
        let index = (0..<common).first { expectedLines[$0] != actualLines[$0] } ?? common
        let want = index < expectedLines.count ? String(expectedLines[index]) : "<end of file>"
        let got = index < actualLines.count ? String(actualLines[index]) : "<end of output>"
        let message = "\(name) differs at line \(index + 1):\n  expected: \(want)\n  actual:   \(got)\n"
        Issue.record(Comment(rawValue: message + "(FAULTLINE_BLESS=1 re-blesses)"), sourceLocation: sourceLocation)
    }
}

@Suite("Golden files")
struct GoldenTests {

    @Test("each format matches its golden file", arguments: ReportFormat.allCases, ["report", "empty"])
    func golden(format: ReportFormat, fixture: String) {
        let report = fixture == "report" ? Fixtures.report : Fixtures.empty
        let options = RenderOptions(
            width: 100, toolVersion: "0.0.0-test", toolInformationURI: "https://example.invalid/faultline")
        let rendered = ReportRenderer.render(report, format: format, options: options)
        let ext =
            ["text": "txt", "markdown": "md", "json": "json", "sarif": "sarif", "github": "github.txt"][
                format.rawValue] ?? format.rawValue
        Golden.check(rendered, against: "\(fixture).\(ext)")
    }

    @Test("coloured text matches its golden file")
    func coloured() {
        Golden.check(
            TextRenderer.render(Fixtures.report, options: RenderOptions(color: true, width: 80)),
            against: "report.color-80.txt")
    }

    @Test("renderers are pure: the same report renders identically twice", arguments: ReportFormat.allCases)
    func pure(format: ReportFormat) {
        let options = RenderOptions()
        #expect(
            ReportRenderer.render(Fixtures.report, format: format, options: options)
                == ReportRenderer.render(Fixtures.report, format: format, options: options))
    }

    @Test("every output ends with exactly one newline", arguments: ReportFormat.allCases)
    func finalNewline(format: ReportFormat) {
        for report in [Fixtures.report, Fixtures.empty] {
            let rendered = ReportRenderer.render(report, format: format, options: RenderOptions())
            #expect(rendered.hasSuffix("\n") && !rendered.hasSuffix("\n\n"))
        }
    }
}
