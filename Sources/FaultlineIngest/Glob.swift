/// A path glob for ``WalkOptions``: `*` matches within one path segment, `?` one character other
/// than `/`, `**` any number of whole directories (`**/x`, `a/**/x`, `a/**`). A pattern without
/// `/` matches the file name at any depth (`*.log` is `**/*.log`), as in `.gitignore`; a pattern
/// with `/` is anchored at the walked root. Matching is on bytes, case-sensitive.
struct Glob: Sendable, Hashable {
    private let segments: [[UInt8]]

    init(_ pattern: String) {
        var parts = pattern.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map(Array.init)
        if !pattern.utf8.contains(UInt8(ascii: "/")) {
            parts.insert(Array("**".utf8), at: 0)
        }
        segments = parts
    }

    /// `true` when `path` (relative, `/`-separated) matches.
    func matches(_ path: String) -> Bool {
        let parts = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map(Array.init)
        return Self.match(segments[...], parts[...])
    }

    /// `true` when everything below directory `path` matches (the pattern is the directory itself,
    /// or ends in `/**` after a prefix matching it): the walk need not enter it.
    func coversDirectory(_ path: String) -> Bool {
        let parts = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map(Array.init)
        if Self.match(segments[...], parts[...]) { return true }
        guard segments.last == Array("**".utf8) else { return false }
        return Self.match(segments.dropLast(), parts[...])
    }

    private static let doubleStar = Array("**".utf8)

    private static func match(_ pattern: ArraySlice<[UInt8]>, _ path: ArraySlice<[UInt8]>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == doubleStar {
            let rest = pattern.dropFirst()
            var tail = path
            while true {
                if match(rest, tail) { return true }
                guard !tail.isEmpty else { return false }
                tail = tail.dropFirst()
            }
        }
        guard let segment = path.first, matchSegment(first[...], segment[...]) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    /// `*` and `?` within one segment (iterative, with one backtrack point per `*`).
    private static func matchSegment(_ p: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>) -> Bool {
        var pi = p.startIndex
        var si = s.startIndex
        var star: Int?
        var resume = s.startIndex
        while si < s.endIndex {
            if pi < p.endIndex, p[pi] == UInt8(ascii: "*") {
                star = pi
                pi += 1
                resume = si
            } else if pi < p.endIndex, p[pi] == UInt8(ascii: "?") || p[pi] == s[si] {
                pi += 1
                si += 1
            } else if let st = star {
                pi = st + 1
                resume += 1
                si = resume
            } else {
                return false
            }
        }
        while pi < p.endIndex, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.endIndex
    }
}
