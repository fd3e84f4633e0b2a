/// JSON strings, once: the unescaper of string bodies (bytes in, UTF-8 bytes out), the decoder of
/// quoted string tokens in a stream, and the escaper.
public enum JSONString {
    /// The most bytes ``unescape(_:_:into:)`` writes for `count` input bytes (a cut `\u` turns
    /// two bytes into the three of U+FFFD).
    @inlinable @inline(__always)
    public static func maxUnescapedCount(_ count: Int) -> Int { count + count / 2 + 4 }

    /// Writes the JSON string body at `src` (between the quotes, possibly cut) unescaped to `dst`,
    /// which holds at least ``maxUnescapedCount(_:)`` bytes; returns the bytes written.
    ///
    /// Broken `\u` escapes and lone surrogates become U+FFFD; unknown escapes keep their character
    /// (`\/` is `/`, `\q` is `q`); a backslash at the cut is dropped; other bytes (invalid UTF-8
    /// included) are copied.
    @inlinable
    public static func unescape(_ src: UnsafePointer<UInt8>, _ count: Int, into dst: UnsafeMutablePointer<UInt8>)
        -> Int
    {
        var o = dst
        var i = 0
        while i < count {
            let b = src[i]
            if b != 0x5C {
                o.pointee = b
                o += 1
                i += 1
                continue
            }
            guard i + 1 < count else { break }
            let c = src[i + 1]
            i += 2
            switch c {
            case 0x6E: o.pointee = 0x0A
            case 0x74: o.pointee = 0x09
            case 0x72: o.pointee = 0x0D
            case 0x62: o.pointee = 0x08
            case 0x66: o.pointee = 0x0C
            case 0x75:
                var (cp, digits) = hex4(src, i, count)
                i += digits
                if digits < 4 {
                    cp = 0xFFFD
                } else if cp >= 0xD800 && cp < 0xDC00 {
                    let (low, lowDigits) =
                        i + 1 < count && src[i] == 0x5C && src[i + 1] == 0x75 ? hex4(src, i + 2, count) : (0, 0)
                    if lowDigits == 4, low >= 0xDC00, low < 0xE000 {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else {
                        cp = 0xFFFD
                    }
                } else if cp >= 0xDC00 && cp < 0xE000 {
                    cp = 0xFFFD
                }
                o += writeUTF8(cp, o)
                continue
            default: o.pointee = c
            }
            o += 1
        }
        return o - dst
    }

    /// ``unescape(_:_:into:)`` into a new array.
    public static func unescaped(_ body: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard let base = body.baseAddress, !body.isEmpty else { return [] }
        return [UInt8](unsafeUninitializedCapacity: maxUnescapedCount(body.count)) { out, written in
            guard let dst = out.baseAddress else { return written = 0 }
            written = unescape(base, body.count, into: dst)
        }
    }

    /// Up to four hex digits at `src[at...]` (before `count`): their value and how many there were.
    @inlinable @inline(__always)
    static func hex4(_ src: UnsafePointer<UInt8>, _ at: Int, _ count: Int) -> (UInt32, Int) {
        var v: UInt32 = 0
        var d = 0
        while d < 4, at + d < count {
            let b = src[at + d]
            let x: UInt32
            switch b {
            case 0x30...0x39: x = UInt32(b - 0x30)
            case 0x41...0x46: x = UInt32(b - 0x41 + 10)
            case 0x61...0x66: x = UInt32(b - 0x61 + 10)
            default: return (v, d)
            }
            v = v << 4 | x
            d += 1
        }
        return (v, d)
    }

    /// Writes `scalar` (a valid scalar or U+FFFD) as UTF-8 at `dst`; returns the byte count (1–4).
    @inlinable @inline(__always)
    public static func writeUTF8(_ scalar: UInt32, _ dst: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            dst[0] = UInt8(truncatingIfNeeded: scalar)
            return 1
        case 0x80..<0x800:
            dst[0] = UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6)
            dst[1] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            dst[0] = UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12)
            dst[1] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F)
            dst[2] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 3
        default:
            dst[0] = UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18)
            dst[1] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 12 & 0x3F)
            dst[2] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F)
            dst[3] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 4
        }
    }

    /// `value` escaped for a JSON string body (without the quotes): `"` `\` and the control
    /// characters (`\n`, `\r`, `\t`, `\b`, `\f`, else `\u00XX`), DEL and U+2028/U+2029 (which
    /// JavaScript treats as line ends) as `\uXXXX`; `/` is not escaped.
    public static func escaped(_ value: String) -> String {
        var out = ""
        appendEscaped(value, to: &out)
        return out
    }

    /// ``escaped(_:)`` appended to `out`.
    public static func appendEscaped(_ value: String, to out: inout String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
    }

    /// Decodes the quoted JSON string token whose body starts at `p[from]` (after the opening
    /// quote) into `dst`, up to its closing quote: the decoder of streamed JSON tokens (Docker
    /// json-file envelopes), where runs without escapes are copied with `memchr`.
    /// All escapes are decoded (`\uXXXX` with surrogate pairs to UTF-8, an unpaired surrogate
    /// to U+FFFD); an invalid escape is kept literally. Returns the index after the closing
    /// quote and the bytes written (never more than were read, so `dst` may be as large as the
    /// input), or `nil` when unterminated. Unlike ``unescape(_:_:into:)``, an invalid escape is kept.
    @inlinable
    public static func decodeQuoted(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ from: Int, into dst: UnsafeMutablePointer<UInt8>
    ) -> (end: Int, written: Int)? {
        var i = from
        var o = 0
        while i < n {
            // Copy the run up to the next quote or backslash (memchr: log text has few escapes).
            guard let quote = ASCII.find(0x22, p, from: i, to: n) else { return nil }
            let backslash = ASCII.find(0x5C, p, from: i, to: quote)
            let runEnd = backslash ?? quote
            if runEnd > i {
                (dst + o).update(from: p + i, count: runEnd - i)
                o += runEnd - i
            }
            i = runEnd
            if backslash == nil { return (quote + 1, o) }
            // Backslash.
            guard i + 1 < n else { return nil }
            let e = p[i + 1]
            var decoded: UInt8 = 0
            switch e {
            case 0x6E: decoded = 0x0A  // n
            case 0x72: decoded = 0x0D  // r
            case 0x74: decoded = 0x09  // t
            case 0x62: decoded = 0x08  // b
            case 0x66: decoded = 0x0C  // f
            case 0x22, 0x5C, 0x2F: decoded = e  // " \ /
            case 0x75:  // u
                if let unit = exactHex4(p, n, i + 2) {
                    i += 6
                    var scalar = UInt32(0xFFFD)
                    if unit >= 0xD800, unit <= 0xDBFF {
                        if i + 1 < n, p[i] == 0x5C, p[i + 1] == 0x75, let low = exactHex4(p, n, i + 2), low >= 0xDC00,
                            low <= 0xDFFF
                        {
                            scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        }
                    } else if unit < 0xDC00 || unit > 0xDFFF {
                        scalar = unit
                    }
                    o += JSONString.writeUTF8(scalar, dst + o)
                    continue
                }
                // Invalid \u: keep the backslash; the rest is copied as text.
                dst[o] = 0x5C
                o += 1
                i += 1
                continue
            default:
                // Invalid escape: kept literally.
                dst[o] = 0x5C
                dst[o + 1] = e
                o += 2
                i += 2
                continue
            }
            dst[o] = decoded
            o += 1
            i += 2
        }
        return nil
    }

    @inlinable @inline(__always)
    static func exactHex4(_ p: UnsafePointer<UInt8>, _ n: Int, _ from: Int) -> UInt32? {
        guard from + 4 <= n else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            guard let d = ASCII.hexValue(p[from + k]) else { return nil }
            v = v << 4 | UInt32(d)
        }
        return v
    }
}
