/// Removes secrets from text that faultline is about to show: evidence excerpts, captured values.
///
/// Redaction keeps a hint of the secret's shape (`sk-proj-…REDACTED`, `Bearer [REDACTED]`,
/// `[REDACTED-JWT]`) because the *kind* of credential is often evidence (an OpenAI key sent to
/// Azure, an Entra token where a key was expected). Unexpanded references — `$OPENAI_API_KEY`,
/// `${AZURE_API_KEY}`, `os.environ/AZURE_API_KEY`, `<your-key>` — and values that are already
/// masked (`sk-abc****wxyz`, `REDACTED`) are kept verbatim: they are the evidence of
/// `auth.unexpanded-env-var` and friends, and they are not secrets.
///
/// The scanner is hand-written over UTF-8 bytes: one forward pass, every look-ahead bounded by
/// the token it inspects, so it stays linear on a hostile megabyte-long line. It lives in
/// FaultlineText, which has no dependencies, so every layer can use it.
public enum Redactor {
    /// The marker that replaces a secret whose shape gives no useful hint.
    public static let marker = "[REDACTED]"
    /// The marker that replaces a JSON Web Token.
    public static let jwtMarker = "[REDACTED-JWT]"

    /// Returns `text` with secrets replaced by a marker that keeps a hint of their shape.
    ///
    /// Covered: OpenAI keys (`sk-…`, `sk-proj-…`, `sk-svcacct-…` with 20+ key characters);
    /// values of key-ish fields (`api-key`, `api_key`, `apiKey`, `AZURE_OPENAI_API_KEY`,
    /// `Ocp-Apim-Subscription-Key`, `x-api-key`, `subscription-key`, `AccountKey`,
    /// `SharedAccessKey`, …) in HTTP-header, env, JSON, Python-repr, YAML and TOML quoting;
    /// `Authorization:` values and `Bearer <token>` anywhere; JWTs anywhere; connection-string
    /// `Password=`/`pwd=`; `scheme://user:password@host`; GitHub tokens (`ghp_…`,
    /// `github_pat_…`); and `secret`/`token`/`password`/`client_secret` fields with 12+
    /// character values.
    ///
    /// Kept verbatim: unexpanded references (`$VAR`, `${VAR}`, `%VAR%`, `os.environ/VAR`,
    /// `process.env.VAR`), placeholders (`<your-key>`, `YOUR_API_KEY`, `xxxx`), masked values
    /// (`***`, `sk-abc****wxyz`, `…`), `REDACTED`, `None`/`null`/`undefined`, and all text that is
    /// not in one of the shapes above. Redacting twice gives the same result as redacting once.
    ///
    /// - Complexity: O(n) in the UTF-8 length of `text`.
    public static func redact(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count >= 6 else { return text }
        var scanner = RedactionScanner(bytes)
        guard let output = scanner.run() else { return text }
        return String(decoding: output, as: UTF8.self)
    }

    /// Returns a captured `value` redacted as if it were the value of a field named `field`.
    ///
    /// A bare 32-hex-digit string is not a secret on its own (it may be a commit id or a request
    /// id), but captured as `api_key` it is. The engine calls this for every captured value, with
    /// the capture's name: `redact(value: "0123…", field: "api_key")` gives `[REDACTED]`, while
    /// `redact(value: "$OPENAI_API_KEY", field: "api_key")` keeps the reference. Values that
    /// contain a secret of a recognisable shape are redacted whatever the field.
    public static func redact(value: String, field: String) -> String {
        let keyed = Array(field.utf8) + Array("=".utf8)
        let bytes = keyed + Array(value.utf8)
        var scanner = RedactionScanner(bytes)
        guard let output = scanner.run(), output.starts(with: keyed) else { return redact(value) }
        return String(decoding: output[keyed.count...], as: UTF8.self)
    }
}
