import CPCRE2

/// Compile-time options for a ``Regex``, mapped one to one onto PCRE2 option bits.
///
/// Patterns are always compiled in byte mode (no `PCRE2_UTF`), so subjects may hold
/// arbitrary bytes, including invalid UTF-8.
public struct RegexOptions: OptionSet, Sendable, Hashable {
    /// The PCRE2 option bits.
    public let rawValue: UInt32

    /// Creates an option set from raw PCRE2 option bits.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// ASCII case-insensitive matching (`PCRE2_CASELESS`, same as `(?i)`).
    public static let caseless = RegexOptions(rawValue: UInt32(PCRE2_CASELESS))
    /// `^` and `$` also match at internal newlines (`PCRE2_MULTILINE`, same as `(?m)`).
    public static let multiline = RegexOptions(rawValue: UInt32(PCRE2_MULTILINE))
    /// `.` also matches a newline (`PCRE2_DOTALL`, same as `(?s)`).
    public static let dotAll = RegexOptions(rawValue: UInt32(PCRE2_DOTALL))
    /// Whitespace and `#` comments in the pattern are ignored (`PCRE2_EXTENDED`, same as `(?x)`).
    public static let extended = RegexOptions(rawValue: UInt32(PCRE2_EXTENDED))
}

/// A pattern that PCRE2 refused to compile.
public struct RegexCompileError: Error, Sendable, CustomStringConvertible {
    /// PCRE2's positive compile error code.
    public let code: Int32
    /// PCRE2's own message for ``code``.
    public let message: String
    /// Byte offset in the pattern's UTF-8 at which PCRE2 detected the error.
    public let offset: Int

    /// Creates a compile error value.
    public init(code: Int32, message: String, offset: Int) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    /// `"<message> at offset <offset>"`.
    public var description: String {
        "\(message) at offset \(offset)"
    }
}

/// A match attempt that ended without an answer (neither a match nor a proven non-match).
public enum RegexMatchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The match limit (backtracking steps) was reached (`PCRE2_ERROR_MATCHLIMIT`).
    case matchLimitExceeded
    /// The depth limit (nested backtracking) was reached (`PCRE2_ERROR_DEPTHLIMIT`).
    case depthLimitExceeded
    /// The interpreter's heap limit was reached (`PCRE2_ERROR_HEAPLIMIT`).
    case heapLimitExceeded
    /// The JIT stack was too small for this match (`PCRE2_ERROR_JIT_STACKLIMIT`).
    case jitStackExhausted
    /// Any other negative PCRE2 result, with PCRE2's own message.
    case other(code: Int32, message: String)

    /// Maps a negative PCRE2 match result (other than "no match") to an error value.
    init(pcre2Code code: Int32) {
        switch code {
        case PCRE2_ERROR_MATCHLIMIT: self = .matchLimitExceeded
        case PCRE2_ERROR_DEPTHLIMIT: self = .depthLimitExceeded
        case PCRE2_ERROR_HEAPLIMIT: self = .heapLimitExceeded
        case PCRE2_ERROR_JIT_STACKLIMIT: self = .jitStackExhausted
        default: self = .other(code: code, message: pcre2ErrorMessage(code))
        }
    }

    /// A short human-readable description.
    public var description: String {
        switch self {
        case .matchLimitExceeded: "regex match limit exceeded"
        case .depthLimitExceeded: "regex depth limit exceeded"
        case .heapLimitExceeded: "regex heap limit exceeded"
        case .jitStackExhausted: "regex JIT stack exhausted"
        case .other(let code, let message): "regex match error \(code): \(message)"
        }
    }
}

/// PCRE2's message text for an error code (compile or match).
func pcre2ErrorMessage(_ code: Int32) -> String {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { buffer -> String in
        guard let base = buffer.baseAddress else { return "PCRE2 error \(code)" }
        let length = pcre2_get_error_message_8(code, base, buffer.count)
        guard length > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: UnsafeBufferPointer(start: base, count: Int(length)), as: UTF8.self)
    }
}
