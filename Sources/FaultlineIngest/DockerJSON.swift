import FaultlineText

/// Docker json-file log envelopes: `{"log":"...\n","stream":"stderr","time":"..."}`.
///
/// Works on bytes, never allocates, never reads outside the given range. Anything that is not a
/// complete, well-formed envelope with a string `"log"` and a string `"stream"` is rejected, so
/// the caller treats the line as plain text.
enum DockerJSON {
    /// A decoded envelope: `length` bytes of the `"log"` value were written to the destination,
    /// without its trailing `\n` (and `\r`); `complete` is `false` for a partial line (Docker
    /// splits lines over 16 KiB, and only the last piece ends with `\n`).
    struct Envelope {
        var length: Int
        var stream: LineStream
        var complete: Bool
    }

    /// Cheap pre-check: `{"log":"` at the start, or `"log"` anywhere in a line starting with `{`.
    @inline(__always)
    static func mayBeEnvelope(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard n >= 10, p[0] == 0x7B else { return false }
        if Peeler.hasPrefix(p, n, "{\"log\":\"") { return true }
        return Bytes.find("\"log\"", p, from: 1, to: n) != nil
    }

    /// Parses `p[0..<n]` as one envelope (keys in any order, JSON whitespace allowed), decoding
    /// the `"log"` string into `dst`, which must hold `n` bytes and not overlap `p`. Returns `nil`
    /// when the line is not an envelope (malformed, truncated, trailing garbage, no `"log"` or
    /// `"stream"` string).
    static func parse(_ p: UnsafePointer<UInt8>, _ n: Int, into dst: UnsafeMutablePointer<UInt8>) -> Envelope? {
        var i = skipSpace(p, n, 0)
        guard i < n, p[i] == 0x7B else { return nil }
        i += 1
        var logLength = -1
        var stream = LineStream.unknown
        var sawStream = false
        while true {
            i = skipSpace(p, n, i)
            guard i < n, p[i] == 0x22 else { return nil }
            let keyStart = i + 1
            guard let keyEnd = skipString(p, n, i) else { return nil }
            let key = p + keyStart
            let keyLength = keyEnd - 1 - keyStart
            i = skipSpace(p, n, keyEnd)
            guard i < n, p[i] == 0x3A else { return nil }
            i = skipSpace(p, n, i + 1)
            guard i < n else { return nil }
            if keyLength == 3, key[0] == 0x6C, key[1] == 0x6F, key[2] == 0x67 {  // log
                guard p[i] == 0x22, let (end, written) = JSONString.decodeQuoted(p, n, i + 1, into: dst) else {
                    return nil
                }
                logLength = written
                i = end
            } else if keyLength == 6, Peeler.hasPrefix(key, keyLength, "stream") {
                guard p[i] == 0x22, let end = skipString(p, n, i) else { return nil }
                let value = p + i + 1
                let valueLength = end - 1 - (i + 1)
                if valueLength == 6, Peeler.hasPrefix(value, valueLength, "stdout") {
                    stream = .stdout
                } else if valueLength == 6, Peeler.hasPrefix(value, valueLength, "stderr") {
                    stream = .stderr
                }
                sawStream = true
                i = end
            } else {
                guard let end = skipValue(p, n, i) else { return nil }
                i = end
            }
            i = skipSpace(p, n, i)
            guard i < n else { return nil }
            if p[i] == 0x2C {
                i += 1
                continue
            }
            guard p[i] == 0x7D else { return nil }
            i += 1
            break
        }
        guard skipSpace(p, n, i) == n, logLength >= 0, sawStream else { return nil }
        var length = logLength
        let complete = length > 0 && dst[length - 1] == Bytes.lf
        if complete {
            length -= 1
            if length > 0, dst[length - 1] == Bytes.cr { length -= 1 }
        }
        return Envelope(length: length, stream: stream, complete: complete)
    }

    @inline(__always)
    private static func skipSpace(_ p: UnsafePointer<UInt8>, _ n: Int, _ from: Int) -> Int {
        var i = from
        while i < n {
            let b = p[i]
            guard b == Bytes.space || b == Bytes.tab || b == Bytes.lf || b == Bytes.cr else { break }
            i += 1
        }
        return i
    }

    /// `p[from]` is `"`: the index after the closing quote, or `nil` when unterminated.
    private static func skipString(_ p: UnsafePointer<UInt8>, _ n: Int, _ from: Int) -> Int? {
        var i = from + 1
        while i < n {
            let b = p[i]
            if b == 0x22 { return i + 1 }
            i += b == 0x5C ? 2 : 1
        }
        return nil
    }

    /// Skips any JSON value (string, object, array, number, literal) starting at `from`,
    /// iteratively; the index after it, or `nil` when it is cut or malformed.
    private static func skipValue(_ p: UnsafePointer<UInt8>, _ n: Int, _ from: Int) -> Int? {
        var i = from
        guard i < n else { return nil }
        switch p[i] {
        case 0x22:
            return skipString(p, n, i)
        case 0x7B, 0x5B:
            var depth = 0
            while i < n {
                switch p[i] {
                case 0x22:
                    guard let end = skipString(p, n, i) else { return nil }
                    i = end
                    continue
                case 0x7B, 0x5B:
                    depth += 1
                case 0x7D, 0x5D:
                    depth -= 1
                    if depth == 0 { return i + 1 }
                default:
                    break
                }
                i += 1
            }
            return nil
        default:
            // Number or literal: up to a delimiter.
            while i < n {
                let b = p[i]
                if b == 0x2C || b == 0x7D || b == 0x5D || b == Bytes.space || b == Bytes.tab || b == 0x22 { break }
                i += 1
            }
            return i > from ? i : nil
        }
    }
}
