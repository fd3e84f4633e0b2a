import FaultlineModel
import FaultlineRegex
import FaultlineText

/// Extracts the concrete values a report quotes — status, provider error code, exception chain,
/// endpoint host, deployment, api-version, model, retries, request id, streaming flag — from the
/// text of one matched event, and package versions from single lines.
///
/// All patterns are constant and compiled once in ``init()``. Each carries the literals it
/// requires (derived with `LiteralExtractor`); one literal scan over the text decides which
/// patterns can match at all, so most are never run. The value is a pure function of the text.
///
/// Keys and their sources are listed in `docs/values.md`. Secrets are never extracted: no
/// pattern captures a key, token or the credentials of a URL.
public struct ValueExtractor: Sendable {
    /// A compiled pattern with its spec.
    struct Compiled: Sendable {
        let spec: ValueSpec
        let regex: Regex
        let value: Int
        let quote: Int?
        let https: Int?
        let package: Int?
        let path: Int?
    }

    /// Patterns grouped for one literal scan: `always` run whatever the text; `byLiteral[i]`
    /// lists the patterns that literal `i` of `scanner` makes possible.
    struct Group: Sendable {
        let patterns: [Compiled]
        let scanner: LiteralSetScanner
        let byLiteral: [[Int]]
        let always: [Int]

        init(_ patterns: [Compiled]) {
            var literals: [[UInt8]] = []
            var byLiteral: [[Int]] = []
            var always: [Int] = []
            for (index, pattern) in patterns.enumerated() {
                guard
                    let required = LiteralExtractor.required(
                        pattern: pattern.spec.pattern, options: pattern.spec.options)
                else {
                    always.append(index)
                    continue
                }
                for literal in required.alternatives {
                    literals.append(literal)
                    byLiteral.append([index])
                }
            }
            self.patterns = patterns
            self.scanner = LiteralSetScanner(literals: literals)
            self.byLiteral = byLiteral
            self.always = always
        }

        /// Which patterns may match in `text` (in table order).
        func candidates(in text: UnsafeBufferPointer<UInt8>) -> [Bool] {
            var possible = [Bool](repeating: false, count: patterns.count)
            for index in always { possible[index] = true }
            scanner.scan(text) { literal in
                for index in byLiteral[literal] { possible[index] = true }
            }
            return possible
        }
    }

    let event: Group
    let versionGroup: Group
    /// Scanner over ``versionLiterals``: a line without any of them has no versions.
    let versionGate: LiteralSetScanner
    let hostPatterns: [Compiled]
    let requestLinePath: Compiled?
    let exceptionAtLineStart: Compiled?
    let exceptionInLine: Compiled?

    /// Compiles every pattern. A pattern that fails to compile (a programming error, caught by the
    /// tests) is dropped; extraction then simply lacks that pattern.
    public init() {
        event = Group(ValuePatterns.event.compactMap(Self.compile))
        versionGroup = Group(ValuePatterns.versions.compactMap(Self.compile))
        versionGate = LiteralSetScanner(literals: ValuePatterns.versionLiterals.map { Array($0.utf8) })
        hostPatterns = [
            ValueSpec(name: .host, pattern: ValuePatterns.urlHost, options: .caseless),
            ValueSpec(name: .host, pattern: ValuePatterns.bareAzureHost, options: .caseless),
        ].compactMap(Self.compile)
        requestLinePath = Self.compile(ValueSpec(name: .path, pattern: ValuePatterns.requestLinePath))
        exceptionAtLineStart = Self.compile(
            ValueSpec(name: .exception, pattern: ValuePatterns.exceptionAtLineStart, options: .multiline))
        exceptionInLine = Self.compile(ValueSpec(name: .exception, pattern: ValuePatterns.exceptionInLine))
    }

    /// Number of patterns that compiled (for tests: every table entry must compile).
    var compiledPatternCount: Int {
        event.patterns.count + versionGroup.patterns.count + hostPatterns.count + (requestLinePath == nil ? 0 : 1)
            + (exceptionAtLineStart == nil ? 0 : 1) + (exceptionInLine == nil ? 0 : 1)
    }

    /// Number of patterns in the tables.
    static var tablePatternCount: Int { ValuePatterns.event.count + ValuePatterns.versions.count + 5 }

    static func compile(_ spec: ValueSpec) -> Compiled? {
        guard let regex = try? Regex(spec.pattern, options: spec.options), let value = regex.groupIndexByName["v"]
        else { return nil }
        return Compiled(
            spec: spec, regex: regex, value: value, quote: regex.groupIndexByName["q"],
            https: regex.groupIndexByName["s"], package: regex.groupIndexByName["p"],
            path: regex.groupIndexByName["path"])
    }

    /// Literals of which one must occur (ASCII case-insensitively) in a line for
    /// ``versions(inLine:using:)`` to find anything, so callers can skip other lines cheaply.
    public var versionLiterals: [String] { ValuePatterns.versionLiterals }

    // MARK: - Event values

    /// Values found in one event's text; a key is present only when its value was found.
    ///
    /// Keys: the names of ``standardNames`` except `version.<package>` (see
    /// ``versions(inLine:using:)``). Where a pattern value occurs more than once the earliest
    /// occurrence wins, except `deployment` (the URL path first, then explicit settings), `host` and
    /// `path` (API hosts before any other host; `path` is the path of the URL that gave `host`),
    /// `retry_count` (the largest) and `exception` (the whole chain, outermost to innermost).
    ///
    /// The event's error body (``ErrorBody/find(in:)``) is read last: for every key it states
    /// (`error.code`, `error.type`, `error.message`, `error.param`, `status`, `error.inner_code`,
    /// `content_filter.category`, `content_filter.severity`) its value replaces the pattern value;
    /// patterns supply the keys the body lacks. `error.message` is passed through
    /// `Redactor.redact(_:)`.
    public func values(in text: String, using scratch: MatchScratch) -> [String: String] {
        var copy = text
        return copy.withUTF8 { buffer in values(in: buffer, using: scratch) }
    }

    /// ``values(in:using:)`` over UTF-8 bytes (which need not be valid UTF-8).
    public func values(in text: UnsafeBufferPointer<UInt8>, using scratch: MatchScratch) -> [String: String] {
        var result: [String: String] = [:]
        let possible = event.candidates(in: text)
        // Best so far per key: (rank, value); a lower rank wins.
        var best: [String: (rank: Int, value: String)] = [:]
        var maximum: [String: Int] = [:]
        for (index, pattern) in event.patterns.enumerated() where possible[index] {
            let key = pattern.spec.key
            let policy = ValuePatterns.policies[key] ?? .earliest
            switch policy {
            case .earliest:
                guard let found = firstValue(pattern, in: text, using: scratch) else { continue }
                if let current = best[key], current.rank <= found.start { continue }
                best[key] = (found.start, found.value)
            case .priority:
                if best[key] != nil { continue }
                guard let found = firstValue(pattern, in: text, using: scratch) else { continue }
                best[key] = (0, found.value)
            case .maximum:
                for found in allValues(pattern, in: text, using: scratch) {
                    guard let number = Int(found.value) else { continue }
                    maximum[key] = max(maximum[key] ?? number, number)
                }
            }
        }
        for (key, entry) in best { result[key] = entry.value }
        for (key, number) in maximum { result[key] = String(number) }
        let endpoint = host(in: text, using: scratch)
        if let host = endpoint?.host { result["host"] = host }
        if let path = endpoint?.path ?? requestPath(in: text, using: scratch) { result["path"] = path }
        if let body = ErrorBody.find(in: text) {
            for (key, value) in body.fields { result[key] = value }
        }
        if let message = result["error.message"] {
            result["error.message"] = Redactor.redact(Self.withoutKeyEcho(message))
        }
        if let chain = exceptionChain(in: text, using: scratch) { result["exception"] = chain }
        return result
    }

    /// The first acceptable value of `pattern` in `text`, with the byte offset of its match.
    func firstValue(_ pattern: Compiled, in text: UnsafeBufferPointer<UInt8>, using scratch: MatchScratch)
        -> (start: Int, value: String)?
    {
        var from = 0
        while let match = Self.match(pattern.regex, in: text, from: from, using: scratch) {
            if let value = accepted(pattern, match, in: text) {
                return (match.range(0)?.lowerBound ?? 0, value)
            }
            from = Self.next(after: match, from: from)
            if from > text.count { break }
        }
        return nil
    }

    /// Every acceptable value of `pattern` in `text`, with the byte offsets of their matches.
    func allValues(_ pattern: Compiled, in text: UnsafeBufferPointer<UInt8>, using scratch: MatchScratch)
        -> [(start: Int, value: String, match: RegexMatch)]
    {
        var found: [(start: Int, value: String, match: RegexMatch)] = []
        var from = 0
        while let match = Self.match(pattern.regex, in: text, from: from, using: scratch) {
            if let value = accepted(pattern, match, in: text) {
                found.append((match.range(0)?.lowerBound ?? 0, value, match))
            }
            from = Self.next(after: match, from: from)
            if from > text.count { break }
        }
        return found
    }

    /// Runs one match; a match-limit error counts as no match.
    static func match(
        _ regex: Regex, in text: UnsafeBufferPointer<UInt8>, from start: Int, using scratch: MatchScratch
    ) -> RegexMatch? {
        do {
            return try regex.firstMatch(in: text, from: start, using: scratch)
        } catch {
            return nil
        }
    }

    /// Where the next search starts: after the match, and always past `from`.
    static func next(after match: RegexMatch, from: Int) -> Int {
        max((match.range(0)?.upperBound ?? from), from + 1)
    }

    /// The captured value after ``ValueSpec/check`` and ``ValueSpec/transform``, or `nil`.
    func accepted(_ pattern: Compiled, _ match: RegexMatch, in text: UnsafeBufferPointer<UInt8>) -> String? {
        guard let range = match.range(pattern.value), !range.isEmpty else { return nil }
        var value = String(decoding: UnsafeBufferPointer(rebasing: text[range]), as: UTF8.self)
        switch pattern.spec.check {
        case .any:
            break
        case .notPlaceholder:
            if Self.isPlaceholder(value) { return nil }
        case .modelName:
            while let last = value.last, last == "." || last == ":" { value.removeLast() }
            if value.isEmpty || Self.isPlaceholder(value) { return nil }
            let quoted = pattern.quote.flatMap { match.range($0) }.map { !$0.isEmpty } ?? true
            if !quoted, !value.contains(where: { $0.isNumber || $0 == "-" || $0 == "/" }) { return nil }
        }
        switch pattern.spec.transform {
        case .verbatim:
            return value
        case .lowercased:
            return value.lowercased()
        case .millisecondsToSeconds:
            guard let milliseconds = Int(value) else { return nil }
            return Self.seconds(fromMilliseconds: milliseconds)
        case .triesToRetries:
            guard let tries = Int(value), tries >= 1 else { return nil }
            return String(tries - 1)
        case .trimmed:
            while let last = value.last, last == " " || last == "\t" || last == "," || last == ";" {
                value.removeLast()
            }
            return value.isEmpty ? nil : value
        case .httpStatusName:
            return ValueName.statusNames[value].map(String.init)
        }
    }

    static func isPlaceholder(_ value: String) -> Bool {
        switch value.lowercased() {
        case "none", "null", "nil", "undefined", "true", "false", "redacted", "unknown": true
        default: false
        }
    }

    /// `14000` → `"14"`, `1500` → `"1.5"`, `6` → `"0.006"`.
    static func seconds(fromMilliseconds milliseconds: Int) -> String {
        let whole = milliseconds / 1000
        var fraction = milliseconds % 1000
        guard fraction != 0 else { return String(whole) }
        var digits = 3
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let padded = String(repeating: "0", count: digits - String(fraction).count) + String(fraction)
        return "\(whole).\(padded)"
    }

    /// `message` with the key that OpenAI echoes after `API key provided: ` replaced by
    /// `[REDACTED]`, even when masked (`sk-abc****wxyz`); an unexpanded reference (`$VAR`,
    /// `${VAR}`, `%VAR%`, `os.environ…`, `<…>`) is kept, as it is evidence and no secret.
    static func withoutKeyEcho(_ message: String) -> String {
        let marker = "API key provided: "
        guard let range = message.firstRange(of: marker) else { return message }
        let rest = message[range.upperBound...]
        var token = rest.prefix { !$0.isWhitespace }
        while let last = token.last, last == "." || last == "," { token.removeLast() }
        guard !token.isEmpty else { return message }
        for kept in ["$", "%", "<", "os.environ"] where token.hasPrefix(kept) { return message }
        return String(message[..<range.upperBound]) + "[REDACTED]" + String(rest[token.endIndex...])
    }
}

extension ValueExtractor {
    /// The value names the extractor can produce; a rule may quote any of them as `{name}`, and a
    /// rule's `where:` may test them. Package versions are named `version.<package>`
    /// (``standardPrefixes``). Sources are listed in `docs/values.md`.
    public static let standardNames: Set<String> = ValueName.all

    /// Prefixes of value names that are standard whatever follows (`version.Azure.AI.OpenAI`).
    public static let standardPrefixes: Set<String> = [ValueName.versionPrefix]
}
