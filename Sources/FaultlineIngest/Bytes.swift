import FaultlineText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte-level helpers shared by the ingest and events layers. Internal hot-path code.
enum Bytes {
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let esc: UInt8 = 0x1B
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09

    /// Offset of the first occurrence of `needle` in `p[from..<to]`, or `nil` (memchr on the
    /// first byte, then memcmp).
    static func find(_ needle: StaticString, _ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        let count = needle.utf8CodeUnitCount
        guard count > 0 else { return from }
        let first = needle.utf8Start[0]
        var i = from
        while to - i >= count, let hit = ASCII.find(first, p, from: i, to: to - count + 1) {
            if memcmp(p + hit, needle.utf8Start, count) == 0 { return hit }
            i = hit + 1
        }
        return nil
    }
}
