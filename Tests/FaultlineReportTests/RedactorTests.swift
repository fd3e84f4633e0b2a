import FaultlineModel
import FaultlineText
import Testing

/// Planted FAKE secrets: shape-correct, obviously not real.
enum FakeSecrets {
    static let openAI = "sk-FAKEFAKEFAKE0123456789abcdefFAKEFAKE0123456789"
    static let openAIProject = "sk-proj-FAKEFAKEFAKE0123456789abcdefFAKE"
    static let openAIServiceAccount = "sk-svcacct-FAKEFAKE0123456789abcdefFAKEFAKE"
    static let azureHex = "0123456789abcdeffedcba9876543210"
    static let azure84 = "FAKEfake0123456789FAKEfake0123456789FAKEfake0123456789FAKEfake0123456789FAKEfake0123"
    static let jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJGQUtFIiwiaXNzIjoiRkFLRSJ9.FAKEsignature0123_-xyz"
    static let bearer = "FAKEopaqueToken0123456789"
    static let accountKey = "FAKEFAKEbase64Key0123456789+/FAKEFAKE=="
    static let password = "FakePassw0rd!"
    static let urlPassword = "FAKEurlPassw0rd"
    static let githubClassic = "ghp_FAKEFAKE0123456789abcdefFAKEFAKE0123"
    static let githubFine = "github_pat_FAKE0123456789_abcdefFAKEFAKE0123456789"
    static let clientSecret = "FAKE~client.secret-0123456789"

    /// Distinctive fragments; none may survive redaction.
    static let all = [
        openAI, openAIProject, openAIServiceAccount, azureHex, azure84, jwt, bearer, accountKey, password,
        urlPassword, githubClassic, githubFine, clientSecret,
    ]
}

@Suite("Redactor")
struct RedactorTests {
    @Test(
        "secrets are replaced by a shape-keeping marker",
        arguments: [
            // OpenAI keys
            ("key \(FakeSecrets.openAI) used", "key sk-…REDACTED used"),
            ("openai.key = '\(FakeSecrets.openAIProject)'", "openai.key = 'sk-proj-…REDACTED'"),
            ("\(FakeSecrets.openAIServiceAccount)", "sk-svcacct-…REDACTED"),
            // Azure keys as values of key-ish fields, in every quoting style
            ("api-key: \(FakeSecrets.azureHex)", "api-key: [REDACTED]"),
            ("api_key=\(FakeSecrets.azureHex)", "api_key=[REDACTED]"),
            ("{'api_key': '\(FakeSecrets.azureHex)', 'x': 1}", "{'api_key': '[REDACTED]', 'x': 1}"),
            ("{\"apiKey\": \"\(FakeSecrets.azure84)\"}", "{\"apiKey\": \"[REDACTED]\"}"),
            ("AZURE_OPENAI_API_KEY=\(FakeSecrets.azure84)", "AZURE_OPENAI_API_KEY=[REDACTED]"),
            ("export OPENAI_API_KEY=\"\(FakeSecrets.azureHex)\"", "export OPENAI_API_KEY=\"[REDACTED]\""),
            ("Ocp-Apim-Subscription-Key: \(FakeSecrets.azureHex)", "Ocp-Apim-Subscription-Key: [REDACTED]"),
            ("x-api-key: \(FakeSecrets.azureHex)", "x-api-key: [REDACTED]"),
            ("GET /x?subscription-key=\(FakeSecrets.azureHex)&a=1", "GET /x?subscription-key=[REDACTED]&a=1"),
            ("api_key = \"\(FakeSecrets.azureHex)\"", "api_key = \"[REDACTED]\""),
            ("{\\\"api_key\\\": \\\"\(FakeSecrets.azureHex)\\\"}", "{\\\"api_key\\\": \\\"[REDACTED]\\\"}"),
            ("\"primaryKey\": \"\(FakeSecrets.azureHex)\"", "\"primaryKey\": \"[REDACTED]\""),
            ("api-key: \(FakeSecrets.openAIProject)", "api-key: sk-proj-…REDACTED"),
            // Bearer tokens and Authorization headers
            ("Authorization: Bearer \(FakeSecrets.bearer)", "Authorization: Bearer [REDACTED]"),
            ("'Authorization': 'Bearer \(FakeSecrets.bearer)'", "'Authorization': 'Bearer [REDACTED]'"),
            ("sent bearer \(FakeSecrets.bearer) twice", "sent bearer [REDACTED] twice"),
            ("Authorization: Bearer \(FakeSecrets.jwt)", "Authorization: Bearer [REDACTED-JWT]"),
            ("Authorization: Bearer \(FakeSecrets.openAI)", "Authorization: Bearer sk-…REDACTED"),
            ("Authorization: Basic RkFLRTpGQUtFcGFzcw==", "Authorization: Basic [REDACTED]"),
            // JWTs anywhere
            ("token \(FakeSecrets.jwt) expired", "token [REDACTED-JWT] expired"),
            ("?access_token=\(FakeSecrets.jwt)&x=1", "?access_token=[REDACTED-JWT]&x=1"),
            // Connection strings
            (
                "DefaultEndpointsProtocol=https;AccountName=fake;AccountKey=\(FakeSecrets.accountKey);EndpointSuffix=core",
                "DefaultEndpointsProtocol=https;AccountName=fake;AccountKey=[REDACTED];EndpointSuffix=core"
            ),
            (
                "Endpoint=sb://x/;SharedAccessKey=\(FakeSecrets.accountKey)",
                "Endpoint=sb://x/;SharedAccessKey=[REDACTED]"
            ),
            ("Server=db;User Id=sa;Password=\(FakeSecrets.password);", "Server=db;User Id=sa;Password=[REDACTED];"),
            ("Server=db;uid=sa;pwd=\(FakeSecrets.password);", "Server=db;uid=sa;pwd=[REDACTED];"),
            ("Password=hunter2;", "Password=[REDACTED];"),
            // Credentials in URLs
            (
                "https://user:\(FakeSecrets.urlPassword)@proxy.example:8080/x",
                "https://user:[REDACTED]@proxy.example:8080/x"
            ),
            ("redis://:\(FakeSecrets.urlPassword)@cache:6379", "redis://:[REDACTED]@cache:6379"),
            (
                "https://\(FakeSecrets.githubClassic):x-oauth-basic@github.com/o/r",
                "https://ghp_…REDACTED:[REDACTED]@github.com/o/r"
            ),
            // GitHub tokens
            ("GH_TOKEN \(FakeSecrets.githubClassic)", "GH_TOKEN ghp_…REDACTED"),
            ("pat: \(FakeSecrets.githubFine)", "pat: github_pat_…REDACTED"),
            // Generic secret fields
            ("client_secret=\(FakeSecrets.clientSecret)", "client_secret=[REDACTED]"),
            ("\"refresh_token\": \"\(FakeSecrets.clientSecret)\"", "\"refresh_token\": \"[REDACTED]\""),
            ("secret: \(FakeSecrets.clientSecret)", "secret: [REDACTED]"),
            ("password = \"\(FakeSecrets.password)\"", "password = \"[REDACTED]\""),
            ("DB_PASSWORD=short", "DB_PASSWORD=[REDACTED]"),
            // A long prefix of a key is most of the key: redacted even when the logger cut it.
            ("sk-proj-abcdefghij0123456789abcd... (cut)", "sk-proj-…REDACTED... (cut)"),
        ])
    func redacts(input: String, expected: String) {
        #expect(Redactor.redact(input) == expected)
    }

    @Test(
        "references, placeholders, masked values and ordinary text are kept verbatim",
        arguments: [
            "api_key: $OPENAI_API_KEY",
            "{'api_key': '$OPENAI_API_KEY', 'api_base': 'https://x.openai.azure.com'}",
            "api_key: \"${AZURE_OPENAI_API_KEY}\"",
            "AZURE_OPENAI_API_KEY=${AZURE_OPENAI_API_KEY}",
            "api_key: os.environ/AZURE_API_KEY",
            "api_key=os.getenv(\"AZURE_API_KEY\")",
            "apiKey: process.env.AZURE_OPENAI_API_KEY",
            "api-key: <your-key>",
            "api_key = \"YOUR_API_KEY\"",
            "api_key: sk-abc****wxyz",
            "api_key: sk-abcdefghijklmnopqrstuvw****wxyz",
            "Key: sk-proj-abcd...wxyz (truncated by the logger)",
            "api-key: REDACTED",
            "Authorization: REDACTED",
            "api-key: ***",
            "api_key=None",
            "'api-key': undefined",
            "Authorization: Bearer $OPENAI_API_KEY",
            "Authorization: Bearer ${TOKEN}",
            "Authorization: Bearer <token>",
            "Bearer authentication failed for the request",
            "Bearer token is missing",
            "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.",
            "POST https://fake-resource.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-02-01",
            "x-request-id: 0a1b2c3d-4e5f-6789-abcd-ef0123456789",
            "apim-request-id: 5b0c5f2e-8f7e-4b1a-9c3d-2e1f0a9b8c7d",
            "request_id=req_0123456789abcdef0123456789abcdef",
            "deployment=gpt-4o-mini-2024-07-18 model=gpt-35-turbo-16k",
            "fixed in commit 3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c, see the changelog",
            "max_tokens=4096 total_tokens: 123456789012 prompt_tokens=12",
            "token_type: Bearer",
            "PWD=/home/runner/_work/app",
            "the password: incorrect",
            "task-0123456789abcdefghijklmnop done",
            "sk-this-is-not-a-real-key-at-all-really",
            "Retry-After: 20, api-version: 2024-02-15-preview",
            "https://user@example.com/path and mailto:user@example.com",
            "litellm.exceptions.AuthenticationError: AzureException - Error code: 401",
        ])
    func keeps(input: String) {
        #expect(Redactor.redact(input) == input)
    }

    @Test("redaction is idempotent")
    func idempotent() {
        let text = """
            api-key: \(FakeSecrets.azureHex) Authorization: Bearer \(FakeSecrets.jwt) \(FakeSecrets.openAIProject)
            https://u:\(FakeSecrets.urlPassword)@h AccountKey=\(FakeSecrets.accountKey); \(FakeSecrets.githubFine)
            """
        let once = Redactor.redact(text)
        #expect(Redactor.redact(once) == once)
        for secret in FakeSecrets.all where text.contains(secret) {
            #expect(!once.contains(secret), "\(secret) survived")
        }
    }

    @Test("multi-byte text around secrets survives intact")
    func unicode() {
        let text = "密钥 api_key='\(FakeSecrets.azureHex)' — ok ✓ \u{FFFD}"
        #expect(Redactor.redact(text) == "密钥 api_key='[REDACTED]' — ok ✓ \u{FFFD}")
    }

    @Test(
        "hostile megabyte lines are redacted in linear time",
        arguments: [
            "sk-", "api_key=", "'password': '", "://a:", "Bearer ", "eyJhbGciOiJIUzI1NiJ9.", "a", "api_key ",
            "\\\"token\\\": \\\"", "x", "=", "Authorization: Basic ",
        ])
    func linear(unit: String) {
        let count = (1 << 20) / unit.utf8.count
        let line = String(repeating: unit, count: count)
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = Redactor.redact(line) }
        #expect(elapsed < .seconds(5), "\(unit.debugDescription) × \(count) took \(elapsed)")
    }

    @Test(
        "captured values are redacted by the name of their field",
        arguments: [
            ("api_key", FakeSecrets.azureHex, "[REDACTED]"),
            ("key", FakeSecrets.azure84, "[REDACTED]"),
            ("password", "hunter2", "[REDACTED]"),
            ("api_key", "$OPENAI_API_KEY", "$OPENAI_API_KEY"),
            ("variable", "${AZURE_OPENAI_API_KEY}", "${AZURE_OPENAI_API_KEY}"),
            ("commit", FakeSecrets.azureHex, FakeSecrets.azureHex),
            ("deployment", "gpt-4o-mini", "gpt-4o-mini"),
            ("header", "Authorization: Bearer \(FakeSecrets.bearer)", "Authorization: Bearer [REDACTED]"),
            ("deployment", FakeSecrets.openAI, "sk-…REDACTED"),
        ])
    func redactsValueByField(field: String, value: String, expected: String) {
        #expect(Redactor.redact(value: value, field: field) == expected)
    }
}
