import Foundation
import Testing

@testable import FaultlineEngine

/// The fields of the error body found in `text`.
func bodyFields(_ text: String) -> [String: String] {
    ErrorBody.find(in: text)?.fields ?? [:]
}

@Suite("ErrorBody: shapes")
struct ValuesErrorBodyShapeTests {
    @Test("Python repr: Azure content filter with innererror / content_filter_result")
    func contentFilterRepr() {
        let fields = bodyFields(
            """
            openai.BadRequestError: Error code: 400 - {'error': {'message': "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.", 'type': None, 'param': 'prompt', 'code': 'content_filter', 'status': 400, 'innererror': {'code': 'ResponsibleAIPolicyViolation', 'content_filter_result': {'hate': {'filtered': False, 'severity': 'safe'}, 'self_harm': {'filtered': False, 'severity': 'safe'}, 'sexual': {'filtered': False, 'severity': 'safe'}, 'violence': {'filtered': True, 'severity': 'medium'}}}}}
            """)
        #expect(fields["error.code"] == "content_filter")
        #expect(fields["error.type"] == nil)
        #expect(fields["error.param"] == "prompt")
        #expect(fields["status"] == "400")
        #expect(fields["error.inner_code"] == "ResponsibleAIPolicyViolation")
        #expect(fields["content_filter.category"] == "violence")
        #expect(fields["content_filter.severity"] == "medium")
        #expect(
            fields["error.message"]?.hasPrefix("The response was filtered due to the prompt triggering Azure OpenAI's")
                == true)
    }

    @Test("Newer variant: inner_error / content_filter_results, \\r\\n in the message, highest severity wins")
    func contentFilterNewVariant() {
        let fields = bodyFields(
            #"""
            Error code: 400 - {'error': {'message': 'The response was filtered.\r\nPlease modify your prompt.', 'type': None, 'param': 'prompt', 'code': 'content_filter', 'status': 400, 'inner_error': {'code': 'ResponsibleAIPolicyViolation', 'content_filter_results': {'hate': {'filtered': True, 'severity': 'low'}, 'jailbreak': {'filtered': True, 'detected': True}, 'sexual': {'filtered': True, 'severity': 'high'}}}}}
            """#)
        #expect(fields["error.message"] == "The response was filtered. Please modify your prompt.")
        #expect(fields["error.inner_code"] == "ResponsibleAIPolicyViolation")
        #expect(fields["content_filter.category"] == "sexual")
        #expect(fields["content_filter.severity"] == "high")
    }

    @Test("Jailbreak alone: category without severity")
    func jailbreak() {
        let fields = bodyFields(
            #"{"error":{"code":"content_filter","innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"jailbreak":{"filtered":true,"detected":true}}}}}"#
        )
        #expect(fields["content_filter.category"] == "jailbreak")
        #expect(fields["content_filter.severity"] == nil)
    }

    @Test("JSON body: DeploymentNotFound")
    func jsonDeploymentNotFound() {
        let fields = bodyFields(
            #"Content: {"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}"#
        )
        #expect(fields["error.code"] == "DeploymentNotFound")
        #expect(fields["error.message"]?.hasPrefix("The API deployment for this resource does not exist.") == true)
        #expect(fields["status"] == nil)
    }

    @Test("Azure statusCode body and capital Message")
    func azureStatusCode() {
        let fields = bodyFields(
            "openai.AuthenticationError: Error code: 401 - {'statusCode': 401, 'message': 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.'}"
        )
        #expect(fields["status"] == "401")
        #expect(fields["error.code"] == nil)
        #expect(fields["error.message"]?.hasPrefix("Unauthorized. Access token is missing") == true)
        let aad = bodyFields("Error code: 401 - {'Message': 'User Aad Token is expired.'}")
        #expect(aad == ["error.message": "User Aad Token is expired."])
    }

    @Test("code as a string '401' and as an int")
    func codeStringOrInt() {
        let string = bodyFields(
            "{'error': {'code': '401', 'message': 'Access denied due to invalid subscription key or wrong API endpoint.'}}"
        )
        #expect(string["error.code"] == "401")
        let int = bodyFields(#"{"error": {"code": 429, "message": "Rate limit is exceeded."}}"#)
        #expect(int["error.code"] == "429")
        #expect(int["error.message"] == "Rate limit is exceeded.")
    }

    @Test("Double-quoted repr strings with ', escaped quotes, None/True/False, nested lists")
    func reprDetails() {
        let fields = bodyFields(
            #"""
            {'error': {'message': "This model's maximum context length is 8192 tokens, you said \"hi\" and it\'s over.", 'type': 'invalid_request_error', 'param': 'messages', 'code': 'context_length_exceeded', 'details': [{'a': None}, [True, False, 1.5e3]]}}
            """#)
        #expect(
            fields["error.message"]
                == #"This model's maximum context length is 8192 tokens, you said "hi" and it's over."#)
        #expect(fields["error.type"] == "invalid_request_error")
        #expect(fields["error.param"] == "messages")
        #expect(fields["error.code"] == "context_length_exceeded")
    }

    @Test("Error JSON nested as an escaped string inside another JSON")
    func nestedEscaped() {
        // the body as a string value of the error
        let inner = bodyFields(
            #"{"error": "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API deployment for this resource does not exist.\"}}"}"#
        )
        #expect(inner["error.code"] == "DeploymentNotFound")
        #expect(inner["error.message"] == "The API deployment for this resource does not exist.")
        // a log record whose message holds the escaped body
        let record = bodyFields(
            #"{"level":"error","msg":"call failed","body":"{\"error\":{\"code\":\"PermissionDenied\",\"message\":\"The principal lacks the required data action.\"}}","ts":1}"#
        )
        #expect(record["error.code"] == "PermissionDenied")
        #expect(record["error.message"] == "The principal lacks the required data action.")
    }

    @Test("A weak body (message only) yields to a later strong one")
    func weakThenStrong() {
        let fields = bodyFields(
            #"{"message": "request failed", "level": "error"} then Error code: 404 - {'error': {'code': '404', 'message': 'Resource not found'}}"#
        )
        #expect(fields["error.code"] == "404")
        #expect(fields["error.message"] == "Resource not found")
    }

    @Test("litellm: the outer body wins over the one quoted inside its message")
    func litellmOuterWins() {
        let fields = bodyFields(
            #"""
            Error code: 429 - {'error': {'message': "litellm.RateLimitError: AzureException RateLimitError - Error code: 429 - {'error': {'code': '429', 'message': 'Requests to the ChatCompletions_Create Operation have exceeded token rate limit.'}}\nReceived Model Group=azure-gpt-4o-mini", 'type': 'throttling_error', 'param': None, 'code': '429'}}
            """#)
        #expect(fields["error.type"] == "throttling_error")
        #expect(fields["error.code"] == "429")
        #expect(fields["error.param"] == nil)
    }

    @Test("openai-node util.inspect: bare keys, headers object, string concatenation")
    func nodeInspect() {
        let fields = bodyFields(
            """
            AuthenticationError: 401 Incorrect API key provided: sk-abc****wxyz.
                at APIError.generate (/app/node_modules/openai/error.js:44:20) {
              status: 401,
              headers: Headers {
                'x-request-id': 'req_1a2b3c4d5e6f',
                [Symbol(kGuard)]: 'immutable'
              },
              request_id: 'req_1a2b3c4d5e6f',
              error: {
                message: 'Incorrect API key provided: sk-abc****wxyz. You can find your API key at ' +
                  'https://platform.openai.com/account/api-keys.',
                type: 'invalid_request_error',
                param: null,
                code: 'invalid_api_key'
              },
              code: 'invalid_api_key',
              param: null,
              type: 'invalid_request_error'
            }
            """)
        #expect(fields["status"] == "401")
        #expect(fields["error.code"] == "invalid_api_key")
        #expect(fields["error.type"] == "invalid_request_error")
        #expect(fields["error.param"] == nil)
        #expect(fields["error.message"]?.hasSuffix("at https://platform.openai.com/account/api-keys.") == true)
    }

    @Test("axios error: the service body in response.data")
    func axios() {
        let fields = bodyFields(
            """
            AxiosError: Request failed with status code 429 {
              code: 'ERR_BAD_REQUEST',
              config: { url: 'https://x.openai.azure.com/openai/deployments/gpt/chat/completions', method: 'post' },
              response: {
                status: 429,
                statusText: 'Too Many Requests',
                data: { error: { code: '429', message: 'Rate limit is exceeded. Try again in 6 seconds.' } }
              }
            }
            """)
        #expect(fields["status"] == "429")
        #expect(fields["error.code"] == "429")
        #expect(fields["error.message"] == "Rate limit is exceeded. Try again in 6 seconds.")
    }

    @Test("No body: plain braces, code snippets, empty input")
    func noBody() {
        #expect(ErrorBody.find(in: "") == nil)
        #expect(ErrorBody.find(in: "config {a: 1} and ${OPENAI_API_KEY}") == nil)
        #expect(ErrorBody.find(in: "{'error': {}}") == nil)
        #expect(ErrorBody(parsing: "no braces") == nil)
        #expect(ErrorBody(parsing: "{'code': 'x'}")?.code == "x")
    }
}

@Suite("ErrorBody: hostile input")
struct ValuesErrorBodyHostileTests {
    @Test("Unbalanced quote: what was parsed before it is kept")
    func unbalancedQuote() {
        let fields = bodyFields("Error code: 401 - {'error': {'code': 'invalid_api_key', 'message': 'Incorrect API key")
        #expect(fields["error.code"] == "invalid_api_key")
        #expect(fields["error.message"] == "Incorrect API key")
    }

    @Test("Truncated body (cut mid-key, mid-value, mid-nesting)")
    func truncated() {
        let full =
            "{'error': {'message': 'The response was filtered', 'type': None, 'param': 'prompt', 'code': 'content_filter', 'status': 400, 'innererror': {'code': 'ResponsibleAIPolicyViolation', 'content_filter_result': {'hate': {'filtered': True, 'severity': 'high'}}}}}"
        let bytes = Array(full.utf8)
        for cut in 0...bytes.count {
            _ = ErrorBody.find(in: String(decoding: bytes[..<cut], as: UTF8.self))  // must not trap
        }
        let half = String(decoding: bytes[..<(bytes.count * 3 / 4)], as: UTF8.self)
        #expect(bodyFields(half)["error.code"] == "content_filter")
        #expect(bodyFields(half)["error.inner_code"] == "ResponsibleAIPolicyViolation")
    }

    @Test("1 MB of `{`, of `{'error': `, of quotes and backslashes end quickly")
    func megabytes() {
        let inputs = [
            String(repeating: "{", count: 1 << 20),
            String(repeating: "{'error': ", count: 100_000),
            "{'error': " + String(repeating: "'", count: 1 << 20),
            "{\"error\": \"" + String(repeating: "\\", count: 1 << 20),
            String(repeating: "{\\\"error\\\":", count: 100_000),
            String(repeating: "{ message: [", count: 100_000),
            "{'code': 'x', 'message': '" + String(repeating: "a", count: 1 << 20) + "'}",
        ]
        for input in inputs {
            let start = ContinuousClock.now
            let body = ErrorBody.find(in: input)
            let elapsed = ContinuousClock.now - start
            #expect(elapsed < .seconds(2), "\(input.prefix(20)): \(elapsed)")
            if let message = body?.message { #expect(message.count <= ErrorBody.valueCap + 1) }
        }
    }

    @Test("Depth beyond the limit stops the read without trapping")
    func depth() {
        let deep = String(repeating: "{'error': ", count: 40) + "{'code': 'x'}" + String(repeating: "}", count: 40)
        _ = ErrorBody.find(in: deep)
        let shallow =
            "{'error': {'code': 'x', 'details': " + String(repeating: "[", count: 10)
            + String(repeating: "]", count: 10) + "}}"
        #expect(bodyFields(shallow)["error.code"] == "x")
    }

    @Test("Invalid UTF-8 and stray escapes")
    func invalidUTF8() {
        var bytes = Array("{'error': {'code': 'bad".utf8)
        bytes += [0xFF, 0xFE, 0xC3]
        bytes += Array("', 'message': 'x\\u12\\q\\x4'}}".utf8)
        let fields = bytes.withUnsafeBufferPointer { ErrorBody.find(in: $0)?.fields ?? [:] }
        #expect(fields["error.code"]?.hasPrefix("bad") == true)
        #expect(fields["error.message"] != nil)
    }
}
