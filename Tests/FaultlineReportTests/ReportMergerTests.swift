import FaultlineModel
import FaultlineReport
import Foundation
import Testing

@Suite("Merging shard reports")
struct ReportMergerTests {
    @Test("merging one report gives it back unchanged; merging none gives an empty report")
    func identity() {
        #expect(ReportMerger.merge([Fixtures.report]) == Fixtures.report)
        #expect(ReportMerger.merge([Fixtures.empty]) == Fixtures.empty)
        let none = ReportMerger.merge([])
        #expect(none.incidents.isEmpty && none.unclassified.isEmpty && none.stats == ScanStats())
    }

    static func shard(
        occurrences: Int, first: String?, last: String?, confidence: Double, evidence: [(String, Int)],
        values: [String: String] = [:], signals: [String] = [], explains: [(String, Int)] = []
    ) -> Incident {
        var incident = Fixtures.report.incidents[1]
        incident.occurrences = occurrences
        incident.firstSeen = first
        incident.lastSeen = last
        incident.confidence = confidence
        incident.evidence = evidence.map { Evidence(source: $0.0, line: $0.1, text: "line \($0.1)") }
        incident.values = values
        incident.signals = signals.map { Signal(effect: "+", text: $0) }
        incident.explains = explains.map {
            Symptom(rule: $0.0, category: .server5xx, title: "symptom \($0.0)", occurrences: $0.1)
        }
        return incident
    }

    @Test("the same fingerprint in two shards is combined exactly")
    func combinesIncidents() throws {
        let a = Self.shard(
            occurrences: 3, first: "2024-03-10 16:17:26.978", last: "2024-03-10 16:20:00,000", confidence: 0.6,
            evidence: [("b.log", 9), ("a.log", 7), ("c.log", 1)], values: ["deployment": "gpt-4o-mini", "x": "2"],
            signals: ["s1", "s2"], explains: [("r1", 2), ("r2", 1)])
        let b = Self.shard(
            occurrences: 4, first: "2024-03-10T15:00:00Z", last: "2024-03-10T18:20:00+02:00", confidence: 0.8,
            evidence: [("a.log", 7), ("a.log", 3), ("d.log", 2), ("b.log", 9)], values: ["x": "1", "y": "3"],
            signals: ["s2", "s0"], explains: [("r1", 5)])
        let merged = ReportMerger.merge([
            Report(incidents: [a], stats: ScanStats(files: 1, lines: 10, events: 2, bytes: 100), diagnostics: []),
            Report(incidents: [b], stats: ScanStats(files: 2, lines: 20, events: 3, bytes: 50), diagnostics: []),
        ])
        let incident = try #require(merged.incidents.first)
        #expect(merged.incidents.count == 1)
        #expect(incident.id == "F1")
        #expect(incident.occurrences == 7)
        #expect(incident.firstSeen == "2024-03-10T15:00:00Z")
        // 18:20+02:00 and 16:20:00,000 are the same instant: the tie goes to the larger string.
        #expect(incident.lastSeen == "2024-03-10T18:20:00+02:00")
        #expect(incident.confidence == 0.8)
        #expect(
            incident.evidence.map { "\($0.source):\($0.line)" } == [
                "a.log:3", "a.log:7", "b.log:9", "c.log:1", "d.log:2",
            ])
        #expect(incident.values == ["deployment": "gpt-4o-mini", "x": "1", "y": "3"])
        #expect(incident.signals.map(\.text) == ["s0", "s1", "s2"])
        #expect(incident.explains.map(\.rule) == ["r1", "r2"])
        #expect(incident.explains.map(\.occurrences) == [7, 1])
        #expect(merged.stats == ScanStats(files: 3, lines: 30, events: 5, bytes: 150))
    }

    @Test("evidence is capped at 5 after sorting by source and line")
    func evidenceCap() throws {
        let a = Self.shard(
            occurrences: 1, first: nil, last: nil, confidence: 0.5, evidence: (1...5).map { ("z.log", $0) })
        let b = Self.shard(
            occurrences: 1, first: nil, last: nil, confidence: 0.5, evidence: (1...5).map { ("a.log", $0 * 10) })
        let merged = ReportMerger.merge([
            Report(incidents: [a], stats: ScanStats(), diagnostics: []),
            Report(incidents: [b], stats: ScanStats(), diagnostics: []),
        ])
        let evidence = try #require(merged.incidents.first?.evidence)
        #expect(evidence.map(\.source) == Array(repeating: "a.log", count: 5))
        #expect(evidence.map(\.line) == [10, 20, 30, 40, 50])
    }

    @Test("clusters merge by template; diagnostics are concatenated in order; incidents are re-ranked")
    func clustersDiagnosticsRank() {
        var left = Fixtures.report
        left.diagnostics = [Diagnostic(severity: .note, message: "left")]
        var right = Fixtures.report
        right.diagnostics = [Diagnostic(severity: .warning, message: "right")]
        right.unclassified[0].count = 10
        right.unclassified[0].example = Evidence(source: "artifacts/agent.log", line: 2, text: "earlier example")
        right.unclassified[0].firstSeen = "2025-06-01 09:00:00"
        right.incidents[2].confidence = 0.99
        let merged = ReportMerger.merge([left, right])
        #expect(merged.diagnostics.map(\.message) == ["left", "right"])
        #expect(merged.unclassified.map(\.count) == [13, 2])
        #expect(merged.unclassified[0].example.line == 2)
        #expect(merged.unclassified[0].firstSeen == "2025-06-01 09:00:00")
        #expect(merged.unclassified[0].lastSeen == "2025-06-01 10:04:09")
        #expect(merged.incidents.map(\.fingerprint) == ["5e6f7a8b9c0d1e2f", "0337cf56338fada0", "9f1c2d3e4a5b6c7d"])
        #expect(merged.incidents.map(\.id) == ["F1", "F2", "F3"])
        #expect(merged.incidents.map(\.occurrences) == [2, 8, 24])
    }

    @Test("shards read back from --format json merge like the reports themselves")
    func fromJSON() throws {
        let shards = try [Fixtures.report, Fixtures.empty].map { report in
            try JSONDecoder().decode(
                Report.self, from: Data(JSONRenderer.render(report, options: RenderOptions()).utf8))
        }
        #expect(ReportMerger.merge(shards) == ReportMerger.merge([Fixtures.report, Fixtures.empty]))
    }

    @Test(
        "timestamps compare as instants across common formats",
        arguments: [
            ("2024-08-22 10:15:03.120", "2024-08-22 10:15:03.121"),
            ("2024-08-22 10:15:03,925", "2024-08-22T10:15:04Z"),
            ("2024-08-22T12:00:00+02:00", "2024-08-22 10:30:00"),
            ("2024-08-22T12:00:00+0200", "2024-08-22 10:30:00"),
            ("W 2024-03-10 16:17:26.978 ServerApp]", "2024-03-10 16:17:27"),
            ("2023-12-31 23:59:59", "2024-01-01 00:00:00"),
            ("2024-02-29 10:00", "2024-03-01 09:00"),
            ("2024-01-01 00:00:00", "09:12:02,925"),  // parsed before unparsed
            ("09:12:02,925", "10:00:01"),  // unparsed: string order
        ])
    func timestamps(earlier: String, later: String) {
        #expect(TimestampOrder.precedes(earlier, later))
        #expect(!TimestampOrder.precedes(later, earlier))
    }

    // MARK: Properties

    /// A small deterministic generator (SplitMix64).
    struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    static func randomShard(_ random: inout Random) -> Report {
        let stamps = [
            nil, "2024-05-01 10:00:00", "2024-05-01T09:59:59.5Z", "2024-05-01 12:00:00+03:00", "10:00:00", "garbage",
        ]
        let incidents = (0..<random.next(5)).map { _ -> Incident in
            let key = random.next(4)
            var incident = Fixtures.report.incidents[key % 3]
            incident.fingerprint = "fp\(key)"
            incident.occurrences = 1 + random.next(5)
            incident.confidence = Double(random.next(5)) / 4
            incident.severity = Severity.allCases[random.next(4)]
            incident.firstSeen = stamps[random.next(stamps.count)]
            incident.lastSeen = stamps[random.next(stamps.count)]
            incident.evidence = (0..<random.next(4)).map { _ in
                Evidence(source: "s\(random.next(3)).log", line: 1 + random.next(9), text: "t")
            }
            incident.values = ["k\(random.next(3))": "v\(random.next(3))"]
            incident.signals = (0..<random.next(3)).map { _ in Signal(effect: "+", text: "sig\(random.next(3))") }
            incident.candidates = (0..<random.next(2)).map { _ in
                Candidate(category: .networkTLS, why: "w\(random.next(2))")
            }
            incident.explains = (0..<random.next(3)).map { _ in
                Symptom(rule: "r\(random.next(3))", category: .rateLimit, title: "t", occurrences: 1 + random.next(3))
            }
            return incident
        }
        let clusters = (0..<random.next(3)).map { _ in
            UnclassifiedCluster(
                template: "T\(random.next(3))", count: 1 + random.next(4), firstSeen: stamps[random.next(stamps.count)],
                lastSeen: stamps[random.next(stamps.count)],
                example: Evidence(source: "u\(random.next(2)).log", line: 1 + random.next(5), text: "e"))
        }
        return Report(
            incidents: incidents, unclassified: clusters,
            stats: ScanStats(
                files: random.next(3), lines: random.next(100), events: random.next(10), bytes: random.next(999)),
            diagnostics: [])
    }

    @Test("merging is associative and independent of shard order (200 random shard sets)")
    func associativeAndCommutative() {
        var random = Random(state: 42)
        for _ in 0..<200 {
            let a = Self.randomShard(&random)
            let b = Self.randomShard(&random)
            let c = Self.randomShard(&random)
            let flat = ReportMerger.merge([a, b, c])
            #expect(ReportMerger.merge([ReportMerger.merge([a, b]), c]) == flat)
            #expect(ReportMerger.merge([a, ReportMerger.merge([b, c])]) == flat)
            #expect(ReportMerger.merge([ReportMerger.merge([a, c]), b]) == flat)
            #expect(ReportMerger.merge([c, a, b]) == flat)
            #expect(ReportMerger.merge([b, c, a]) == flat)
            #expect(ReportMerger.merge([flat, Fixtures.empty]) == ReportMerger.merge([a, b, c, Fixtures.empty]))
            let counts = [a, b, c].flatMap(\.incidents).reduce(0) { $0 + $1.occurrences }
            #expect(flat.incidents.reduce(0) { $0 + $1.occurrences } == counts)
        }
    }
}
