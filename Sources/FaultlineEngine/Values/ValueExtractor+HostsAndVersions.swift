import FaultlineModel
import FaultlineRegex
import FaultlineText

extension ValueExtractor {
    // MARK: host

    /// The API host: the best-ranked host (``ValuePatterns/hostRank(_:https:)``), earliest within a
    /// rank, with the path of its URL (when it has one beyond `/`).
    func host(in text: UnsafeBufferPointer<UInt8>, using scratch: MatchScratch) -> (
        host: String, path: String?
    )? {
        guard Self.containsAny(text, ["http", ".azure.com"]) else { return nil }  // every host pattern needs one
        var best: (rank: Int, start: Int, host: String, path: String?)? = nil
        for pattern in hostPatterns {
            for found in allValues(pattern, in: text, using: scratch) {
                let host = found.value.lowercased()
                let https = pattern.https.flatMap { found.match.range($0) }.map { !$0.isEmpty } ?? true
                guard !host.contains(".."), let rank = ValuePatterns.hostRank(host, https: https) else { continue }
                if let current = best, (current.rank, current.start) <= (rank, found.start) { continue }
                let path = pattern.path.flatMap { found.match.range($0) }.flatMap { range in
                    Self.cleanPath(String(decoding: UnsafeBufferPointer(rebasing: text[range]), as: UTF8.self))
                }
                best = (rank, found.start, host, path)
            }
        }
        return best.map { ($0.host, $0.path) }
    }

    /// The path of an HTTP request line (`"POST /v1/chat/completions HTTP/1.1"`), when no URL gave one.
    func requestPath(in text: UnsafeBufferPointer<UInt8>, using scratch: MatchScratch) -> String? {
        guard let pattern = requestLinePath,
            Self.containsAny(text, ["GET /", "POST /", "PUT /", "PATCH /", "DELETE /"])
        else { return nil }
        return firstValue(pattern, in: text, using: scratch).flatMap { Self.cleanPath($0.value) }
    }

    /// A URL path without JSON escapes (`\/`) and trailing punctuation; `nil` for an empty path or `/`.
    static func cleanPath(_ raw: String) -> String? {
        var path = ""
        for character in raw where character != "\\" { path.append(character) }
        while let last = path.last, ".,;:)]}".contains(last) { path.removeLast() }
        return path.count > 1 ? path : nil
    }

    // MARK: exception

    /// The exception classes of the event, outermost to innermost, joined with ` -> `.
    ///
    /// .NET prints the outer exception first and inner ones after ` ---> `; Python prints a chain
    /// innermost first ("During handling of the above exception…"), so a Python traceback's order
    /// is reversed. A class repeated later in the chain is kept once.
    func exceptionChain(in text: UnsafeBufferPointer<UInt8>, using scratch: MatchScratch) -> String? {
        var classes: [String] = []
        if let pattern = exceptionAtLineStart {
            classes = allValues(pattern, in: text, using: scratch).map(\.value)
                .filter { !ValuePatterns.genericExceptions.contains($0) }
        }
        if classes.isEmpty, let pattern = exceptionInLine, let found = firstValue(pattern, in: text, using: scratch) {
            classes = [found.value]
        }
        guard !classes.isEmpty else { return nil }
        if Self.containsAny(text, ["Traceback (most recent call last)"]) { classes.reverse() }
        var seen: Set<String> = []
        let chain = classes.filter { seen.insert($0).inserted }
        return chain.joined(separator: " -> ")
    }

    // MARK: - Versions

    /// Package versions named in one line, keyed `version.<package>` (package names as in
    /// `docs/values.md`: `Azure.AI.OpenAI`, `openai`, `litellm`, `LibreChat`, …). When a line
    /// names one package twice, the first occurrence wins.
    public func versions(inLine text: String, using scratch: MatchScratch) -> [String: String] {
        var copy = text
        return copy.withUTF8 { buffer in versions(inLine: buffer, using: scratch) }
    }

    /// ``versions(inLine:using:)`` over UTF-8 bytes.
    public func versions(inLine text: UnsafeBufferPointer<UInt8>, using scratch: MatchScratch) -> [String: String] {
        // The documented contract of `versionLiterals`, enforced: no literal, no version.
        var gated = false
        versionGate.scan(text) { _ in gated = true }
        guard gated else { return [:] }
        var best: [String: (start: Int, version: String)] = [:]
        let possible = versionGroup.candidates(in: text)
        for (index, pattern) in versionGroup.patterns.enumerated() where possible[index] {
            for found in allValues(pattern, in: text, using: scratch) {
                var package = pattern.spec.key
                if let group = pattern.package, let range = found.match.range(group) {
                    let name = String(decoding: UnsafeBufferPointer(rebasing: text[range]), as: UTF8.self)
                    package = ValuePatterns.packageName(pattern.spec.packagePrefix + name)
                }
                guard !package.isEmpty else { continue }
                let key = "version." + package
                if let current = best[key], current.start <= found.start { continue }
                best[key] = (found.start, found.value)
            }
        }
        return best.mapValues(\.version)
    }

    // MARK: - Helpers

    /// Whether `text` contains any of `needles` (ASCII case-insensitive).
    static func containsAny(_ text: UnsafeBufferPointer<UInt8>, _ needles: [String]) -> Bool {
        needles.contains { ASCII.containsIgnoringCase(text, Array($0.utf8)) }
    }
}
