/// The stable incident categories of PRODUCT.md. Every rule belongs to exactly one.
///
/// The raw value is the label that appears in JSON output (`category`). Labels are never
/// renamed; new ones may be added.
public enum Category: String, Codable, Sendable, CaseIterable {
    case authUnexpandedEnvVar = "auth.unexpanded-env-var"
    case authMissingKey = "auth.missing-key"
    case authInvalidKey = "auth.invalid-key"
    case authPermissionDenied = "auth.permission-denied"
    case authTokenAudienceOrExpired = "auth.token-audience-or-expired"
    case authHeaderDropped = "auth.header-dropped"
    case authDuplicateAuthorizationOnRetry = "auth.duplicate-authorization-on-retry"
    case azureDeploymentNotFound = "azure.deployment-not-found"
    case azureWrongEndpoint = "azure.wrong-endpoint"
    case azureAPIVersionUnsupported = "azure.api-version-unsupported"
    case rateLimit = "rate-limit"
    case quotaExhausted = "quota.exhausted"
    case streamingUnsupported = "streaming.unsupported"
    case contentFilter = "content-filter"
    case contextLengthExceeded = "context-length-exceeded"
    case paramUnsupported = "param.unsupported"
    case networkConnection = "network.connection"
    case networkTimeout = "network.timeout"
    case networkTLS = "network.tls"
    case networkFirewall = "network.firewall"
    case litellmProviderNotProvided = "litellm.provider-not-provided"
    case server5xx = "server.5xx"

    /// All labels, for messages that list the valid choices.
    public static var labels: [String] { allCases.map(\.rawValue) }
}
