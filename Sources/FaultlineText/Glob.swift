/// The one glob matcher, on UTF-8 bytes: `*` any run, `?` one character (one UTF-8 scalar),
/// everything else literal. Iterative, with one backtrack point (the last `*`).
public enum Glob {
    /// Whether `value` matches `pattern` as a whole. `foldingCase`: the value's bytes are ASCII
    /// lower-cased before they are compared (the pattern must already be lower case).
    @inlinable
    public static func matches(
        _ pattern: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>, foldingCase: Bool = false
    ) -> Bool {
        let star = UInt8(ascii: "*")
        let question = UInt8(ascii: "?")
        var p = 0
        var v = 0
        var starP = -1
        var starV = 0
        while v < value.count {
            if p < pattern.count, pattern[p] == question {
                p += 1
                v = scalarEnd(value, from: v)
            } else if p < pattern.count, pattern[p] == star {
                starP = p
                starV = v
                p += 1
            } else if p < pattern.count, pattern[p] == (foldingCase ? ASCII.lower(value[v]) : value[v]) {
                p += 1
                v += 1
            } else if starP >= 0 {
                p = starP + 1
                starV = scalarEnd(value, from: starV)
                v = starV
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == star { p += 1 }
        return p == pattern.count
    }

    /// Whether `name` matches `pattern` as a whole (case-sensitive).
    public static func matches(_ pattern: String, _ name: String) -> Bool {
        var pattern = pattern
        var name = name
        return pattern.withUTF8 { p in name.withUTF8 { n in matches(p, n) } }
    }

    /// The index after the UTF-8 scalar that starts at `index`.
    @inlinable @inline(__always)
    static func scalarEnd(_ value: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var next = index + 1
        while next < value.count, value[next] & 0xC0 == 0x80 { next += 1 }
        return next
    }
}

/// A path glob: `*` matches within one path segment, `?` one character other than `/`, `**` any
/// number of whole directories (`**/x`, `a/**/x`, `a/**`). A pattern without `/` matches the file
/// name at any depth (`*.log` is `**/*.log`), as in `.gitignore`; a pattern with `/` is anchored
/// at the root. Matching is on bytes, case-sensitive; segments are matched with ``Glob``.
public struct PathGlob: Sendable, Hashable {
    private let segments: [[UInt8]]

    /// Creates a glob from `pattern`, in the syntax above; a pattern without `/` matches the file
    /// name at any depth.
    public init(_ pattern: String) {
        var parts = Self.split(pattern)
        if !pattern.utf8.contains(UInt8(ascii: "/")) {
            parts.insert(Self.doubleStar, at: 0)
        }
        segments = parts
    }

    /// `true` when `path` (relative, `/`-separated) matches.
    public func matches(_ path: String) -> Bool {
        Self.match(segments[...], Self.split(path)[...])
    }

    /// `true` when everything below directory `path` matches (the pattern is the directory itself,
    /// or ends in `/**` after a prefix matching it): the walk need not enter it.
    public func coversDirectory(_ path: String) -> Bool {
        let parts = Self.split(path)
        if Self.match(segments[...], parts[...]) { return true }
        guard segments.last == Self.doubleStar else { return false }
        return Self.match(segments.dropLast(), parts[...])
    }

    private static let doubleStar = Array("**".utf8)

    private static func split(_ path: String) -> [[UInt8]] {
        path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map(Array.init)
    }

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
        guard let segment = path.first,
            first.withUnsafeBufferPointer({ p in segment.withUnsafeBufferPointer { s in Glob.matches(p, s) } })
        else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }
}
