#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// ANSI/VT escape sequences: the one stripper, on bytes and on `String`.
///
/// Removes CSI (`ESC [` params/intermediates 0x20–0x3F, final byte 0x40–0x7E), OSC (`ESC ]` …
/// BEL or `ESC \`), nF sequences (`ESC` intermediates 0x20–0x2F then one final byte) and the
/// remaining two-byte `ESC x` sequences. An unterminated sequence at the end is dropped.
public enum ANSI {
    /// The escape byte (0x1B) that starts every sequence.
    public static let esc: UInt8 = 0x1B

    /// The index after the escape sequence that starts with the ESC at `p[i]` (at most `n`).
    @inlinable @inline(__always)
    public static func sequenceEnd(_ p: UnsafePointer<UInt8>, at start: Int, _ n: Int) -> Int {
        var i = start + 1
        guard i < n else { return n }
        let kind = p[i]
        i += 1
        switch kind {
        case 0x5B:  // CSI
            while i < n, p[i] >= 0x20, p[i] <= 0x3F { i += 1 }
            if i < n, p[i] >= 0x40, p[i] <= 0x7E { i += 1 }
        case 0x5D:  // OSC: ESC ] ... BEL | ESC \
            while i < n {
                if p[i] == 0x07 { return i + 1 }
                if p[i] == esc, i + 1 < n, p[i + 1] == 0x5C { return i + 2 }
                i += 1
            }
        case 0x20...0x2F:  // nF: ESC intermediates... final
            while i < n, p[i] >= 0x20, p[i] <= 0x2F { i += 1 }
            if i < n { i += 1 }
        default:  // two-byte ESC x
            break
        }
        return i
    }

    /// Copies `src[0..<n]` into `dst` without escape sequences; returns the number of bytes
    /// written. `dst` must hold `n` bytes; it may be `src` itself (stripping in place).
    @inlinable
    public static func strip(_ src: UnsafePointer<UInt8>, _ n: Int, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        var i = 0
        var o = 0
        while i < n {
            if src[i] != esc {
                // Copy the run up to the next ESC in one go.
                let next = ASCII.find(esc, src, from: i, to: n) ?? n
                let len = next - i
                if dst + o != src + i { memmove(dst + o, src + i, len) }
                o += len
                i = next
                continue
            }
            i = sequenceEnd(src, at: i, n)
        }
        return o
    }

    /// Strips `p[0..<count]` in place; returns the new count.
    @inlinable @inline(__always)
    public static func strip(inPlace p: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        strip(UnsafePointer(p), count, into: p)
    }

    /// `text` without escape sequences (`text` itself when it has no ESC).
    public static func strip(_ text: String) -> String {
        guard text.utf8.contains(esc) else { return text }
        var bytes = Array(text.utf8)
        let count = bytes.withUnsafeMutableBufferPointer { b in b.baseAddress.map { strip(inPlace: $0, b.count) } ?? 0 }
        return String(decoding: bytes[..<count], as: UTF8.self)
    }
}
