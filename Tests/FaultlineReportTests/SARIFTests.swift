import FaultlineModel
import FaultlineReport
import Foundation
import Testing

/// The published SARIF 2.1.0 schema, loaded once.
enum SARIFSchema {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Schemas/sarif-schema-2.1.0.json")

    static let validator: JSONSchemaValidator? = {
        guard let data = try? Data(contentsOf: url),
            let schema = try? JSONValue.parse(String(decoding: data, as: UTF8.self))
        else { return nil }
        return JSONSchemaValidator(root: schema)
    }()

    /// Parses `sarif` and returns the schema violations (or why it could not be checked).
    static func violations(_ sarif: String) -> [String] {
        guard let validator else { return ["schema not loadable from \(url.path)"] }
        do {
            return validator.validate(try JSONValue.parse(sarif))
        } catch {
            return ["not JSON: \(error)"]
        }
    }
}

/// Builds large reports for limit tests.
enum Generated {
    static func incident(_ index: Int, severity: Severity = .error) -> Incident {
        Incident(
            id: "F\(index + 1)", rule: "rule-\(index % 7)", fingerprint: String(format: "%016x", index),
            category: .rateLimit, severity: severity, confidence: 0.5, title: "Title \(index)",
            cause: "Cause \(index).", fix: ["Step one of \(index).", "Step two."], references: [],
            occurrences: index + 1, firstSeen: nil, lastSeen: nil,
            evidence: [Evidence(source: "logs/app-\(index % 3).log", line: index + 1, text: "line \(index)")])
    }

    static func cluster(_ index: Int) -> UnclassifiedCluster {
        UnclassifiedCluster(
            template: "Error <*> number \(index)", count: 1, firstSeen: nil, lastSeen: nil,
            example: Evidence(source: "u.log", line: index + 1, text: "Error x number \(index)"))
    }

    static func report(incidents: Int, clusters: Int = 0, severities: [Severity] = [.error]) -> Report {
        Report(
            incidents: (0..<incidents).map { incident($0, severity: severities[$0 % severities.count]) },
            unclassified: (0..<clusters).map(cluster), stats: ScanStats(files: 3, lines: 10, events: 10),
            diagnostics: [])
    }
}

@Suite("SARIF")
struct SARIFTests {
    static let options = RenderOptions(toolVersion: "1.2.3", toolInformationURI: "https://example.invalid/faultline")

    static func render(_ report: Report, options: RenderOptions = options) throws -> JSONValue {
        try JSONValue.parse(SARIFRenderer.render(report, options: options))
    }

    @Test("the validator supports every keyword the SARIF schema uses")
    func validatorCoversSchema() throws {
        let validator = try #require(SARIFSchema.validator)
        #expect(validator.unsupportedKeywords().isEmpty)
    }

    @Test(
        "the validator rejects documents that break the schema",
        arguments: [
            ("{\"runs\": []}", "missing required property version"),
            ("{\"version\": \"2.0.0\", \"runs\": []}", "is not one of"),
            ("{\"version\": \"2.1.0\", \"runs\": [], \"extra\": 1}", "not allowed"),
            ("{\"version\": \"2.1.0\", \"runs\": [{}]}", "missing required property tool"),
            (
                "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": 1}}}]}",
                "is not of type string"
            ),
            (
                "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\"}}, \"results\": "
                    + "[{\"message\": {\"text\": \"m\"}, \"level\": \"fatal\"}]}]}",
                "is not one of"
            ),
            (
                "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\"}}, \"results\": "
                    + "[{\"message\": {}}]}]}",
                "matches none of anyOf"
            ),
            (
                "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\"}}, \"results\": "
                    + "[{\"message\": {\"text\": \"m\"}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": "
                    + "{\"uri\": \"a\"}, \"region\": {\"startLine\": 0}}}]}]}]}",
                "< minimum 1"
            ),
            (
                "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\", \"rules\": "
                    + "[{\"id\": \"a\"}, {\"id\": \"a\"}]}}}]}",
                "duplicate item"
            ),
            (
                "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\"}}, \"results\": "
                    + "[{\"message\": {\"text\": \"m\"}, \"ruleIndex\": 1.5}]}]}",
                "is not of type integer"
            ),
            (
                "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\"}}, \"language\": \"english\"}]}",
                "does not match"
            ),
        ])
    func validatorRejects(document: String, expected: String) {
        let violations = SARIFSchema.violations(document)
        #expect(violations.contains { $0.contains(expected) }, "\(violations)")
    }

    @Test(
        "every rendered document validates against the SARIF 2.1.0 schema",
        arguments: ["fixture", "empty", "hostile", "secrets", "generated", "baseline", "no-tool-info"])
    func validates(name: String) {
        var options = Self.options
        let report: Report
        switch name {
        case "fixture": report = Fixtures.report
        case "empty": report = Fixtures.empty
        case "hostile": report = SafetyTests.hostileReport
        case "secrets": report = SafetyTests.redactedReport
        case "baseline":
            report = Fixtures.report
            options.hiddenByBaseline = 2
        case "no-tool-info":
            report = Fixtures.report
            options = RenderOptions()
        default: report = Generated.report(incidents: 5_001, clusters: 2, severities: Severity.allCases)
        }
        let violations = SARIFSchema.violations(SARIFRenderer.render(report, options: options))
        #expect(violations.isEmpty, "\(violations.prefix(10))")
    }

    @Test("the tool, one rule per distinct rule, levels from severity, the unclassified pseudo-rule")
    func rules() throws {
        var report = Fixtures.report
        var sameRule = report.incidents[0]
        sameRule.id = "F4"
        sameRule.fingerprint = "1111111111111111"
        sameRule.severity = .critical
        report.incidents.append(sameRule)
        report.incidents[2].severity = .info
        let log = try Self.render(report)
        #expect(log["version"] == .string("2.1.0"))
        let run = try #require(log["runs"]?[0])
        let driver = try #require(run["tool"]?["driver"])
        #expect(driver["name"] == .string("faultline"))
        #expect(driver["version"] == .string("1.2.3"))
        #expect(driver["informationUri"] == .string("https://example.invalid/faultline"))
        let rules = try #require(driver["rules"]?.arrayValue)
        #expect(
            rules.compactMap { $0["id"]?.stringValue } == [
                "litellm-unexpanded-env-var-key", "azure-streaming-unsupported", "azure-401-access-token-undetermined",
                "faultline.unclassified",
            ])
        #expect(rules[0]["name"] == .string("LitellmUnexpandedEnvVarKey"))
        #expect(rules[0]["shortDescription"]?["text"] == .string(report.incidents[0].title))
        #expect(rules[0]["fullDescription"]?["text"] == .string(report.incidents[0].cause))
        #expect(rules[0]["properties"]?["category"] == .string("auth.unexpanded-env-var"))
        #expect(rules[0]["defaultConfiguration"]?["level"] == .string("error"))
        #expect(rules[2]["defaultConfiguration"]?["level"] == .string("note"))
        #expect(rules[3]["defaultConfiguration"]?["level"] == .string("note"))
        let help = try #require(rules[0]["help"]?["text"]?.stringValue)
        #expect(help.hasPrefix("Fix:\n1. Generate the config"))
        #expect(help.contains("\n2. Or let the application read the key from the environment, for example:\n"))
        #expect(help.contains("\n       export OPENAI__KEY=\"$OPENAI_API_KEY\"\n"))
        #expect(
            help.hasSuffix(
                "References:\n- https://github.com/The-PR-Agent/pr-agent/issues/1169\n- https://github.com/a8m/envsubst"
            ))
        let markdown = try #require(rules[0]["help"]?["markdown"]?.stringValue)
        #expect(markdown.contains("1. Generate the config in a pipeline step with `envsubst` before the tool runs."))
        #expect(markdown.contains("   ```text\n   export OPENAI__KEY"))
        #expect(markdown.contains("- <https://github.com/a8m/envsubst>"))

        let results = try #require(run["results"]?.arrayValue)
        #expect(results.count == 6)
        #expect(results.map { $0["ruleIndex"] } == [0, 1, 2, 0, 3, 3].map { .integer($0) })
        #expect(
            results.compactMap { $0["level"]?.stringValue } == ["error", "error", "note", "error", "note", "note"])
    }

    @Test("an incident result: message, locations, related locations, fingerprint, properties")
    func incidentResult() throws {
        var report = Fixtures.report
        report.incidents[1].evidence[1].source = "ci artifacts.zip!logs/jupyter.log"
        let result = try #require(try Self.render(report)["runs"]?[0]?["results"]?[1])
        let incident = report.incidents[1]
        #expect(result["ruleId"] == .string("azure-streaming-unsupported"))
        #expect(result["message"]?["text"] == .string(incident.title + "\n\n" + incident.cause))
        let location = try #require(result["locations"]?[0]?["physicalLocation"])
        #expect(location["artifactLocation"]?["uri"] == .string("jupyter.log"))
        #expect(location["region"]?["startLine"] == .integer(7))
        #expect(location["region"]?["snippet"]?["text"] == .string(incident.evidence[0].text))
        let related = try #require(result["relatedLocations"]?.arrayValue)
        #expect(related.count == 1)
        #expect(related[0]["id"] == .integer(1))
        #expect(
            related[0]["physicalLocation"]?["artifactLocation"]?["uri"]
                == .string("ci%20artifacts.zip!logs/jupyter.log"))
        #expect(related[0]["physicalLocation"]?["region"]?["startLine"] == .integer(9))
        #expect(result["partialFingerprints"]?["faultline/v1"] == .string("9f1c2d3e4a5b6c7d"))
        #expect(result["occurrenceCount"] == .integer(12))
        let properties = try #require(result["properties"])
        #expect(properties["category"] == .string("streaming.unsupported"))
        #expect(properties["confidence"] == .number(0.75))
        #expect(properties["occurrences"] == .integer(12))
        #expect(properties["values"]?["deployment"] == .string("gpt-4o-mini"))
        let third = try #require(try Self.render(report)["runs"]?[0]?["results"]?[2])
        #expect(third["properties"]?["candidates"]?.arrayValue?.count == 3)
        #expect(third["properties"]?["signals"]?[0]?["effect"] == .string("-"))
        #expect(third["locations"]?[0]?["physicalLocation"]?["artifactLocation"]?["uri"] == .string("%3Cstdin%3E"))
    }

    @Test("URIs: archive members kept with '!', unsafe bytes percent-encoded")
    func uris() throws {
        var report = Fixtures.empty
        let sources = [
            "a.zip!x/y.log", "logs/my app.log", "C:\\logs\\app.log", "/var/log/app.log", "100%.log", "é.log",
        ]
        report.incidents = sources.enumerated().map { index, source in
            var incident = Generated.incident(index)
            incident.evidence = [Evidence(source: source, line: 1, text: "x")]
            return incident
        }
        let results = try #require(try Self.render(report)["runs"]?[0]?["results"]?.arrayValue)
        let uris = results.compactMap { $0["locations"]?[0]?["physicalLocation"]?["artifactLocation"]?["uri"] }
        #expect(
            uris
                == [
                    "a.zip!x/y.log", "logs/my%20app.log", "C%3A%5Clogs%5Capp.log", "/var/log/app.log", "100%25.log",
                    "%C3%A9.log",
                ].map { .string($0) })
    }

    @Test("diagnostics become tool execution notifications; an error marks the execution unsuccessful")
    func diagnostics() throws {
        var report = Fixtures.report
        let invocation = try #require(try Self.render(report)["runs"]?[0]?["invocations"]?[0])
        #expect(invocation["executionSuccessful"] == .bool(true))
        let notifications = try #require(invocation["toolExecutionNotifications"]?.arrayValue)
        #expect(notifications.count == 2)
        #expect(notifications[0]["level"] == .string("warning"))
        #expect(notifications[0]["message"]?["text"] == .string("line truncated at 1 MiB"))
        let location = try #require(notifications[0]["locations"]?[0]?["physicalLocation"])
        #expect(location["artifactLocation"]?["uri"] == .string("artifacts/big.log"))
        #expect(location["region"]?["startLine"] == .integer(88))
        #expect(notifications[1]["level"] == .string("note"))
        #expect(notifications[1]["locations"]?[0]?["physicalLocation"]?["region"] == nil)

        report.diagnostics.append(
            Diagnostic(
                severity: .error, source: "rules/x.yaml", line: 3, column: 7, message: "unknown key", hint: "did you"))
        let failed = try #require(try Self.render(report)["runs"]?[0]?["invocations"]?[0])
        #expect(failed["executionSuccessful"] == .bool(false))
        let last = try #require(failed["toolExecutionNotifications"]?[2])
        #expect(last["message"]?["text"] == .string("unknown key (did you)"))
        #expect(last["locations"]?[0]?["physicalLocation"]?["region"]?["startColumn"] == .integer(7))
    }

    @Test("unclassified clusters are note results of the pseudo-rule with a template fingerprint")
    func unclassified() throws {
        let results = try #require(try Self.render(Fixtures.report)["runs"]?[0]?["results"]?.arrayValue)
        let cluster = results[3]
        #expect(cluster["ruleId"] == .string("faultline.unclassified"))
        #expect(cluster["level"] == .string("note"))
        #expect(
            cluster["message"]?["text"]
                == .string("Unclassified error (3 times): ValueError: Unknown tool call format: <*> (call_id=<*>)"))
        #expect(cluster["occurrenceCount"] == .integer(3))
        #expect(cluster["locations"]?[0]?["physicalLocation"]?["region"]?["startLine"] == .integer(41))
        let fingerprint = try #require(cluster["partialFingerprints"]?["faultline/unclassified/v1"]?.stringValue)
        #expect(fingerprint.count == 16 && fingerprint.allSatisfy(\.isHexDigit))
        #expect(results[4]["partialFingerprints"]?["faultline/unclassified/v1"] != .string(fingerprint))
    }

    @Test(
        "at most 5,000 results, incidents first, and a notification counting the rest",
        arguments: [
            (5_000, 0, nil), (4_999, 1, nil), (5_001, 0, "1 incident left out"),
            (4_999, 3, "2 unclassified templates left out"),
            (5_002, 2, "2 incidents and 2 unclassified templates left out"),
        ] as [(Int, Int, String?)])
    func resultLimit(incidents: Int, clusters: Int, expected: String?) throws {
        let report = Generated.report(incidents: incidents, clusters: clusters)
        let run = try #require(try Self.render(report)["runs"]?[0])
        let results = try #require(run["results"]?.arrayValue)
        #expect(results.count == min(5_000, incidents + clusters))
        #expect(results.first?["properties"]?["id"] == .string("F1"))
        let shownIncidents = min(5_000, incidents)
        #expect(results[shownIncidents - 1]["properties"]?["id"] == .string("F\(shownIncidents)"))
        let notifications = run["invocations"]?[0]?["toolExecutionNotifications"]?.arrayValue ?? []
        if let expected {
            #expect(notifications.count == 1)
            let text = try #require(notifications.first?["message"]?["text"]?.stringValue)
            #expect(text.hasPrefix(expected + ": at most 5,000 results are written, highest ranked first"))
            #expect(text.hasSuffix("the full report is in the output of `--format json`."))
            #expect(notifications.first?["level"] == .string("warning"))
        } else {
            #expect(notifications.isEmpty)
        }
    }

    @Test("a baseline count becomes a note notification and a run property")
    func baseline() throws {
        var options = Self.options
        options.hiddenByBaseline = 1
        let run = try #require(try Self.render(Fixtures.report, options: options)["runs"]?[0])
        let notifications = try #require(run["invocations"]?[0]?["toolExecutionNotifications"]?.arrayValue)
        #expect(notifications.last?["message"]?["text"] == .string("1 known incident hidden by the baseline"))
        #expect(run["properties"]?["hiddenByBaseline"] == .integer(1))
    }

    @Test("without tool information, version and informationUri are left out")
    func noToolInformation() throws {
        let driver = try #require(
            try Self.render(Fixtures.empty, options: RenderOptions())["runs"]?[0]?["tool"]?["driver"])
        #expect(driver["version"] == nil && driver["informationUri"] == nil)
        #expect(driver["rules"] == .array([]))
    }
}
