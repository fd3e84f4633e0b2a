import CPCRE2

/// A compiled PCRE2 pattern (byte mode, JIT-compiled when possible).
///
/// `@unchecked Sendable` is sound because every stored property is set once in `init` and never
/// mutated afterwards, and PCRE2 documents a compiled `pcre2_code` as safe to use from many
/// threads at once as long as each thread uses its own match data and JIT stack — which live in
/// ``MatchScratch``, a non-Sendable per-worker object.
public final class Regex: @unchecked Sendable {
    /// The pattern source as given.
    public let pattern: String
    /// The options the pattern was compiled with.
    public let options: RegexOptions
    /// The match limit set on every match (`pcre2_set_match_limit`).
    public let matchLimit: UInt32
    /// The depth limit set on every match (`pcre2_set_depth_limit`).
    public let depthLimit: UInt32
    /// `true` when JIT compilation succeeded; otherwise matches run in the interpreter.
    public let isJIT: Bool
    /// Number of capture groups, excluding group 0.
    public let captureCount: Int
    /// Named groups, sorted by index.
    public let namedGroups: [(name: String, index: Int)]
    /// Group name to index (the lowest index when a name is used more than once).
    public let groupIndexByName: [String: Int]

    private let code: OpaquePointer
    /// Extra `pcre2_match` options: `PCRE2_NO_JIT` when JIT was not requested.
    private let matchOptions: UInt32

    /// Compiles `pattern` in byte mode and JIT-compiles it when the platform supports it.
    ///
    /// - Parameters:
    ///   - pattern: PCRE2 pattern source; its UTF-8 bytes are compiled (no `PCRE2_UTF`).
    ///   - options: compile options.
    ///   - matchLimit: PCRE2 match limit applied to every match.
    ///   - depthLimit: PCRE2 depth limit applied to every match (interpreter only; JIT uses its stack).
    /// - Throws: ``RegexCompileError`` with PCRE2's code, message and byte offset.
    public convenience init(
        _ pattern: String, options: RegexOptions = [], matchLimit: UInt32 = 2_000_000, depthLimit: UInt32 = 20_000
    ) throws(RegexCompileError) {
        try self.init(pattern, options: options, matchLimit: matchLimit, depthLimit: depthLimit, useJIT: true)
    }

    /// Like ``init(_:options:matchLimit:depthLimit:)``, but `useJIT: false` forces the interpreter
    /// (for tests that compare JIT and interpreter results, or for debugging).
    public init(
        _ pattern: String, options: RegexOptions, matchLimit: UInt32, depthLimit: UInt32, useJIT: Bool
    ) throws(RegexCompileError) {
        self.pattern = pattern
        self.options = options
        self.matchLimit = matchLimit
        self.depthLimit = depthLimit

        var errorCode: Int32 = 0
        var errorOffset = 0
        let bytes = Array(pattern.utf8)
        let compiled: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            // A non-nil pointer is required even for the empty pattern.
            withUnsafePointer(to: UInt8(0)) { zero in
                pcre2_compile_8(
                    buffer.baseAddress ?? zero, buffer.count, options.rawValue, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw RegexCompileError(code: errorCode, message: pcre2ErrorMessage(errorCode), offset: errorOffset)
        }
        code = compiled

        let jit = useJIT && pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
        isJIT = jit
        matchOptions = jit ? 0 : UInt32(PCRE2_NO_JIT)

        var count: UInt32 = 0
        _ = pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)

        let names = Self.readNameTable(compiled)
        namedGroups = names
        var byName: [String: Int] = [:]
        for entry in names where byName[entry.name] == nil {
            byName[entry.name] = entry.index
        }
        groupIndexByName = byName
    }

    deinit {
        pcre2_code_free_8(code)
    }

    private static func readNameTable(_ code: OpaquePointer) -> [(name: String, index: Int)] {
        var nameCount: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>? = nil
        guard pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &nameCount) == 0, nameCount > 0,
            pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize) == 0, entrySize > 2,
            pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table) == 0, let table
        else { return [] }
        var result: [(name: String, index: Int)] = []
        for entry in 0..<Int(nameCount) {
            let base = table + entry * Int(entrySize)
            let index = Int(base[0]) << 8 | Int(base[1])
            var length = 0
            while length < Int(entrySize) - 2, base[2 + length] != 0 { length += 1 }
            let name = String(decoding: UnsafeBufferPointer(start: base + 2, count: length), as: UTF8.self)
            result.append((name: name, index: index))
        }
        result.sort { $0.index < $1.index }
        return result
    }

    /// Runs `pcre2_match` and returns its result code (> 0 or 0: match; `PCRE2_ERROR_NOMATCH`: none).
    @inline(__always)
    private func run(_ subject: UnsafeBufferPointer<UInt8>, from start: Int, scratch: MatchScratch)
        throws(RegexMatchError) -> Int32
    {
        guard let context = scratch.matchContext, let matchData = scratch.matchData else {
            throw RegexMatchError(pcre2Code: PCRE2_ERROR_NOMEMORY)
        }
        pcre2_set_match_limit_8(context, matchLimit)
        pcre2_set_depth_limit_8(context, depthLimit)
        let base = subject.baseAddress.map { UnsafePointer($0) } ?? UnsafePointer(scratch.emptySubject)
        let result = pcre2_match_8(code, base, subject.count, start, matchOptions, matchData, context)
        if result < 0, result != PCRE2_ERROR_NOMATCH {
            throw RegexMatchError(pcre2Code: result)
        }
        return result
    }

    /// First match at or after byte offset `start` in `subject` (borrowed, not copied).
    ///
    /// Allocates only to build the returned ``RegexMatch``.
    /// - Returns: the match, or `nil` when there is none (also when `start` is outside `0...subject.count`).
    /// - Throws: ``RegexMatchError`` when a limit ends the attempt.
    public func firstMatch(in subject: UnsafeBufferPointer<UInt8>, from start: Int = 0, using scratch: MatchScratch)
        throws(RegexMatchError) -> RegexMatch?
    {
        guard start >= 0, start <= subject.count else { return nil }
        scratch.ensureCapacity(pairs: captureCount + 1, for: code)
        let result = try run(subject, from: start, scratch: scratch)
        guard result >= 0, let matchData = scratch.matchData else { return nil }
        let ovector = pcre2_get_ovector_pointer_8(matchData)
        let pairs = min(captureCount + 1, Int(pcre2_get_ovector_count_8(matchData)))
        var ranges: [Range<Int>?] = []
        ranges.reserveCapacity(captureCount + 1)
        if let ovector {
            for group in 0..<pairs {
                let lower = ovector[2 * group]
                let upper = ovector[2 * group + 1]
                // PCRE2_UNSET is ~(size_t)0, which imports as -1; \K may also yield lower > upper.
                if lower < 0 || upper < 0 || lower > upper {
                    ranges.append(nil)
                } else {
                    ranges.append(lower..<upper)
                }
            }
        }
        while ranges.count < captureCount + 1 { ranges.append(nil) }
        return RegexMatch(ranges: ranges, names: groupIndexByName)
    }

    /// First match at or after byte offset `start` in `subject`.
    public func firstMatch(in subject: [UInt8], from start: Int = 0, using scratch: MatchScratch)
        throws(RegexMatchError) -> RegexMatch?
    {
        let result = subject.withUnsafeBufferPointer { buffer in
            Result { () throws(RegexMatchError) -> RegexMatch? in
                try firstMatch(in: buffer, from: start, using: scratch)
            }
        }
        return try result.get()
    }

    /// First match in the UTF-8 bytes of `subject`; ranges are UTF-8 byte offsets.
    public func firstMatch(in subject: String, using scratch: MatchScratch) throws(RegexMatchError) -> RegexMatch? {
        var copy = subject
        let result = copy.withUTF8 { buffer in
            Result { () throws(RegexMatchError) -> RegexMatch? in
                try firstMatch(in: buffer, from: 0, using: scratch)
            }
        }
        return try result.get()
    }

    /// Whether the pattern matches anywhere in `subject`. Does not allocate.
    public func matches(_ subject: UnsafeBufferPointer<UInt8>, using scratch: MatchScratch) throws(RegexMatchError)
        -> Bool
    {
        try run(subject, from: 0, scratch: scratch) >= 0
    }
}
