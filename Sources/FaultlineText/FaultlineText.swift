/// FaultlineText: the small byte and text jobs every layer needs, written once.
///
/// What lives here: ASCII classes and case folding, ASCII case-insensitive byte search
/// (``ASCII``), ANSI escape stripping (``ANSI``), JSON string unescaping and escaping
/// (``JSONString``), the one timestamp reader (``Timestamp``), glob matching (``Glob``,
/// ``PathGlob``) and the secret ``Redactor``.
///
/// The rule: a helper used by two layers lives here, once, and the layers call it. The target
/// has no dependencies (only the C library), so every other target may depend on it. Byte helpers
/// that land in per-line loops are `@inlinable` so that they specialise across modules and stay
/// allocation-free.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// ASCII byte classes and case folding. Non-ASCII bytes belong to no class and fold to themselves.
public enum ASCII {
    /// An ASCII digit, `0`–`9`.
    @inlinable @inline(__always)
    public static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// An ASCII uppercase letter, `A`–`Z`.
    @inlinable @inline(__always)
    public static func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }

    /// An ASCII lowercase letter, `a`–`z`.
    @inlinable @inline(__always)
    public static func isLower(_ b: UInt8) -> Bool { b &- 0x61 < 26 }

    /// An ASCII letter, either case.
    @inlinable @inline(__always)
    public static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }

    /// An ASCII letter or digit.
    @inlinable @inline(__always)
    public static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }

    /// An ASCII hexadecimal digit: `0`–`9`, `a`–`f`, `A`–`F`.
    @inlinable @inline(__always)
    public static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20) &- 0x61 < 6 }

    /// A space or a tab.
    @inlinable @inline(__always)
    public static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// A space, tab, line feed, vertical tab, form feed or carriage return.
    @inlinable @inline(__always)
    public static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b &- 0x09 < 5 }

    /// The value of a hexadecimal digit (`0`–`9`, `a`–`f`, `A`–`F`), or `nil`.
    @inlinable @inline(__always)
    public static func hexValue(_ b: UInt8) -> UInt8? {
        if isDigit(b) { return b &- 0x30 }
        let l = b | 0x20
        return l &- 0x61 < 6 ? l &- 0x61 &+ 10 : nil
    }

    /// `A`–`Z` folded to `a`–`z`; every other byte unchanged.
    @inlinable @inline(__always)
    public static func lower(_ b: UInt8) -> UInt8 { isUpper(b) ? b | 0x20 : b }

    /// `a`–`z` folded to `A`–`Z`; every other byte unchanged.
    @inlinable @inline(__always)
    public static func upper(_ b: UInt8) -> UInt8 { isLower(b) ? b & 0xDF : b }

    /// The bytes with `A`–`Z` folded to `a`–`z`.
    @inlinable
    public static func lowered<S: Sequence<UInt8>>(_ bytes: S) -> [UInt8] { bytes.map(lower) }

    /// `true` when the `count` bytes at `a` and `b` are equal up to ASCII case.
    @inlinable @inline(__always)
    public static func equalIgnoringCase(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
        var k = 0
        while k < count {
            if lower(a[k]) != lower(b[k]) { return false }
            k += 1
        }
        return true
    }

    /// `true` when `text` starts with `prefix` (`lowerPrefix` already folded to lower case),
    /// ASCII case-insensitively.
    @inlinable @inline(__always)
    public static func hasPrefixIgnoringCase(
        _ text: UnsafeBufferPointer<UInt8>, lowerPrefix prefix: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        guard text.count >= prefix.count else { return false }
        var k = 0
        while k < prefix.count {
            if lower(text[k]) != prefix[k] { return false }
            k += 1
        }
        return true
    }

    /// Offset of the first occurrence of `needle` (already folded to lower case) in `haystack`,
    /// ASCII case-insensitively, or `nil`. An empty needle is found at 0. Allocation-free: a scan
    /// for the first byte in both cases, then a folded compare.
    @inlinable
    public static func firstIndexIgnoringCase(
        of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>
    ) -> Int? {
        let m = needle.count
        guard m > 0 else { return 0 }
        guard haystack.count >= m else { return nil }
        let first = needle[0]
        let firstUpper = upper(first)
        var i = 0
        let last = haystack.count - m
        while i <= last {
            let c = haystack[i]
            if c == first || c == firstUpper {
                var k = 1
                while k < m, lower(haystack[i + k]) == needle[k] { k += 1 }
                if k == m { return i }
            }
            i += 1
        }
        return nil
    }

    /// ``firstIndexIgnoringCase(of:in:)`` for a needle given as text (folded here).
    @inlinable
    public static func containsIgnoringCase(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        let folded = needle.allSatisfy { !isUpper($0) } ? needle : lowered(needle)
        return folded.withUnsafeBufferPointer { firstIndexIgnoringCase(of: $0, in: haystack) != nil }
    }

    /// Offset of the first `byte` in `p[from..<to]`, or `nil` (memchr).
    @inlinable @inline(__always)
    public static func find(_ byte: UInt8, _ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        guard to > from, let hit = memchr(p + from, Int32(byte), to - from) else { return nil }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(p)
    }
}
