/// The rule files shipped with faultline, embedded in the binary at build time from `rules/`.
public enum ShippedRules {
    /// Each shipped rule file as `(path, contents)`, the path relative to the package root
    /// (`rules/auth/unexpanded-env-var.yaml`), sorted by path.
    public static var files: [(path: String, contents: String)] { EmbeddedRuleFiles.all }
}
