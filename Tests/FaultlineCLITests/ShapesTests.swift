import Foundation
import Testing

/// One row of `samples/shapes/README.md`: a log in one of the real shapes PRODUCT.md lists.
struct ShapeRow: Sendable, CustomStringConvertible {
    let file: String
    let shape: String
    /// The expected top incident's category, or nil for `none`.
    let category: String?
    /// The expected first evidence line of the top incident.
    let line: Int?

    var description: String { file }

    /// Reads the table of `samples/shapes/README.md` (columns: file, shape, stack, expected, evidence line, notes).
    static func load() -> [ShapeRow] {
        let url = CLIRunner.packageRoot.appendingPathComponent("samples/shapes/README.md")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        var rows: [ShapeRow] = []
        for line in text.split(separator: "\n") where line.hasPrefix("|") {
            // Cells are separated by `|`; an escaped `\|` inside a cell is text.
            var cells: [String] = []
            var cell = ""
            var previous: Character = " "
            for c in line.dropFirst() {
                if c == "|" && previous != "\\" {
                    cells.append(
                        cell.trimmingCharacters(in: .whitespaces).trimmingCharacters(
                            in: CharacterSet(charactersIn: "`")))
                    cell = ""
                } else {
                    cell.append(c)
                }
                previous = c
            }
            guard cells.count >= 5, !cells[0].isEmpty, cells[0] != "file", !cells[0].hasPrefix("---") else { continue }
            let expected = cells[3].trimmingCharacters(in: CharacterSet(charactersIn: "`* "))
            rows.append(
                ShapeRow(
                    file: cells[0], shape: cells[1], category: expected == "none" ? nil : expected,
                    line: Int(cells[4].filter(\.isNumber))))
        }
        return rows
    }
}

/// End to end over every real log shape: the built CLI names the expected cause at the expected
/// line, or nothing for a healthy log.
@Suite struct ShapesTests {
    static let rows = ShapeRow.load()

    @Test func everyShapeOfTheProductBriefHasASample() throws {
        #expect(Self.rows.count >= 25, "samples/shapes/README.md lists \(Self.rows.count) shapes")
        let dir = CLIRunner.packageRoot.appendingPathComponent("samples/shapes").path
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: dir)).subtracting(["README.md"])
        #expect(Set(Self.rows.map(\.file)) == files)
    }

    @Test(arguments: ShapesTests.rows)
    func shapeYieldsItsCause(_ row: ShapeRow) throws {
        let path = CLIRunner.packageRoot.appendingPathComponent("samples/shapes").appendingPathComponent(row.file).path
        let r = try CLIRunner.run(["scan", path, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLIRunner.json(r.stdout)
        let incidents = json["incidents"] as? [[String: Any]] ?? []
        guard let category = row.category else {
            #expect(incidents.isEmpty, "healthy shape \(row.shape) yielded \(incidents.map { $0["rule"] ?? "" })")
            return
        }
        let top = try #require(incidents.first, "\(row.shape): no incident")
        #expect(top["category"] as? String == category, "\(row.shape)")
        if let line = row.line {
            let evidence = (top["evidence"] as? [[String: Any]])?.first
            #expect(evidence?["line"] as? Int == line, "\(row.shape)")
        }
    }
}
