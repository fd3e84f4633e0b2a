import FaultlineModel
import FaultlineRules
import Testing

@testable import FaultlineEngine

private let validRule = """
    schema: 1
    id: test-deployment-not-found
    title: The deployment name does not exist on the resource
    category: azure.deployment-not-found
    severity: error
    match:
      any:
        - '"code":\\s*"DeploymentNotFound"'
    cause: The deployment {deployment} does not exist.
    fix:
      - Check the deployment name.
    references:
      - https://learn.microsoft.com/azure/ai-services/openai/
    examples:
      match:
        - log: |
            {"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}
          line: 1
      no_match:
        - log: |
            INFO deployment gpt-4o ready
    """

@Suite struct RuleLoaderTests {
    @Test func loadsAValidRule() throws {
        let (rule, diags) = RuleLoader.load(yaml: validRule, file: "r.yaml", origin: .user)
        #expect(diags.isEmpty)
        let r = try #require(rule)
        #expect(r.id == "test-deployment-not-found")
        #expect(r.category == .azureDeploymentNotFound)
        #expect(r.severity == .error)
        #expect(r.confidence == 0.7)
        #expect(r.match.mode == .any)
        #expect(r.match.patterns.count == 1)
        #expect(r.matchExamples.first?.line == 1)
        #expect(r.noMatchExamples.count == 1)
    }

    @Test func unknownKeySuggestsTheNearestOne() {
        let yaml = validRule.replacingOccurrences(of: "severity: error", with: "severty: error")
        let (rule, diags) = RuleLoader.load(yaml: yaml, file: "rules/x.yaml", origin: .user)
        #expect(rule == nil)
        let d = diags.first { $0.message.contains("severty") }
        #expect(d?.message == "unknown key 'severty' in the rule; did you mean 'severity'?")
        #expect(d?.source == "rules/x.yaml")
        #expect(d?.line == 5)
        #expect(d?.column == 1)
        // The missing required key is reported too.
        #expect(diags.contains { $0.message == "missing required key 'severity' in the rule" })
    }

    @Test func unknownCategoryIsAnErrorWithASuggestion() {
        let yaml = validRule.replacingOccurrences(
            of: "category: azure.deployment-not-found", with: "category: azure.deployment-notfound")
        let (rule, diags) = RuleLoader.load(yaml: yaml, file: "x.yaml", origin: .user)
        #expect(rule == nil)
        #expect(
            diags.contains {
                $0.message == "unknown category 'azure.deployment-notfound'; did you mean 'azure.deployment-not-found'?"
                    && $0.line == 4 && $0.column == 11
            })
    }

    @Test func invalidPatternReportsPCRE2MessageAtFileLineColumn() throws {
        let yaml = validRule.replacingOccurrences(
            of: #"- '"code":\s*"DeploymentNotFound"'"#, with: #"- 'DeploymentNotFound(abc'"#)
        #expect(yaml.contains("DeploymentNotFound(abc"))
        let (rule, diags) = RuleLoader.load(yaml: yaml, file: "x.yaml", origin: .user)
        #expect(rule == nil)
        let d = try #require(diags.first { $0.message.hasPrefix("invalid pattern") })
        #expect(d.message.contains("missing closing parenthesis"))
        #expect(d.line == 8)
        // `    - '` puts the pattern's first character at column 8; PCRE2 reports offset 22, its end.
        #expect(d.column == 8 + 22)
    }

    @Test func invalidYAMLNamesTheLine() {
        let (rule, diags) = RuleLoader.load(yaml: "schema: 1\nid: [unclosed\n", file: "bad.yaml", origin: .user)
        #expect(rule == nil)
        #expect(diags.count == 1)
        #expect(diags.first?.message.hasPrefix("invalid YAML") == true)
        #expect(diags.first?.line != nil)
    }

    @Test func missingExamplesAreErrors() {
        let yaml = validRule.components(separatedBy: "examples:")[0] + "examples:\n  match: []\n  no_match: []\n"
        let (rule, diags) = RuleLoader.load(yaml: yaml, file: "x.yaml", origin: .user)
        #expect(rule == nil)
        #expect(diags.contains { $0.message == "a rule needs at least one 'match' example" })
        #expect(diags.contains { $0.message == "a rule needs at least one 'no_match' example" })
    }

    @Test func exampleLineMustBeInsideTheLog() {
        let yaml = validRule.replacingOccurrences(of: "      line: 1", with: "      line: 3")
        let (rule, diags) = RuleLoader.load(yaml: yaml, file: "x.yaml", origin: .user)
        #expect(rule == nil)
        #expect(diags.contains { $0.message.contains("'line' must be a line number from 1 to") })
    }

    @Test func wrongSchemaVersionIsRejected() {
        let yaml = validRule.replacingOccurrences(of: "schema: 1", with: "schema: 2")
        let (rule, diags) = RuleLoader.load(yaml: yaml, file: "x.yaml", origin: .user)
        #expect(rule == nil)
        #expect(diags.contains { $0.message.contains("unsupported schema '2'") && $0.line == 1 })
    }

    @Test func duplicateIdsAndUnknownCorrelationTargetsAreReported() throws {
        let (a, _) = RuleLoader.load(yaml: validRule, file: "a.yaml", origin: .shipped)
        let (b, _) = RuleLoader.load(yaml: validRule, file: "b.yaml", origin: .user)
        let corr = validRule.replacingOccurrences(of: "id: test-deployment-not-found", with: "id: test-after")
            .replacingOccurrences(
                of: "cause:", with: "correlate:\n  after:\n    rule: test-deployment-not-fund\ncause:")
        let (c, cd) = RuleLoader.load(yaml: corr, file: "c.yaml", origin: .user)
        #expect(cd.isEmpty)
        let (rules, diags) = RuleLoader.validate([try #require(a), try #require(b), try #require(c)])
        #expect(rules.count == 2)
        #expect(diags.contains { $0.message.contains("duplicate rule id 'test-deployment-not-found'") })
        #expect(
            diags.contains {
                $0.message.contains("correlate.after names rule 'test-deployment-not-fund'")
                    && $0.hint == "did you mean 'test-deployment-not-found'?"
            })
    }

    @Test func aBrokenFileDoesNotStopTheOthers() {
        let files = [
            (path: "rules/a.yaml", contents: "schema: 1\nid: broken\n"),
            (path: "rules/b.yaml", contents: validRule),
        ]
        let (rules, diags) = RuleLoader.load(files: files, origin: .user)
        #expect(rules.map(\.id) == ["test-deployment-not-found"])
        #expect(diags.allSatisfy { $0.source == "rules/a.yaml" })
        #expect(!diags.isEmpty)
    }
}

@Suite struct WhereClauseTests {
    func load(_ extra: String, match: String? = "  any: ['Error code: 401']") -> (Rule?, [Diagnostic]) {
        var yaml = """
            schema: 1
            id: w
            title: t
            category: auth.invalid-key
            severity: error

            """
        if let match { yaml += "match:\n\(match)\n" }
        yaml += extra
        yaml += """
            cause: c
            fix: [f]
            references: ['https://example.com']
            examples: {match: [{log: 'Error code: 401', line: 1}], no_match: [{log: 'ok'}]}

            """
        return RuleLoader.load(yaml: yaml, file: "w.yaml", origin: .user)
    }

    @Test func whereBuildsAFieldFilter() throws {
        let (rule, diags) = load("where:\n  status: 401\n  host: ['*.openai.azure.com', '*.azure-api.net']\n")
        #expect(diags.isEmpty)
        let filter = try #require(rule?.fieldFilter)
        #expect(filter.matches(["status": "401", "host": "contoso.openai.azure.com"]))
        #expect(!filter.matches(["status": "429", "host": "contoso.openai.azure.com"]))
        #expect(!filter.matches(["status": "401", "host": "api.openai.com"]))
        #expect(!filter.matches(["host": "contoso.openai.azure.com"]))
    }

    @Test func lintNamesAWhereFieldOrGroupByThatIsNoValueName() throws {
        let (typo, diags) = load("where:\n  stauts: 401\ngroup_by: [status, deploymnet]\n")
        #expect(diags.isEmpty)
        let warnings = RuleLinter.lint([try #require(typo)]).map(\.formatted)
        #expect(warnings.contains { $0.contains("where names 'stauts'") && $0.contains("did you mean 'status'?") })
        #expect(warnings.contains { $0.contains("group_by names 'deploymnet'") })
        // Standard names, versions and the rule's own captures are known.
        let (fine, _) = load(
            "where:\n  status: 401\n  version.openai: '1.*'\ngroup_by: [status, who]\n",
            match: "  any: ['Error code: (?<who>401)']")
        #expect(RuleLinter.unknownValueNames(try #require(fine)).isEmpty)
    }

    @Test func aWhereOnlyRuleGetsALiteralPatternForThePrefilter() throws {
        let (rule, diags) = load("where:\n  exception: '*AuthenticationError'\n", match: nil)
        #expect(diags.isEmpty)
        let r = try #require(rule)
        #expect(r.match.patterns.count == 1)
        #expect(r.match.patterns.first?.literals != nil)
    }

    @Test func aWhereWithoutLiteralsAndNoMatchIsAnError() {
        let (rule, diags) = load("where:\n  status: 4xx\n", match: nil)
        #expect(rule == nil)
        #expect(diags.contains { $0.message.contains("needs a field whose value has a literal") })
    }

    @Test func noMatchAndNoWhereIsAnError() {
        let (rule, diags) = load("", match: nil)
        #expect(rule == nil)
        #expect(diags.contains { $0.message.contains("missing required key 'match'") })
    }
}
