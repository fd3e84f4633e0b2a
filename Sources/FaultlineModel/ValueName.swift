/// The names of the values faultline extracts from events: the one vocabulary that rules
/// (`where:`, `group_by:`, `{name}` in cause and fix), the engine's extractors and
/// `docs/values.md` share. Package versions are named `version.<package>` (``versionPrefix``).
public enum ValueName: String, CaseIterable, Sendable, Hashable {
    case status
    case errorCode = "error.code"
    case errorType = "error.type"
    case errorMessage = "error.message"
    case errorParam = "error.param"
    case errorInnerCode = "error.inner_code"
    case contentFilterCategory = "content_filter.category"
    case contentFilterSeverity = "content_filter.severity"
    case exception
    case requestID = "request_id"
    case host
    case path
    case deployment
    case apiVersion = "api_version"
    case model
    case stream
    case retryCount = "retry_count"
    case retryAfter = "retry_after"
    case userAgent = "user_agent"

    /// The prefix of package-version values (`version.Azure.AI.OpenAI`).
    public static let versionPrefix = "version."

    /// Every standard name, as rules write them.
    public static let all: Set<String> = Set(allCases.map(\.rawValue))

    /// `true` for a standard name or a `version.<package>` name.
    public static func isStandard(_ name: String) -> Bool {
        all.contains(name) || (name.hasPrefix(versionPrefix) && name.count > versionPrefix.count)
    }

    /// Values copied verbatim (up to ASCII case and string escapes) from the event's text, so a
    /// literal of an expected value must occur in that text. Computed values (`retry_count` from
    /// tries, `retry_after` from milliseconds) are not.
    public var isVerbatim: Bool { self != .retryCount && self != .retryAfter }

    /// The .NET `HttpStatusCode` names of the error statuses an LLM API answers, with their
    /// numbers: a `status` value is also read from these (`Reason: TooManyRequests` is 429).
    public static let statusNames: [String: Int] = [
        "BadRequest": 400, "Unauthorized": 401, "Forbidden": 403, "NotFound": 404, "RequestTimeout": 408,
        "Conflict": 409, "RequestEntityTooLarge": 413, "UnprocessableEntity": 422, "TooManyRequests": 429,
        "InternalServerError": 500, "BadGateway": 502, "ServiceUnavailable": 503, "GatewayTimeout": 504,
    ]

    /// What findings are grouped by when a rule does not say (`group_by:`).
    public static let defaultGroupBy: [ValueName] = [.status, .errorCode, .host, .deployment]
}
