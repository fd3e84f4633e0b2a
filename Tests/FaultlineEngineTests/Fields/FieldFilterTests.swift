import FaultlineRegex
import FaultlineRules
import Testing

@testable import FaultlineEngine

/// A filter from `spec`, failing the test when it is invalid.
private func filter(_ spec: [(field: String, expected: FieldExpectation)]) -> FieldFilter? {
    let built = FieldFilter(spec)
    #expect(built != nil, "\(FieldFilter.problem(in: spec) ?? "")")
    return built
}

private func text(_ literals: [[UInt8]]?) -> [String]? {
    literals?.map { String(decoding: $0, as: UTF8.self) }
}

@Suite("Fields: FieldFilter matching")
struct FieldsFilterMatchTests {
    @Test("Globs: case-insensitive, * and ?, anchored at both ends")
    func globs() {
        let host = filter([("host", .text("*.openai.azure.com"))])
        #expect(host?.matches(["host": "contoso.openai.azure.com"]) == true)
        #expect(host?.matches(["host": "Contoso.OpenAI.Azure.com"]) == true)
        #expect(host?.matches(["host": "openai.azure.com.evil.example"]) == false)
        #expect(host?.matches(["host": "api.openai.com"]) == false)
        let exception = filter([("exception", .text("*AuthenticationError"))])
        #expect(exception?.matches(["exception": "litellm.exceptions.AuthenticationError"]) == true)
        #expect(exception?.matches(["exception": "openai.authenticationerror"]) == true)
        #expect(exception?.matches(["exception": "AuthenticationError -> Other"]) == false)
        let question = filter([("api_version", .text("2024-0?-01*"))])
        #expect(question?.matches(["api_version": "2024-06-01"]) == true)
        #expect(question?.matches(["api_version": "2024-10-01-preview"]) == false)
        #expect(filter([("x", .text("a?c"))])?.matches(["x": "aéc"]) == true)
        #expect(filter([("x", .text("*"))])?.matches(["x": ""]) == true)
        #expect(filter([("x", .text("*a*b*c*"))])?.matches(["x": "xxaxxbxxcxx"]) == true)
        #expect(filter([("x", .text("*a*b*c*"))])?.matches(["x": "cba"]) == false)
        #expect(filter([("x", .text("exact"))])?.matches(["x": "exactly"]) == false)
    }

    @Test("Numbers, status classes, lists")
    func numbers() {
        let status = filter([("status", .number(401))])
        #expect(status?.matches(["status": "401"]) == true)
        #expect(status?.matches(["status": "403"]) == false)
        #expect(status?.matches(["status": "401a"]) == false)
        let list = filter([("status", .any([.number(401), .number(403)]))])
        #expect(list?.matches(["status": "403"]) == true)
        #expect(list?.matches(["status": "404"]) == false)
        let klass = filter([("status", .statusClass(4))])
        #expect(klass?.matches(["status": "429"]) == true)
        #expect(klass?.matches(["status": "500"]) == false)
        #expect(klass?.matches(["status": "4"]) == false)
        #expect(klass?.matches(["status": "abc"]) == false)
        let mixed = filter([("error.code", .any([.text("DeploymentNotFound"), .text("404")]))])
        #expect(mixed?.matches(["error.code": "deploymentnotfound"]) == true)
        #expect(mixed?.matches(["error.code": "404"]) == true)
        #expect(FieldExpectation(scalar: "4xx") == .statusClass(4))
        #expect(FieldExpectation(scalar: "5XX") == .statusClass(5))
        #expect(FieldExpectation(scalar: "6xx") == .text("6xx"))
        #expect(FieldExpectation(scalar: "401") == .text("401"))
        #expect(filter([("status", .text("401"))])?.matches(["status": "401"]) == true)
    }

    @Test("All fields must match; a missing field never matches")
    func andAndMissing() {
        let both = filter([("status", .number(401)), ("host", .text("*.openai.azure.com"))])
        #expect(both?.matches(["status": "401", "host": "x.openai.azure.com"]) == true)
        #expect(both?.matches(["status": "401", "host": "api.openai.com"]) == false)
        #expect(both?.matches(["status": "401"]) == false)
        #expect(filter([("x", .text("*"))])?.matches([:]) == false)
    }

    @Test("Invalid specs are rejected with a message")
    func invalid() {
        let cases: [[(field: String, expected: FieldExpectation)]] = [
            [],
            [("", .text("x"))],
            [("a b", .text("x"))],
            [("status", .number(401)), ("status", .number(403))],
            [("host", .text(""))],
            [("status", .number(-1))],
            [("status", .any([]))],
            [("status", .any([.number(401), .statusClass(9)]))],
            [("status", .statusClass(0))],
        ]
        for spec in cases {
            #expect(FieldFilter(spec) == nil)
            #expect(FieldFilter.problem(in: spec) != nil)
        }
        #expect(FieldFilter.problem(in: [("status", .statusClass(9))])?.contains("status") == true)
    }
}

@Suite("Fields: FieldFilter prefilter literals")
struct FieldsFilterLiteralTests {
    @Test("Literals from numbers, globs and lists")
    func literals() {
        // A status is also found by its .NET name (`Reason: Unauthorized`), so its name is a literal too.
        #expect(text(filter([("status", .number(401))])?.requiredLiterals) == ["401", "Unauthorized"])
        #expect(text(filter([("status", .number(418))])?.requiredLiterals) == ["418"])
        #expect(text(filter([("retry_count", .number(401))])?.requiredLiterals) == nil)
        #expect(text(filter([("host", .text("*.openai.azure.com"))])?.requiredLiterals) == [".openai.azure.com"])
        #expect(
            text(filter([("exception", .text("*AuthenticationError"))])?.requiredLiterals) == ["AuthenticationError"])
        #expect(
            text(filter([("status", .any([.number(401), .number(403)]))])?.requiredLiterals)
                == ["401", "Unauthorized", "403", "Forbidden"])
        // the field whose shortest literal is longest is chosen
        #expect(
            text(
                filter([("status", .number(401)), ("error.code", .text("DeploymentNotFound"))])?.requiredLiterals)
                == ["DeploymentNotFound"])
        // path separators may be escaped in the text: only the longest safe run is used
        #expect(text(filter([("path", .text("/openai/deployments/*"))])?.requiredLiterals) == ["deployments"])
    }

    @Test("No literals: status classes, short values, computed or foreign fields, bare wildcards")
    func none() {
        #expect(filter([("status", .statusClass(4))])?.requiredLiterals == nil)
        #expect(filter([("retry_count", .number(3))])?.requiredLiterals == nil)
        #expect(filter([("retry_after", .number(120))])?.requiredLiterals == nil)
        #expect(filter([("version.openai", .text("1.51.0"))])?.requiredLiterals == nil)
        #expect(filter([("my_capture", .text("something"))])?.requiredLiterals == nil)
        #expect(filter([("host", .text("*"))])?.requiredLiterals == nil)
        #expect(filter([("model", .text("o1"))])?.requiredLiterals == nil)
        #expect(filter([("status", .any([.number(401), .statusClass(5)]))])?.requiredLiterals == nil)
        // an unusable field does not hide a usable one
        #expect(
            text(filter([("status", .statusClass(4)), ("host", .text("*.azure-api.net"))])?.requiredLiterals) == [
                ".azure-api.net"
            ])
    }

    @Test("Contract: when matches succeeds on extracted values, a literal occurs in the event text")
    func contract() {
        let events = [
            "openai.AuthenticationError: Error code: 401 - {'statusCode': 401, 'message': 'Unauthorized.'}",
            #"HTTP Request: POST https://Contoso.OpenAI.Azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-06-01 "HTTP/1.1 404 Not Found""#,
            #"{"url":"https:\/\/x.openai.azure.com\/openai\/deployments\/chat\/embeddings","body":"{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API\r\ndeployment does not exist.\"}}"}"#,
            "Error code: 400 - {'error': {'code': 'content_filter', 'innererror': {'code': 'ResponsibleAIPolicyViolation', 'content_filter_result': {'hate': {'filtered': True, 'severity': 'high'}}}}}",
            "litellm.acompletion(model='azure/gpt-4o', stream=True)",
        ]
        let specs: [[(field: String, expected: FieldExpectation)]] = [
            [("status", .number(401))],
            [("exception", .text("*AuthenticationError"))],
            [("host", .text("*.openai.azure.com"))],
            [("path", .text("/openai/deployments/*/chat/completions"))],
            [("path", .text("*/embeddings"))],
            [("error.code", .text("deploymentnotfound"))],
            [("error.message", .text("*API deployment does not*"))],
            [("content_filter.category", .text("hate")), ("content_filter.severity", .text("high"))],
            [("error.inner_code", .text("ResponsibleAI*"))],
            [("stream", .text("true"))],
            [("model", .text("azure/*"))],
        ]
        var checked = 0
        for spec in specs {
            guard let built = filter(spec) else { continue }
            let scanner = built.requiredLiterals.map { LiteralSetScanner(literals: $0) }
            for event in events where built.matches(eventValues(event)) {
                guard let scanner else { continue }
                checked += 1
                var found = false
                var copy = event
                copy.withUTF8 { scanner.scan($0) { _ in found = true } }
                #expect(found, "\(spec) on \(event)")
            }
        }
        #expect(checked >= specs.count)
    }
}
