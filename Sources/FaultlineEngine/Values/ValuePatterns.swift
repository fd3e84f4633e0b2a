import FaultlineModel
import FaultlineRegex

/// How the values found by several patterns for one key are combined.
enum ValuePolicy: Sendable {
    /// The match that starts earliest in the text wins (ties: the earlier pattern).
    case earliest
    /// The first pattern (in table order) that matches wins; later patterns are fallbacks.
    case priority
    /// The largest number found by any pattern, anywhere in the text.
    case maximum
}

/// What is done to a captured value before it is reported.
enum ValueTransform: Sendable {
    /// Reported as captured.
    case verbatim
    /// ASCII-lowercased (`True` → `true`).
    case lowercased
    /// A number of milliseconds, reported in seconds (`14000` → `14`, `6` → `0.006`).
    case millisecondsToSeconds
    /// A count of tries, reported as retries (`4` → `3`).
    case triesToRetries
    /// Trailing spaces, tabs, `,` and `;` removed (header values read to the end of a line).
    case trimmed
    /// A .NET `HttpStatusCode` name, reported as its number (`TooManyRequests` → `429`).
    case httpStatusName
}

/// Which captured values are rejected.
enum ValueCheck: Sendable {
    /// Every value is kept.
    case any
    /// Placeholders such as `None`, `null`, `undefined`, `true`, `false` are rejected.
    case notPlaceholder
    /// A model name: not a placeholder, and when it was not quoted it must look like a model
    /// (contain a digit, `-` or `/`), which rejects source code such as `model=model` or
    /// `model=self.model` in traceback frames.
    case modelName
}

/// One extraction pattern: `pattern` captures the value in the group named `v`.
struct ValueSpec: Sendable {
    /// The value's name (``ValueName``), or for version patterns the package name.
    let key: String
    let pattern: String
    var options: RegexOptions = []
    var transform: ValueTransform = .verbatim
    var check: ValueCheck = .any
    /// Version patterns with a `p` group: prepended to the captured package name.
    var packagePrefix: String = ""

    /// A version pattern: `key` names the package (or is empty when a `p` group does).
    init(
        key: String, pattern: String, options: RegexOptions = [], transform: ValueTransform = .verbatim,
        check: ValueCheck = .any, packagePrefix: String = ""
    ) {
        self.key = key
        self.pattern = pattern
        self.options = options
        self.transform = transform
        self.check = check
        self.packagePrefix = packagePrefix
    }

    /// An event-value pattern for the standard value `name`.
    init(
        name: ValueName, pattern: String, options: RegexOptions = [], transform: ValueTransform = .verbatim,
        check: ValueCheck = .any
    ) {
        self.init(key: name.rawValue, pattern: pattern, options: options, transform: transform, check: check)
    }
}

/// The constant pattern tables behind ``ValueExtractor``.
///
/// Conventions: every pattern names its value group `v`; a `q` group, when present, holds the
/// opening quote of the value. Patterns are written to carry a literal that
/// `LiteralExtractor` can prove required, so that cheap literal checks skip most of them.
enum ValuePatterns {
    /// An HTTP status code (2xx–5xx) as a whole number.
    static let statusCode = "(?<v>[2-5][0-9][0-9])(?![0-9])"

    /// The policy per key; keys not listed use ``ValuePolicy/earliest``.
    static let policies: [String: ValuePolicy] = [
        "deployment": .priority,
        "retry_count": .maximum,
    ]

    /// The event patterns, except `host` and `exception`, which have their own logic.
    static let event: [ValueSpec] = [
        // MARK: status
        ValueSpec(name: .status, pattern: #"\berror code:?\s"# + statusCode, options: .caseless),
        ValueSpec(
            name: .status,
            pattern:
                #"(?<![\w-])['"]?(?:status|statuscode|status_code|http_status|http_status_code|response_code)['"]?\s{0,3}[:=]\s{0,3}['"]?"#
                + statusCode,
            options: .caseless),
        ValueSpec(name: .status, pattern: #"\bHTTP "# + statusCode + #"(?=\s?[(:-])"#),
        ValueSpec(name: .status, pattern: #"\bHTTP/[0-9](?:\.[0-9])?"?\s"# + statusCode),
        ValueSpec(name: .status, pattern: #"\b"# + statusCode + #" status code\b"#, options: .caseless),
        ValueSpec(name: .status, pattern: #"\bstatus code:?\s"# + statusCode, options: .caseless),
        ValueSpec(name: .status, pattern: #"\bHTTP status(?: error| code)?:?\s"# + statusCode, options: .caseless),
        ValueSpec(name: .status, pattern: #"does not indicate success:\s"# + statusCode),
        ValueSpec(name: .status, pattern: #"\b(?:Error response|Response) \[[^\]\s]{1,80}\] "# + statusCode),
        ValueSpec(name: .status, pattern: #"\b(?:Client|Server) error '"# + statusCode + " "),
        ValueSpec(name: .status, pattern: #"\bError: "# + statusCode + #" (?=[A-Z])"#),
        ValueSpec(name: .status, pattern: #"\bHTTP Response: \S{1,10} \S{1,2000} "?"# + statusCode + " "),
        // A status by its .NET `HttpStatusCode` name where a status is named: `Reason: TooManyRequests`
        // (Semantic Kernel's retry handler), `StatusCode: NotFound`, `HttpStatusCode.Unauthorized`.
        ValueSpec(
            name: .status,
            pattern: #"(?:\b(?:Reason|StatusCode|Status|status_code)\s{0,3}[:=]\s{0,3}['"]?|\bHttpStatusCode\.)(?<v>"#
                + ValueName.statusNames.keys.sorted().joined(separator: "|") + #")\b"#,
            transform: .httpStatusName),

        // MARK: error.code
        ValueSpec(
            name: .errorCode,
            pattern: #"(?<![\w.-])['"]?code['"]?\s{0,3}[:=]\s{0,3}['"](?<v>[A-Za-z0-9][\w.-]{0,79})['"]"#,
            options: .caseless, check: .notPlaceholder),
        ValueSpec(
            name: .errorCode, pattern: #"['"]code['"]\s{0,3}:\s{0,3}(?<v>[2-5][0-9][0-9])(?![0-9])"#,
            options: .caseless),
        ValueSpec(
            name: .errorCode,
            pattern: #"(?<![\w-])['"]?error_?code['"]?\s{0,3}[:=][ \t]{0,3}['"]?(?<v>[A-Za-z0-9][\w.-]{0,79})"#,
            options: .caseless, check: .notPlaceholder),
        ValueSpec(name: .errorCode, pattern: #"\bHTTP [2-5][0-9][0-9] \((?:[\w.-]*:\s?)?(?<v>[\w.-]{1,80})\)"#),

        // MARK: error.message
        // openai-python 0.x: error_message='…' (or "…" when the text holds ')
        ValueSpec(name: .errorMessage, pattern: #"\berror_message='(?<v>(?:[^'\\\r\n]++|\\.)++)'"#),
        ValueSpec(name: .errorMessage, pattern: #"\berror_message="(?<v>(?:[^"\\\r\n]++|\\.)++)""#),
        // OpenAI .NET / System.ClientModel: HTTP 429 (429), a blank line, then the message
        ValueSpec(
            name: .errorMessage,
            pattern: #"\bHTTP [2-5][0-9][0-9] \([^)\r\n]{0,100}\)[ \t]*\r?\n[ \t]*\r?\n[ \t]*(?<v>[^\s][^\r\n]{0,999})"#
        ),
        // openai-node: `Error: 500 The server had an error…`, `AuthenticationError: 401 Incorrect API key…`
        ValueSpec(name: .errorMessage, pattern: #"\b[A-Za-z]{0,40}Error: [2-5][0-9][0-9] (?<v>[A-Z][^\r\n]{0,999})"#),

        // MARK: error.param
        ValueSpec(
            name: .errorParam, pattern: #"\berror_param=['"]?(?<v>[A-Za-z_][\w.-]{0,79})"#, check: .notPlaceholder),

        // MARK: user_agent
        ValueSpec(
            name: .userAgent,
            pattern: #"(?<![\w-])['"]?user-agent['"]?\s{0,3}[:=]\s{0,3}['"]?(?<v>[^\s'"\\][^\r\n'"\\]{0,299})"#,
            options: .caseless, transform: .trimmed),

        // MARK: error.type
        ValueSpec(
            name: .errorType,
            pattern:
                #"(?<![\w-])['"]?(?:type|error_type)['"]?\s{0,3}[:=]\s{0,3}['"]?(?<v>[a-z][a-z_]{1,60}(?:_error|_quota|_exceeded))\b"#,
            options: .caseless),
        ValueSpec(name: .errorType, pattern: #"\bHTTP [2-5][0-9][0-9] \((?<v>[\w.-]{1,80}):\s?[\w.-]{1,80}\)"#),

        // MARK: deployment (priority order)
        // Case-sensitive: RBAC data actions spell `Microsoft.CognitiveServices/accounts/OpenAI/deployments/…`.
        ValueSpec(name: .deployment, pattern: #"/openai/deployments/(?<v>[\w.-]{1,100})"#),
        ValueSpec(
            name: .deployment,
            pattern:
                #"(?<![\w-])['"]?(?:deployment_id|deployment_name|azure_deployment|deploymentname|deployment-name)['"]?\s{0,3}[:=]\s{0,3}['"]?(?<v>[\w.-]{1,100})"#,
            options: .caseless, check: .notPlaceholder),
        ValueSpec(
            name: .deployment, pattern: #"\bdeployment:[ \t]{0,3}['"]?(?<v>[\w.-]{1,100})"#, options: .caseless,
            check: .notPlaceholder),
        ValueSpec(name: .deployment, pattern: #"\bdeployment '(?<v>[\w.-]{1,100})'"#, options: .caseless),
        ValueSpec(
            name: .deployment, pattern: #"(?<![\w-])['"]?model['"]?\s{0,3}[:=]\s{0,3}['"]?azure/(?<v>[\w.-]{1,100})"#,
            options: .caseless),

        // MARK: api_version
        ValueSpec(
            name: .apiVersion,
            pattern:
                #"(?<![A-Za-z0-9])['"]?api[-_ ]?version['"]?(?:\s{0,3}[:=]\s{0,3}|\s{1,3})['"]?(?<v>[0-9]{4}-[0-9]{2}-[0-9]{2}(?:-preview)?|v1|preview|latest)(?![\w-])"#,
            options: .caseless),

        // MARK: model
        ValueSpec(
            name: .model,
            pattern: #"(?<![\w-])['"]?model(?:_name)?['"]?\s{0,3}[:=]\s{0,3}(?<q>['"]?)(?<v>\w[\w./:-]{0,100})"#,
            options: .caseless, check: .modelName),
        ValueSpec(name: .model, pattern: #"\bmodel[ _]group\s?=\s?(?<v>\w[\w./:-]{0,100})"#, options: .caseless),
        ValueSpec(name: .model, pattern: #"\bThe model [`'"](?<v>\w[\w./:-]{0,100})[`'"] does not exist"#),

        // MARK: retry_count (maximum)
        ValueSpec(name: .retryCount, pattern: #"\bRetried:?\s(?<v>[0-9]{1,4})\s?times?\b"#, options: .caseless),
        ValueSpec(
            name: .retryCount, pattern: #"\bx-ms-retry-count['"]?\s{0,3}[:=]\s{0,3}['"]?(?<v>[0-9]{1,4})"#,
            options: .caseless),
        ValueSpec(name: .retryCount, pattern: #"\bretry attempt\s?#?(?<v>[0-9]{1,4})\b"#, options: .caseless),
        ValueSpec(
            name: .retryCount, pattern: #"\bRetrying request\b[^\n]{0,200}?\(attempt (?<v>[0-9]{1,4})"#,
            options: .caseless),
        ValueSpec(
            name: .retryCount, pattern: #"\bRetry failed after (?<v>[0-9]{1,4}) tries"#, options: .caseless,
            transform: .triesToRetries),

        // MARK: retry_after
        ValueSpec(
            name: .retryAfter,
            pattern:
                #"(?<![\w-])['"]?retry-after['"]?\s{0,3}[:=]\s{0,3}['"]?(?<v>[0-9]{1,6}(?:\.[0-9]{1,3})?)(?![\w.])"#,
            options: .caseless),
        ValueSpec(
            name: .retryAfter,
            pattern: #"(?<![\w-])['"]?retry-after-ms['"]?\s{0,3}[:=]\s{0,3}['"]?(?<v>[0-9]{1,9})(?![\w.])"#,
            options: .caseless, transform: .millisecondsToSeconds),
        ValueSpec(
            name: .retryAfter, pattern: #"\bretry after (?<v>[0-9]{1,6}) ?(?:seconds?|secs?|s)\b"#, options: .caseless),
        ValueSpec(
            name: .retryAfter, pattern: #"\btry again in (?<v>[0-9]{1,6}(?:\.[0-9]{1,3})?) ?(?:seconds?|secs?|s)\b"#,
            options: .caseless),
        ValueSpec(
            name: .retryAfter, pattern: #"\btry again in (?<v>[0-9]{1,9}) ?ms\b"#, options: .caseless,
            transform: .millisecondsToSeconds),
        ValueSpec(name: .retryAfter, pattern: #"\bRetry-After found, value (?<v>[0-9]{1,6})\b"#, options: .caseless),

        // MARK: request_id
        ValueSpec(
            name: .requestID,
            pattern:
                #"(?<![\w-])['"]?(?:x-request-id|apim-request-id|x-ms-client-request-id|x-ms-request-id|request[-_ ]?id|activityid)['"]?(?:\s{0,3}[:=]\s{0,3}|\s)['"]?(?<v>(?=[\w.-]{0,99}[0-9])[A-Za-z0-9][\w.-]{5,99})"#,
            options: .caseless),
        ValueSpec(name: .requestID, pattern: #"\b(?:Error response|Response|Request) \[(?<v>[0-9A-Fa-f-]{8,64})\]"#),

        // MARK: stream
        ValueSpec(
            name: .stream, pattern: #"(?<![\w-])['"]?stream['"]?\s{0,3}[:=]\s{0,3}['"]?(?<v>true|false)\b"#,
            options: .caseless, transform: .lowercased),
    ]

    // MARK: host

    /// Hosts in URLs (`http://`, `https://`, also JSON-escaped `https:\/\/`); credentials in the
    /// authority (`user:pass@`) are skipped, never captured. `s` is set for https.
    static let urlHost =
        #"\bhttp(?<s>s?):(?:\\?/){2}(?:[^\s/@'"<>]{1,200}@)?(?<v>[a-z0-9](?:[a-z0-9-]{0,62}\.){0,8}[a-z0-9-]{0,62}[a-z0-9])(?::[0-9]{1,5})?"#
        + urlPath
    /// Azure OpenAI / AI Services hosts written without a scheme (`azure_endpoint=contoso.openai.azure.com`).
    static let bareAzureHost =
        #"(?<![\w.-])(?<v>[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63}){0,4}\.(?:openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com))(?![\w-])(?::[0-9]{1,5})?"#
        + urlPath
    /// The path of a URL (group `path`): segments after the authority, up to a query, fragment,
    /// quote, space or backslash that does not escape a `/`.
    static let urlPath = #"(?<path>(?>\\?/[^\s?#'"<>\\|`]{0,200}){0,30})"#
    /// The path of an HTTP request line: `POST /v1/chat/completions HTTP/1.1`.
    static let requestLinePath = #"\b(?:GET|POST|PUT|PATCH|DELETE) (?<v>/[^\s?#'"<>\\|`]{1,1000})"#

    /// Hosts that are never the API host: documentation, portals, identity endpoints, and the
    /// bare service domains that appear as token audiences.
    static let excludedHosts: Set<String> = [
        "aka.ms", "learn.microsoft.com", "docs.microsoft.com", "go.microsoft.com", "github.com",
        "raw.githubusercontent.com", "docs.github.com", "docs.litellm.ai", "platform.openai.com",
        "help.openai.com", "openai.com", "www.openai.com", "status.openai.com", "cognitiveservices.azure.com",
        "openai.azure.com", "management.azure.com", "login.microsoftonline.com", "portal.azure.com",
        "ai.azure.com", "oai.azure.com", "stackoverflow.com", "pypi.org", "www.npmjs.com", "errors.pydantic.dev",
        "httpstatuses.com", "developer.mozilla.org", "www.w3.org", "json-schema.org",
        // bind-all addresses are where a server listens, not where a client sends
        "0.0.0.0", "[::]",
    ]

    /// The rank of a host (lower is better), or `nil` when it is never reported.
    static func hostRank(_ host: String, https: Bool) -> Int? {
        if excludedHosts.contains(host) || host.hasPrefix("docs.") || host.hasPrefix("learn.") { return nil }
        if host.hasSuffix(".openai.azure.com") || host.hasSuffix(".cognitiveservices.azure.com")
            || host.hasSuffix(".services.ai.azure.com") || host == "api.openai.com"
        {
            return 0
        }
        if host.hasSuffix(".models.ai.azure.com") || host.hasSuffix(".inference.ai.azure.com")
            || host.hasSuffix(".azure-api.net") || host.hasSuffix(".openai.azure.us")
        {
            return 1
        }
        guard host.contains(".") || host == "localhost" else { return nil }
        return https ? 2 : 3
    }

    // MARK: exception

    /// An exception class at the start of a line (after indentation, a .NET ` ---> ` marker or
    /// `Unhandled exception. `), followed by `: ` or the end of the line. Also at the start of a
    /// JSON string value (`"stack":"…`) and of an escaped line (`\n`) inside one.
    static let exceptionAtLineStart =
        #"(?:^|\\n|:\s?")[ \t]{0,40}(?:--->[ \t]{0,4}|Unhandled exception\.[ \t]{0,4})?(?<v>(?:[A-Za-z_][A-Za-z0-9_]{0,80}\.){0,12}[A-Za-z_][A-Za-z0-9_]{0,80}(?:Error|Exception|Timeout|Failure|Interrupt|Exit))(?=:[ \t]|:?[ \t]*(?:\r?$|\\r|\\n))"#
    /// Fallback when no line starts with an exception: a qualified SDK exception class quoted
    /// mid-line, as litellm and loggers print them (`Error during LLM inference: litellm.AuthenticationError: …`),
    /// or an unqualified openai-node / openai-python status error class followed by a status
    /// (`Unhandled error type AuthenticationError: 401 …`, as LibreChat logs them).
    static let exceptionInLine =
        #"(?<![\w.])(?<v>(?:litellm|openai|httpx|httpcore|requests|aiohttp|azure|Azure|System|Microsoft|OpenAI)(?:\.[A-Za-z_][A-Za-z0-9_]{0,80}){0,8}\.[A-Za-z_][A-Za-z0-9_]{0,80}(?:Error|Exception|Timeout)(?=:)|(?:BadRequest|Authentication|PermissionDenied|NotFound|Conflict|UnprocessableEntity|RateLimit|InternalServer)Error(?=: (?:Error code: )?[2-5][0-9][0-9]\b))"#
    /// Class names too generic to report on their own.
    static let genericExceptions: Set<String> = ["Error", "Exception"]

    // MARK: versions

    /// A version number: numeric dot parts and an optional semver or PEP 440 suffix, not cut off
    /// in the middle of a longer token.
    static let version =
        #"(?<v>(?>[0-9]{1,9}(?:\.[0-9]{1,9}){1,3}(?:-(?:alpha|beta|preview|rc|pre)(?:[.-]?[0-9]{1,9}){0,3}|(?:a|b|rc)[0-9]{1,9})?(?:\.post[0-9]{1,9})?(?:\.dev[0-9]{1,9})?))(?![A-Za-z0-9])"#

    /// Version patterns: `key` is the package name (`v` the version, `p` the package when the
    /// pattern reads it from the text, see ``packageName(_:)``).
    static let versions: [ValueSpec] = [
        // Azure SDK for .NET User-Agent: azsdk-net-AI.OpenAI/2.0.0-beta.2, azsdk-net-Core/1.44.1
        ValueSpec(key: "", pattern: #"\bazsdk-net-(?<p>[A-Za-z][\w.]{0,60})/v?"# + version, packagePrefix: "Azure."),
        // Azure SDK for Python User-Agent: azsdk-python-ai-inference/1.0.0b5
        ValueSpec(key: "", pattern: #"\bazsdk-python-(?<p>[a-z][\w-]{0,60})/v?"# + version, packagePrefix: "azure-"),
        // OpenAI .NET User-Agent: OpenAI/2.0.0 (.NET 8.0.10; …)
        ValueSpec(key: "OpenAI", pattern: #"(?<![\w./-])OpenAI/"# + version + #" \(\.NET"#),
        // NuGet package references, dotnet restore / list package output, project.assets.json
        ValueSpec(
            key: "",
            pattern:
                #"(?<![\w.])(?<p>Azure\.AI\.OpenAI|Azure\.Core|Azure\.Identity|Microsoft\.KernelMemory(?:\.[A-Za-z]\w{0,40}){0,4}|Microsoft\.SemanticKernel(?:\.[A-Za-z]\w{0,40}){0,4})(?:"\s{1,4}Version="|['"]?\s{1,20}|/|\s{0,3}:\s{0,3})v?"#
                + version),
        // openai-python User-Agent: OpenAI/Python 1.51.0, AsyncOpenAI/Python 1.51.0
        ValueSpec(key: "openai", pattern: #"\b(?:Async)?OpenAI/Python "# + version),
        // openai==1.51.0 (any case); openai 1.51.0 (pip list), openai-1.51.0 (pip install),
        // openai version 1.51.0 — lowercase only, so prose such as "OpenAI 4.0" is not read as a version
        ValueSpec(key: "openai", pattern: #"(?<![\w.-])openai\s{0,3}==\s{0,3}v?"# + version, options: .caseless),
        ValueSpec(key: "openai", pattern: #"(?<![\w.-])openai(?:[ \t]{1,20}|-|\s{0,3}version:?\s{0,3})v?"# + version),
        // openai-node: OpenAI/JS 4.67.3, openai@4.67.3
        ValueSpec(key: "openai-node", pattern: #"\bOpenAI/JS "# + version),
        ValueSpec(key: "openai-node", pattern: #"(?<![\w/@.-])openai@"# + version),
        // litellm==1.52.0, litellm 1.52.0, litellm-1.52.0, litellm version 1.52.0,
        // LiteLLM: Current Version = 1.52.0
        ValueSpec(
            key: "litellm",
            pattern:
                #"(?<![\w.-])litellm(?:\s{0,3}==\s{0,3}|[ \t]{1,20}|-|\s{0,3}version:?\s{0,3}|:\s{0,3}current version\s{0,3}[=:]\s{0,3})v?"#
                + version,
            options: .caseless),
        // LiteLLM Proxy … v1.52.0
        ValueSpec(key: "litellm", pattern: #"\bLiteLLM Proxy\b[^\n]{0,120}?\bv"# + version, options: .caseless),
        // langchain-openai==0.2.3, langchain_openai 0.2.3
        ValueSpec(
            key: "langchain-openai",
            pattern: #"(?<![\w.-])langchain[-_]openai(?:\s{0,3}==\s{0,3}|[ \t]{1,20}|-)v?"# + version,
            options: .caseless),
        // jupyter_ai 2.28.2, jupyter-ai==2.28.2, Jupyter AI v2.28.2
        ValueSpec(
            key: "jupyter_ai", pattern: #"(?<![\w.-])jupyter[-_ ]ai(?:\s{0,3}==\s{0,3}|[ \t]{1,20}|-)v?"# + version,
            options: .caseless),
        // LibreChat v0.7.7
        ValueSpec(key: "LibreChat", pattern: #"\bLibreChat[ \t:|]{1,5}v"# + version, options: .caseless),
        // "version":"v0.7.7" on a line naming LibreChat (either order)
        ValueSpec(
            key: "LibreChat", pattern: #"\bLibreChat\b[^\n]{0,300}?"version"\s{0,3}:\s{0,3}"v"# + version + #"""#,
            options: .caseless),
        ValueSpec(
            key: "LibreChat", pattern: #""version"\s{0,3}:\s{0,3}"v"# + version + #""[^\n]{0,300}?\bLibreChat\b"#,
            options: .caseless),
        // Kernel Memory v0.90…, Kernel Memory service, version 0.90.241021.1
        ValueSpec(
            key: "Microsoft.KernelMemory",
            pattern: #"\bKernel ?Memory(?: service)?(?:,?\s{1,3}version\s{0,3}:?\s{0,3}|\s{1,3})v?"# + version,
            options: .caseless),
        // Semantic-Kernel-Version: 1.25.0 (request header added by Semantic Kernel)
        ValueSpec(
            key: "Microsoft.SemanticKernel",
            pattern: #"\bSemantic-Kernel-Version['"]?\s{0,3}[:=]\s{0,3}['"]?"# + version, options: .caseless),
        // pr-agent==0.24, pr_agent 0.24, codiumai/pr-agent:0.24
        ValueSpec(
            key: "pr-agent", pattern: #"(?<![\w.-])pr[-_]agent(?:\s{0,3}==\s{0,3}|[ \t]{1,20}|-|:)v?"# + version,
            options: .caseless),
    ]

    /// Literals of which one occurs in every line that ``versions`` can match (ASCII
    /// case-insensitive). `versions(inLine:)` checks them first, so the contract holds by
    /// construction; each pattern here names one of them.
    static let versionLiterals: [String] = [
        "azsdk-net-", "azsdk-python-", "openai", "litellm", "jupyter", "librechat", "kernelmemory", "kernel memory",
        "semantickernel", "semantic-kernel", "pr-agent", "pr_agent", "azure.core", "azure.identity",
    ]

    /// The package name rules use for a name read from the text (after ``ValueSpec/packagePrefix``):
    /// `Microsoft.KernelMemory.Core` → `Microsoft.KernelMemory`,
    /// `Microsoft.SemanticKernel.Connectors.OpenAI` → `Microsoft.SemanticKernel`; others unchanged
    /// (`Azure.AI.OpenAI`, `Azure.Core`, `azure-ai-inference`).
    static func packageName(_ name: String) -> String {
        if name.hasPrefix("Microsoft.KernelMemory") { return "Microsoft.KernelMemory" }
        if name.hasPrefix("Microsoft.SemanticKernel") { return "Microsoft.SemanticKernel" }
        return name
    }
}
