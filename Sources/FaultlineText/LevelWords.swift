/// The level vocabulary, once: the words loggers write for a level and the level each names (by
/// rank: 0 trace, 1 debug, 2 info, 3 warning, 4 error, 5 critical), and the words a log prefix's
/// level column holds. The event layer reads levels through these tables; unclassified
/// templating strips level columns with the column lists.
public enum LevelWords {
    /// Upper-case level words (Python logging, loguru, Log4j-style text).
    public static let upper: [(word: String, rank: UInt8)] = [
        ("INFO", 2), ("WARN", 3), ("ERROR", 4), ("DEBUG", 1), ("TRACE", 0), ("FATAL", 5), ("WARNING", 3),
        ("CRITICAL", 5),
    ]

    /// Lower-case level words (Winston, the .NET console logger's `fail:`/`crit:`, JSON records).
    public static let lower: [(word: String, rank: UInt8)] = [
        ("fail", 4), ("info", 2), ("warn", 3), ("crit", 5), ("dbug", 1), ("trce", 0), ("error", 4), ("debug", 1),
        ("fatal", 5), ("trace", 0), ("silly", 0), ("warning", 3), ("verbose", 1), ("critical", 5),
        ("information", 2),
    ]

    /// Serilog's three-letter levels (`[04:30:08 ERR]`).
    public static let serilog: [(word: String, rank: UInt8)] = [
        ("ERR", 4), ("WRN", 3), ("INF", 2), ("DBG", 1), ("VRB", 0), ("FTL", 5),
    ]

    /// Three-letter forms read in any case in a JSON record's level field.
    public static let shortAnyCase: [(word: String, rank: UInt8)] = [
        ("err", 4), ("wrn", 3), ("inf", 2), ("dbg", 1), ("ftl", 5),
    ]

    /// Upper-case words a log prefix's level column holds, levels faultline maps or not
    /// (`NOTICE`, `SEVERE`, `EXCEPTION`): what unclassified templating strips as a level.
    public static let columnUpper: [String] = [
        "TRACE", "DEBUG", "INFO", "NOTICE", "WARNING", "WARN", "ERROR", "ERR", "CRITICAL", "CRIT", "FATAL",
        "SEVERE", "EXCEPTION", "ALERT", "EMERG", "FAIL", "FAILURE",
    ]

    /// Lower-case words of a level column (Winston's `http`, `silly`, the .NET console logger's
    /// four-letter forms).
    public static let columnLower: [String] = [
        "trace", "debug", "info", "notice", "warning", "warn", "error", "fatal", "critical", "crit", "fail", "dbug",
        "trce", "verbose", "silly", "http",
    ]

    /// A table of level words by length, for a lookup with no allocation.
    public struct Table: Sendable {
        @usableFromInline let byLength: [[(bytes: [UInt8], rank: UInt8)]]

        /// A table of `words` (each at most 16 bytes).
        public init(_ words: [(word: String, rank: UInt8)]) {
            var byLength = [[(bytes: [UInt8], rank: UInt8)]](repeating: [], count: 17)
            for (word, rank) in words where word.utf8.count <= 16 {
                byLength[word.utf8.count].append((Array(word.utf8), rank))
            }
            self.byLength = byLength
        }

        /// The rank of the word equal to `w` byte for byte, or `nil`.
        @inlinable
        public func rank(_ w: UnsafeBufferPointer<UInt8>) -> UInt8? {
            guard w.count < byLength.count else { return nil }
            for entry in byLength[w.count] where entry.bytes.elementsEqual(w) { return entry.rank }
            return nil
        }
    }

    /// ``upper`` as a table.
    public static let upperTable = Table(upper)
    /// ``lower`` as a table.
    public static let lowerTable = Table(lower)
    /// ``serilog`` as a table.
    public static let serilogTable = Table(serilog)
    /// ``shortAnyCase`` as a table.
    public static let shortAnyCaseTable = Table(shortAnyCase)
}
