import FaultlineText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wrapper peeling on raw line bytes: CI timestamp prefixes, compose prefixes, CI markers (ANSI
/// escapes are stripped before, with ``ANSI``).
///
/// All functions work on bytes, never allocate, and never read outside the given range.
enum Peeler {
    /// A Kubernetes CRI prefix `<ts> stdout F ` / `<ts> stderr P `: its length (the tag may
    /// also end the line without its trailing space), the stream, and whether the line is a
    /// partial (`P`) one; `nil` when `p[0..<n]` does not start with one.
    @inline(__always)
    static func criPrefix(_ p: UnsafePointer<UInt8>, _ n: Int) -> (length: Int, stream: LineStream, partial: Bool)? {
        guard n >= 29, ASCII.isDigit(p[0]) else { return nil }
        let ts = Timestamp.rfc3339Length(p, n, zOnly: false)
        guard ts > 0 else { return nil }
        return criTag(p, n, ts)
    }

    /// ``criPrefix(_:_:)`` given the RFC 3339 timestamp length `ts` (> 0) at `p[0]`.
    @inline(__always)
    static func criPrefix(_ p: UnsafePointer<UInt8>, _ n: Int, timestamp ts: Int) -> (
        length: Int, stream: LineStream, partial: Bool
    )? {
        criTag(p, n, ts)
    }

    @inline(__always)
    private static func criTag(_ p: UnsafePointer<UInt8>, _ n: Int, _ ts: Int) -> (
        length: Int, stream: LineStream, partial: Bool
    )? {
        guard ts + 9 <= n, p[ts] == Bytes.space, p[ts + 1] == 0x73, p[ts + 2] == 0x74, p[ts + 7] == Bytes.space,
            p[ts + 8] == 0x46 || p[ts + 8] == 0x50
        else { return nil }
        let stream: LineStream
        switch (p[ts + 3], p[ts + 4], p[ts + 5], p[ts + 6]) {
        case (0x64, 0x6F, 0x75, 0x74): stream = .stdout  // "dout"
        case (0x64, 0x65, 0x72, 0x72): stream = .stderr  // "derr"
        default: return nil
        }
        let partial = p[ts + 8] == 0x50
        if ts + 9 == n { return (n, stream, partial) }
        guard p[ts + 9] == Bytes.space else { return nil }
        return (ts + 10, stream, partial)
    }

    /// Bytes to drop for a GitHub Actions (`<ts>Z `), Kubernetes CRI (`<ts> stdout F `) or GitLab
    /// job-log (`<ts>Z 00O `, `<ts>Z 00O+`, `<ts>Z 01E `) timestamp prefix.
    static func timestampPrefixLength(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        timestampPrefix(p, n).length
    }

    /// ``timestampPrefixLength(_:_:)`` with the stream the prefix names (CRI, GitLab).
    static func timestampPrefix(_ p: UnsafePointer<UInt8>, _ n: Int, known: Int = -1) -> (
        length: Int, stream: LineStream
    ) {
        guard n >= 20, ASCII.isDigit(p[0]) else { return (0, .unknown) }
        let ts = known >= 0 ? known : Timestamp.rfc3339Length(p, n, zOnly: false)
        guard ts > 0 else { return (0, .unknown) }
        if let cri = criTag(p, n, ts) { return (cri.length, cri.stream) }
        // GitHub Actions / GitLab: Z then a space (or the end of a blank line).
        guard p[ts - 1] == 0x5A else { return (0, .unknown) }
        if ts == n { return (n, .unknown) }
        guard p[ts] == Bytes.space else { return (0, .unknown) }
        // GitLab: two hex digits (stream number), O or E, then a space, or `+` (the line
        // continues the previous one) directly followed by the content.
        let i = ts + 1
        if i + 3 <= n, ASCII.isHex(p[i]), ASCII.isHex(p[i + 1]), p[i + 2] == 0x4F || p[i + 2] == 0x45 {
            let j = i + 3
            let stream: LineStream = p[i + 2] == 0x4F ? .stdout : .stderr
            if j == n { return (n, stream) }
            if p[j] == Bytes.space || p[j] == 0x2B { return (j + 1, stream) }
        }
        return (i, .unknown)
    }

    /// Bytes to drop for a docker compose prefix `name  | `: a service name `[A-Za-z0-9_.-]+`
    /// starting the line, one or more spaces, `|` and a space. All-uppercase names (level words)
    /// are not peeled.
    static func composePrefixLength(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        composePrefix(p, n).length
    }

    /// ``composePrefixLength(_:_:)`` with the length of the service name that starts it.
    static func composePrefix(_ p: UnsafePointer<UInt8>, _ n: Int) -> (length: Int, name: Int) {
        var i = 0
        var hasNonUpper = false
        while i < n {
            let b = p[i]
            let isUpper = ASCII.isUpper(b)
            let ok = ASCII.isAlnum(b) || b == 0x5F || b == 0x2E || b == 0x2D
            guard ok else { break }
            if !isUpper { hasNonUpper = true }
            i += 1
        }
        guard i > 0, hasNonUpper, i < n, p[i] == Bytes.space else { return (0, 0) }
        let name = i
        while i < n, p[i] == Bytes.space { i += 1 }
        guard i + 1 < n, p[i] == 0x7C, p[i + 1] == Bytes.space else {
            // "name  |" at the end of the line: an empty service line.
            if i + 1 == n, p[i] == 0x7C { return (n, name) }
            return (0, 0)
        }
        return (i + 2, name)
    }

    /// What ``peel(_:_:)`` found at the start of a line.
    struct Peeled {
        /// Bytes to drop from the start.
        var skip = 0
        /// The compose service name: `p[serviceStart ..< serviceStart + serviceCount]`.
        var serviceStart = 0
        var serviceCount = 0
        var marker = CIMarker.none
        var stream = LineStream.unknown
    }

    /// Finds the wrappers at the start of an (ANSI-free) line, in order: a GitHub Actions / CRI /
    /// GitLab timestamp prefix; a docker compose prefix, then Docker Desktop's RFC 3339 timestamp
    /// (`Z` only) after it; a CI marker (`##[...]`, `##vso[...]`, GitLab `section_start:`).
    /// Each check starts with a one-byte test.
    /// `timestamp` is the length of the RFC 3339 timestamp at `p[0]` when the caller already
    /// measured it (0: none), or -1.
    @inline(__always)
    static func peel(_ p: UnsafePointer<UInt8>, _ n: Int, timestamp: Int = -1) -> Peeled {
        var r = Peeled()
        var i = 0
        if n >= 20, ASCII.isDigit(p[0]) {
            let ts = timestampPrefix(p, n, known: timestamp)
            i = ts.length
            r.stream = ts.stream
        }
        if i < n {
            let compose = composePrefix(p + i, n - i)
            if compose.length > 0 {
                r.serviceStart = i
                r.serviceCount = compose.name
                i += compose.length
                // Docker Desktop / `docker compose logs -t`: the engine's timestamp before the app's own.
                if n - i >= 20, ASCII.isDigit(p[i]) {
                    let ts = Timestamp.rfc3339Length(p + i, n - i, zOnly: true)
                    if ts > 0 {
                        if i + ts == n {
                            i = n
                        } else if p[i + ts] == Bytes.space {
                            i += ts + 1
                        }
                    }
                }
            }
        }
        if i < n {
            let b = p[i]
            if b == 0x23 {
                let m = ciMarker(p + i, n - i)
                i += m.length
                r.marker = m.marker
            } else if b == 0x73 {
                let m = sectionMarker(p + i, n - i)
                i += m.length
                r.marker = m.marker
            }
        }
        r.skip = i
        return r
    }

    @inline(__always)
    static func hasPrefix(_ p: UnsafePointer<UInt8>, _ n: Int, _ s: StaticString) -> Bool {
        let count = s.utf8CodeUnitCount
        guard n >= count else { return false }
        return memcmp(p, s.utf8Start, count) == 0
    }

    /// A GitHub Actions / Azure DevOps marker `##[name]` (known names only) or an Azure DevOps
    /// logging command `##vso[...]`: its length and kind; `(0, .none)` otherwise.
    static func ciMarker(_ p: UnsafePointer<UInt8>, _ n: Int) -> (length: Int, marker: CIMarker) {
        guard n >= 4, p[0] == 0x23, p[1] == 0x23 else { return (0, .none) }
        if p[2] == 0x5B {
            let q = p + 2
            let m = n - 2
            let marker: CIMarker
            let length: Int
            switch p[3] {
            case 0x67 where hasPrefix(q, m, "[group]"): (marker, length) = (.group, 7)
            case 0x65 where hasPrefix(q, m, "[endgroup]"): (marker, length) = (.endGroup, 10)
            case 0x65 where hasPrefix(q, m, "[error]"): (marker, length) = (.error, 7)
            case 0x77 where hasPrefix(q, m, "[warning]"): (marker, length) = (.warning, 9)
            case 0x6E where hasPrefix(q, m, "[notice]"): (marker, length) = (.notice, 8)
            case 0x64 where hasPrefix(q, m, "[debug]"): (marker, length) = (.debug, 7)
            case 0x63 where hasPrefix(q, m, "[command]"): (marker, length) = (.command, 9)
            case 0x73 where hasPrefix(q, m, "[section]"): (marker, length) = (.section, 9)
            default: return (0, .none)
            }
            return (2 + length, marker)
        }
        guard hasPrefix(p, n, "##vso["), let close = ASCII.find(0x5D, p, from: 6, to: n) else { return (0, .none) }
        var marker = CIMarker.vso
        let body = p + 6
        let bodyCount = close - 6
        if hasPrefix(body, bodyCount, "task.logissue") {
            if let v = Bytes.find("type=", body, from: 0, to: bodyCount) {
                let value = body + v + 5
                let left = bodyCount - v - 5
                if hasPrefix(value, left, "error") {
                    marker = .error
                } else if hasPrefix(value, left, "warning") {
                    marker = .warning
                }
            }
        }
        return (close + 1, marker)
    }

    /// A GitLab CI section marker `section_start:<digits>:<name>[options]` or
    /// `section_end:<digits>:<name>`, ended by `\r` (consumed) or the end of the line: its length
    /// and kind; `(0, .none)` otherwise. The `ESC[0K` GitLab writes around it is removed earlier
    /// with the other ANSI escapes.
    static func sectionMarker(_ p: UnsafePointer<UInt8>, _ n: Int) -> (length: Int, marker: CIMarker) {
        var i: Int
        let marker: CIMarker
        if hasPrefix(p, n, "section_start:") {
            i = 14
            marker = .sectionStart
        } else if hasPrefix(p, n, "section_end:") {
            i = 12
            marker = .sectionEnd
        } else {
            return (0, .none)
        }
        let digits = i
        while i < n, ASCII.isDigit(p[i]) { i += 1 }
        guard i > digits, i < n, p[i] == 0x3A else { return (0, .none) }
        i += 1
        let name = i
        while i < n, isSectionNameByte(p[i]) { i += 1 }
        guard i > name else { return (0, .none) }
        if i < n, p[i] == 0x5B, let close = ASCII.find(0x5D, p, from: i, to: n) {
            i = close + 1
        }
        if i == n { return (n, marker) }
        guard p[i] == Bytes.cr else { return (0, .none) }
        return (i + 1, marker)
    }

    @inline(__always)
    private static func isSectionNameByte(_ b: UInt8) -> Bool {
        ASCII.isAlnum(b) || b == 0x5F || b == 0x2E || b == 0x2D
    }

    /// `true` when the line `p[0..<n]` starts, after an optional timestamp prefix and ANSI CSI
    /// sequences, with a GitLab section marker: its `\r` is then not a line end.
    static func startsWithSectionMarker(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = timestampPrefixLength(p, n)
        while i + 1 < n, p[i] == Bytes.esc, p[i + 1] == 0x5B {
            i += 2
            while i < n, p[i] >= 0x20, p[i] <= 0x3F { i += 1 }
            guard i < n else { return false }
            i += 1
        }
        return hasPrefix(p + i, n - i, "section_")
    }
}
