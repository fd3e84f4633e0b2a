import FaultlineModel
import FaultlineText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// JSON string helpers: unescaping, small conversions.
enum JSONText {
    /// `true` when the `a.count` bytes at `b` equal `a`.
    @inline(__always)
    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafePointer<UInt8>) -> Bool {
        for k in 0..<a.count where a[k] != b[k] { return false }
        return true
    }

    /// Appends the JSON string body at `src` (between the quotes, possibly cut) unescaped to `out`.
    /// Broken `\u` escapes and lone surrogates become U+FFFD; unknown escapes keep their character;
    /// a backslash at the cut is dropped; other bytes (invalid UTF-8 included) are copied.
    static func unescape(_ src: UnsafePointer<UInt8>, _ count: Int, into out: inout Buffer<UInt8>) {
        out.reserve(count * 2 + 8)
        out.count += JSONString.unescape(src, count, into: out.base + out.count)
    }

    /// A value decoded to a `String` (unescaped when `escaped`), U+FFFD for invalid UTF-8.
    static func string(_ v: UnsafeBufferPointer<UInt8>, escaped: Bool) -> String {
        guard escaped, let base = v.baseAddress else { return String(decoding: v, as: UTF8.self) }
        var tmp = Buffer<UInt8>(capacity: v.count * 2 + 8)
        unescape(base, v.count, into: &tmp)
        return tmp.withElements { String(decoding: $0, as: UTF8.self) }
    }

    /// Unescapes a short value (≤ 64 bytes) into `tmp` (≥ 136 bytes) without escape sequences and
    /// surrounding spaces.
    static func plainWord(
        _ v: UnsafeBufferPointer<UInt8>, escaped: Bool, into tmp: UnsafeMutableBufferPointer<UInt8>
    ) -> UnsafeBufferPointer<UInt8> {
        guard let dst = tmp.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
        var count = 0
        if escaped, let src = v.baseAddress {
            var b = Buffer<UInt8>(capacity: 136)
            unescape(src, v.count, into: &b)
            count = min(b.count, 136)
            b.withElements { unescaped in
                if let from = unescaped.baseAddress { dst.update(from: from, count: count) }
            }
        } else {
            count = min(v.count, 136)
            for i in 0..<count { dst[i] = v[i] }
        }
        count = ANSI.strip(inPlace: dst, count)
        var s = 0
        while s < count, dst[s] == 0x20 { s += 1 }
        while count > s, dst[count - 1] == 0x20 { count -= 1 }
        return UnsafeBufferPointer(start: dst + s, count: count - s)
    }

    /// A non-negative decimal integer prefix (at most 18 digits), or `nil`.
    static func integer(_ v: UnsafeBufferPointer<UInt8>) -> Int? {
        var x = 0
        var i = 0
        while i < v.count, i < 18, ASCII.isDigit(v[i]) {
            x = x * 10 + Int(v[i] &- 0x30)
            i += 1
        }
        return i > 0 ? x : nil
    }

    /// A Unix epoch number (seconds, milliseconds, microseconds or nanoseconds, optionally with a
    /// fraction) as `YYYY-MM-DDTHH:MM:SS.mmmZ`; `nil` for anything else.
    static func isoFromEpoch(_ v: UnsafeBufferPointer<UInt8>) -> String? {
        var whole = 0
        var digits = 0
        var i = 0
        while i < v.count, ASCII.isDigit(v[i]), digits < 19 {
            whole = whole * 10 + Int(v[i] &- 0x30)
            digits += 1
            i += 1
        }
        var millis = 0
        var seconds = 0
        switch digits {
        case 9, 10:
            seconds = whole
            if i < v.count, v[i] == 0x2E {
                var scale = 100
                var j = i + 1
                while j < v.count, ASCII.isDigit(v[j]) {
                    millis += Int(v[j] &- 0x30) * scale
                    scale /= 10
                    j += 1
                }
            }
        case 12, 13:
            seconds = whole / 1000
            millis = whole % 1000
        case 15, 16:
            seconds = whole / 1_000_000
            millis = whole / 1000 % 1000
        case 18, 19:
            seconds = whole / 1_000_000_000
            millis = whole / 1_000_000 % 1000
        default:
            return nil
        }
        let rem = seconds % 86400
        let (year, month, day) = Timestamp.civil(fromDays: seconds / 86400)
        func pad(_ x: Int, _ w: Int) -> String {
            let s = String(x)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rem / 3600, 2)):\(pad(rem / 60 % 60, 2)):"
            + "\(pad(rem % 60, 2)).\(pad(millis, 3))Z"
    }
}
