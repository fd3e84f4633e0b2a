import Foundation
import Testing

/// Inputs built to break parsers: every one ends in a report (exit 0), with the rest of the
/// input still scanned.
@Suite struct HostileInputTests {
    static let realError =
        "openai.NotFoundError: Error code: 404 - {'error': {'code': 'DeploymentNotFound', 'message': 'The API deployment for this resource does not exist.'}}\n"

    static let cases: [(name: String, bytes: [UInt8])] = [
        (
            "malformed-docker-envelope",
            Array(#"{"log":"half an envelope \u00"#.utf8) + [0x0A] + Array(#"{"log":"ok\n","stream":"stdout""#.utf8) + [
                0x0A
            ]
        ),
        ("truncated-json-record", Array(#"{"level":"error","message":"cut in the mid"#.utf8) + [0x0A]),
        (
            "unbalanced-dict-repr",
            Array("openai.BadRequestError: Error code: 400 - {'error': {'message': \"it's 'broken, 'code': 'x\n".utf8)
        ),
        ("endless-open-braces", [UInt8](repeating: UInt8(ascii: "{"), count: 2_000_000) + [0x0A]),
        (
            "deep-json-arrays",
            Array(("{\"level\":\"error\",\"message\":" + String(repeating: "[", count: 200_000)).utf8) + [0x0A]
        ),
        (
            "docker-partials-without-end",
            (0..<2000).flatMap { _ in
                Array(#"{"log":"0123456789abcdef","stream":"stderr","time":"2025-01-02T03:04:05Z"}"#.utf8) + [0x0A]
            }
        ),
        ("nul-and-invalid-utf8", [0xFF, 0xFE, 0x00, 0xC3, 0x28, 0x0A, 0xE2, 0x82, 0x0A]),
        ("odd-utf16", [0xFF, 0xFE, 0x41, 0x00, 0x0A, 0x00, 0x42]),
    ]

    @Test(arguments: cases.map(\.name))
    func hostileInputStillYieldsAReport(_ name: String) throws {
        let bytes = try #require(Self.cases.first { $0.name == name }?.bytes)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "faultline-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let hostile = dir.appendingPathComponent("\(name).log")
        try Data(bytes).write(to: hostile)
        let good = dir.appendingPathComponent("zz-after.log")
        try Data(Self.realError.utf8).write(to: good)
        let r = try CLIRunner.run(["scan", hostile.path, good.path, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLIRunner.json(r.stdout)
        let incidents = json["incidents"] as? [[String: Any]] ?? []
        // The file after the hostile one is still read and understood.
        #expect(incidents.contains { $0["category"] as? String == "azure.deployment-not-found" })
        #expect((json["stats"] as? [String: Any])?["files"] as? Int == 2)
    }
}
