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

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Offset of the first `byte` in `p[from..<to]`, or `nil`.
    @inline(__always)
    static func find(_ byte: UInt8, _ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        guard to > from, let hit = memchr(p + from, Int32(byte), to - from) else { return nil }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(p)
    }
}
