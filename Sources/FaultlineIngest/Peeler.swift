/// Wrapper peeling on raw line bytes: ANSI escapes, CI timestamp prefixes, compose prefixes.
///
/// All functions work on bytes, never allocate, and never read outside the given range.
enum Peeler {
    /// Copies `src` into `dst` without ANSI escape sequences; returns the number of bytes written.
    ///
    /// Removes CSI (`ESC [` params/intermediates, final byte 0x40–0x7E), OSC (`ESC ]` … BEL or
    /// `ESC \`), nF sequences (`ESC` intermediates 0x20–0x2F then one final byte) and the
    /// remaining two-byte `ESC x` sequences. An unterminated sequence at the end is dropped.
    /// `dst` must hold at least `n` bytes.
    static func stripANSI(_ src: UnsafePointer<UInt8>, _ n: Int, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        var i = 0
        var o = 0
        while i < n {
            let b = src[i]
            if b != Bytes.esc {
                // Copy the run up to the next ESC in one go.
                let next = Bytes.find(Bytes.esc, src, from: i, to: n) ?? n
                let len = next - i
                (dst + o).update(from: src + i, count: len)
                o += len
                i = next
                continue
            }
            i += 1
            guard i < n else { break }
            let kind = src[i]
            i += 1
            switch kind {
            case 0x5B:  // CSI: ESC [ params (0x30-0x3F) intermediates (0x20-0x2F) final (0x40-0x7E)
                while i < n, src[i] >= 0x20, src[i] <= 0x3F { i += 1 }
                if i < n, src[i] >= 0x40, src[i] <= 0x7E { i += 1 }
            case 0x5D:  // OSC: ESC ] ... BEL | ESC \
                while i < n {
                    if src[i] == 0x07 {
                        i += 1
                        break
                    }
                    if src[i] == Bytes.esc, i + 1 < n, src[i + 1] == 0x5C {
                        i += 2
                        break
                    }
                    i += 1
                }
            case 0x20...0x2F:  // nF: ESC intermediates... final
                while i < n, src[i] >= 0x20, src[i] <= 0x2F { i += 1 }
                if i < n { i += 1 }
            default:  // two-byte ESC x
                break
            }
        }
        return o
    }

    /// Length of an RFC 3339 timestamp at `p[0..<n]` (`2025-01-02T03:04:05[.f{1,9}](Z|±hh:mm)`),
    /// or 0. `zOnly` accepts only the `Z` zone designator.
    @inline(__always)
    static func rfc3339Length(_ p: UnsafePointer<UInt8>, _ n: Int, zOnly: Bool) -> Int {
        guard n >= 20 else { return 0 }
        let d = Bytes.isDigit
        guard d(p[0]), d(p[1]), d(p[2]), d(p[3]), p[4] == 0x2D, d(p[5]), d(p[6]), p[7] == 0x2D, d(p[8]), d(p[9]),
            p[10] == 0x54, d(p[11]), d(p[12]), p[13] == 0x3A, d(p[14]), d(p[15]), p[16] == 0x3A, d(p[17]),
            d(p[18])
        else { return 0 }
        var i = 19
        if p[i] == 0x2E {
            i += 1
            let start = i
            while i < n, d(p[i]) { i += 1 }
            guard i - start >= 1, i - start <= 9 else { return 0 }
        }
        guard i < n else { return 0 }
        if p[i] == 0x5A { return i + 1 }
        if zOnly { return 0 }
        guard p[i] == 0x2B || p[i] == 0x2D, i + 6 <= n, d(p[i + 1]), d(p[i + 2]), p[i + 3] == 0x3A, d(p[i + 4]),
            d(p[i + 5])
        else { return 0 }
        return i + 6
    }

    /// Bytes to drop for a GitHub Actions (`<ts>Z `) or Kubernetes CRI (`<ts> stdout F `) prefix.
    static func timestampPrefixLength(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        guard n >= 20, Bytes.isDigit(p[0]) else { return 0 }
        let ts = rfc3339Length(p, n, zOnly: false)
        guard ts > 0 else { return 0 }
        // CRI: "<ts> stdout F " / "<ts> stderr P " (the tag may also be missing its trailing space at EOL).
        if ts + 9 <= n, p[ts] == Bytes.space, p[ts + 1] == 0x73, p[ts + 2] == 0x74, p[ts + 7] == Bytes.space,
            p[ts + 8] == 0x46 || p[ts + 8] == 0x50
        {
            let stream = (p[ts + 3], p[ts + 4], p[ts + 5], p[ts + 6])
            let isOut = stream == (0x64, 0x6F, 0x75, 0x74)  // "dout"
            let isErr = stream == (0x64, 0x65, 0x72, 0x72)  // "derr"
            if isOut || isErr {
                if ts + 9 == n { return n }
                if p[ts + 9] == Bytes.space { return ts + 10 }
            }
        }
        // GitHub Actions: Z then a space (or the end of a blank line).
        guard p[ts - 1] == 0x5A else { return 0 }
        if ts == n { return n }
        return p[ts] == Bytes.space ? ts + 1 : 0
    }

    /// Bytes to drop for a docker compose prefix `name  | `: a service name `[A-Za-z0-9_.-]+`
    /// starting the line, one or more spaces, `|` and a space. All-uppercase names (level words)
    /// are not peeled.
    static func composePrefixLength(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var i = 0
        var hasNonUpper = false
        while i < n {
            let b = p[i]
            let isUpper = b >= 0x41 && b <= 0x5A
            let ok = isUpper || (b >= 0x61 && b <= 0x7A) || Bytes.isDigit(b) || b == 0x5F || b == 0x2E || b == 0x2D
            guard ok else { break }
            if !isUpper { hasNonUpper = true }
            i += 1
        }
        guard i > 0, hasNonUpper, i < n, p[i] == Bytes.space else { return 0 }
        while i < n, p[i] == Bytes.space { i += 1 }
        guard i + 1 < n, p[i] == 0x7C, p[i + 1] == Bytes.space else {
            // "name  |" at the end of the line: an empty service line.
            if i + 1 == n, p[i] == 0x7C { return n }
            return 0
        }
        return i + 2
    }
}
