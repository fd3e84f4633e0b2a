import FaultlineText

/// Finds, in one pass over a buffer, which of many literals occur (ASCII case-insensitive).
///
/// Design: the first four bytes of every literal of length ≥ 4 are hashed (after `| 0x20` on each
/// byte, a cheap fold that maps ASCII letters of both cases together) into a 64 Ki-bit filter that
/// fits in L1. The scan slides over the text, loading four bytes at every position, and only where
/// the filter bit is set verifies the literals of that hash bucket byte by byte with an exact ASCII
/// case fold. Literals of exactly three bytes use a second filter keyed on three bytes, tested in the
/// same pass. Literals shorter than three bytes (including the empty literal) are accepted but take a
/// slower path: the empty literal is reported once per scan, and each 1- or 2-byte literal is found
/// by its own naive pass over the text, so such literals make a scan proportionally slower.
public struct LiteralSetScanner: Sendable {
    /// Number of filter bits (and hash range): 2^16.
    private static let filterBits = 16
    /// Bucket index = hash >> bucketShift (4,096 buckets).
    private static let bucketShift: UInt32 = 4
    private static let bucketCount = 1 << (filterBits - 4)

    /// Folded literal bytes, concatenated.
    private let literalBytes: [UInt8]
    /// Start of each literal in ``literalBytes``, plus one trailing entry (`count + 1` elements).
    private let literalStart: [Int]

    /// Filter and buckets for literals of length ≥ 4.
    private let filter4: [UInt64]
    private let bucketStart4: [Int32]
    private let bucketIDs4: [Int32]
    /// Filter and buckets for literals of length 3.
    private let filter3: [UInt64]
    private let bucketStart3: [Int32]
    private let bucketIDs3: [Int32]
    private let hasLong: Bool
    private let hasThree: Bool
    /// IDs of all 3-byte literals (checked directly at the last 3-byte window of a buffer).
    private let threeIDs: [Int]
    /// Up to this many 3-byte literals are folded into the 4-byte filter.
    private static let maxExpandedThree = 16
    /// IDs of literals of length 1 or 2 (naive path) and of length 0 (always reported).
    private let shortIDs: [Int]
    private let emptyIDs: [Int]

    /// Number of literals.
    public var count: Int { literalStart.count - 1 }

    /// Builds the scanner. Literal ids are their indices in `literals`.
    ///
    /// Any literal is accepted. Literals of at least 3 bytes take the fast path; shorter ones are
    /// handled by a slower path (see the type's documentation), and an empty literal is reported
    /// once per scan since it occurs in every text.
    public init(literals: [[UInt8]]) {
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        var long: [(id: Int, hash: UInt32)] = []
        var three: [(id: Int, hash: UInt32)] = []
        var short: [Int] = []
        var empty: [Int] = []
        var threeKeys: [(id: Int, key: UInt32)] = []
        for (id, literal) in literals.enumerated() {
            bytes.append(contentsOf: literal.map(Self.fold))
            starts.append(bytes.count)
            switch literal.count {
            case 0: empty.append(id)
            case 1, 2: short.append(id)
            case 3:
                let key = UInt32(literal[0]) | UInt32(literal[1]) << 8 | UInt32(literal[2]) << 16
                threeKeys.append((id, (key | 0x2020_2020) & 0x00FF_FFFF))
            default:
                let key =
                    UInt32(literal[0]) | UInt32(literal[1]) << 8 | UInt32(literal[2]) << 16 | UInt32(literal[3]) << 24
                long.append((id, Self.hash(key | 0x20202020)))
            }
        }
        // A few 3-byte literals are folded into the 4-byte table, once per possible (folded) fourth
        // byte, so the scan loop tests one filter per position; many of them get their own filter.
        let expand = threeKeys.count <= Self.maxExpandedThree
        if expand {
            var seen = Set<UInt64>()
            for entry in threeKeys {
                for fourth in UInt32(0)..<256 where fourth & 0x20 != 0 {
                    let hash = Self.hash(entry.key | fourth << 24)
                    if seen.insert(UInt64(hash) << 32 | UInt64(entry.id)).inserted {
                        long.append((entry.id, hash))
                    }
                }
            }
        } else {
            three = threeKeys.map { ($0.id, Self.hash($0.key)) }
        }
        threeIDs = threeKeys.map(\.id)
        literalBytes = bytes
        literalStart = starts
        (filter4, bucketStart4, bucketIDs4) = Self.buildTable(long)
        (filter3, bucketStart3, bucketIDs3) = Self.buildTable(three)
        hasLong = !long.isEmpty
        hasThree = !three.isEmpty
        shortIDs = short
        emptyIDs = empty
    }

    @inline(__always)
    private static func hash(_ key: UInt32) -> UInt32 {
        (key &* 0x9E37_79B1) >> UInt32(32 - filterBits)
    }

    @inline(__always)
    private static func fold(_ byte: UInt8) -> UInt8 { ASCII.lower(byte) }

    private static func buildTable(_ entries: [(id: Int, hash: UInt32)]) -> ([UInt64], [Int32], [Int32]) {
        var filter = [UInt64](repeating: 0, count: (1 << filterBits) / 64)
        var counts = [Int32](repeating: 0, count: bucketCount + 1)
        for entry in entries {
            filter[Int(entry.hash >> 6)] |= 1 << UInt64(entry.hash & 63)
            counts[Int(entry.hash >> bucketShift) + 1] += 1
        }
        for index in 1..<counts.count { counts[index] += counts[index - 1] }
        var fill = counts
        var ids = [Int32](repeating: 0, count: entries.count)
        for entry in entries {
            let bucket = Int(entry.hash >> bucketShift)
            ids[Int(fill[bucket])] = Int32(entry.id)
            fill[bucket] += 1
        }
        return (filter, counts, ids)
    }

    /// Calls `onHit(literalID)` for each literal occurrence found in `text`.
    ///
    /// The same id may be reported more than once (once per occurrence); the caller dedups.
    /// Does not allocate.
    public func scan(_ text: UnsafeBufferPointer<UInt8>, _ onHit: (Int) -> Void) {
        for id in emptyIDs { onHit(id) }
        guard let base = text.baseAddress, !text.isEmpty else { return }
        let length = text.count
        literalBytes.withUnsafeBufferPointer { lits in
            literalStart.withUnsafeBufferPointer { starts in
                if hasLong || hasThree {
                    scanFast(base, length, lits, starts, onHit)
                }
                for id in shortIDs {
                    scanNaive(id, base, length, lits, starts, onHit)
                }
            }
        }
    }

    /// Whether the folded literal `id` occurs at `position` (bounds checked against `length`).
    @inline(__always)
    private func verify(
        _ id: Int, at position: Int, _ base: UnsafePointer<UInt8>, _ length: Int,
        _ lits: UnsafeBufferPointer<UInt8>, _ starts: UnsafeBufferPointer<Int>
    ) -> Bool {
        let start = starts[id]
        let count = starts[id + 1] - start
        guard position + count <= length else { return false }
        var offset = 0
        while offset < count {
            if Self.fold(base[position + offset]) != lits[start + offset] { return false }
            offset += 1
        }
        return true
    }

    private func scanFast(
        _ base: UnsafePointer<UInt8>, _ length: Int, _ lits: UnsafeBufferPointer<UInt8>,
        _ starts: UnsafeBufferPointer<Int>, _ onHit: (Int) -> Void
    ) {
        filter4.withUnsafeBufferPointer { f4 in
            filter3.withUnsafeBufferPointer { f3 in
                bucketStart4.withUnsafeBufferPointer { b4 in
                    bucketIDs4.withUnsafeBufferPointer { ids4 in
                        bucketStart3.withUnsafeBufferPointer { b3 in
                            bucketIDs3.withUnsafeBufferPointer { ids3 in
                                guard let filter4 = f4.baseAddress, let filter3 = f3.baseAddress else { return }
                                let scan = FastScan(
                                    filter4: filter4, filter3: filter3, buckets4: b4, ids4: ids4, buckets3: b3,
                                    ids3: ids3, base: base, length: length, lits: lits, starts: starts)
                                if hasThree {
                                    scanThreeAndFour(scan, onHit)
                                } else {
                                    scanFour(scan, onHit)
                                }
                                // The last 3-byte window, which a 4-byte load cannot cover.
                                if length >= 3 {
                                    for id in threeIDs where verify(id, at: length - 3, base, length, lits, starts) {
                                        onHit(id)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The tables and the text of one ``scanFast`` call (pointers valid only during it).
    private struct FastScan {
        let filter4: UnsafePointer<UInt64>
        let filter3: UnsafePointer<UInt64>
        let buckets4: UnsafeBufferPointer<Int32>
        let ids4: UnsafeBufferPointer<Int32>
        let buckets3: UnsafeBufferPointer<Int32>
        let ids3: UnsafeBufferPointer<Int32>
        let base: UnsafePointer<UInt8>
        let length: Int
        let lits: UnsafeBufferPointer<UInt8>
        let starts: UnsafeBufferPointer<Int>
    }

    /// Verifies the literals of `hash`'s bucket at `position`, reporting each that is there.
    @inline(__always)
    private func check(
        _ hash: UInt32, _ position: Int, _ buckets: UnsafeBufferPointer<Int32>, _ ids: UnsafeBufferPointer<Int32>,
        _ scan: FastScan, _ onHit: (Int) -> Void
    ) {
        let bucket = Int(hash >> Self.bucketShift)
        var slot = Int(buckets[bucket])
        let end = Int(buckets[bucket + 1])
        while slot < end {
            let id = Int(ids[slot])
            if verify(id, at: position, scan.base, scan.length, scan.lits, scan.starts) { onHit(id) }
            slot += 1
        }
    }

    /// Every 4-byte window and the 3-byte window at its start (some literals are 3 bytes long).
    @inline(__always)
    private func scanThreeAndFour(_ scan: FastScan, _ onHit: (Int) -> Void) {
        let raw = UnsafeRawPointer(scan.base)
        var position = 0
        let lastFour = scan.length - 4
        while position <= lastFour {
            let word =
                UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt32.self)) | 0x2020_2020
            let h4 = Self.hash(word)
            if scan.filter4[Int(h4 >> 6)] & (1 << UInt64(h4 & 63)) != 0 {
                check(h4, position, scan.buckets4, scan.ids4, scan, onHit)
            }
            let h3 = Self.hash(word & 0x00FF_FFFF)
            if scan.filter3[Int(h3 >> 6)] & (1 << UInt64(h3 & 63)) != 0 {
                check(h3, position, scan.buckets3, scan.ids3, scan, onHit)
            }
            position += 1
        }
    }

    /// Every 4-byte window (no literal is 3 bytes long): four positions per step from one 8-byte
    /// load, one branch per step, then the last positions one by one.
    @inline(__always)
    private func scanFour(_ scan: FastScan, _ onHit: (Int) -> Void) {
        let raw = UnsafeRawPointer(scan.base)
        let filter4 = scan.filter4
        var position = 0
        let lastFour = scan.length - 4
        while position + 8 <= scan.length {
            let eight =
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                | 0x2020_2020_2020_2020
            let h0 = Self.hash(UInt32(truncatingIfNeeded: eight))
            let h1 = Self.hash(UInt32(truncatingIfNeeded: eight >> 8))
            let h2 = Self.hash(UInt32(truncatingIfNeeded: eight >> 16))
            let h3 = Self.hash(UInt32(truncatingIfNeeded: eight >> 24))
            let t0 = filter4[Int(h0 >> 6)] >> UInt64(h0 & 63)
            let t1 = filter4[Int(h1 >> 6)] >> UInt64(h1 & 63)
            let t2 = filter4[Int(h2 >> 6)] >> UInt64(h2 & 63)
            let t3 = filter4[Int(h3 >> 6)] >> UInt64(h3 & 63)
            if (t0 | t1 | t2 | t3) & 1 != 0 {
                if t0 & 1 != 0 { check(h0, position, scan.buckets4, scan.ids4, scan, onHit) }
                if t1 & 1 != 0 { check(h1, position + 1, scan.buckets4, scan.ids4, scan, onHit) }
                if t2 & 1 != 0 { check(h2, position + 2, scan.buckets4, scan.ids4, scan, onHit) }
                if t3 & 1 != 0 { check(h3, position + 3, scan.buckets4, scan.ids4, scan, onHit) }
            }
            position += 4
        }
        while position <= lastFour {
            let word =
                UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt32.self)) | 0x2020_2020
            let h4 = Self.hash(word)
            if filter4[Int(h4 >> 6)] & (1 << UInt64(h4 & 63)) != 0 {
                check(h4, position, scan.buckets4, scan.ids4, scan, onHit)
            }
            position += 1
        }
    }

    /// Slow path for a literal of 1 or 2 bytes: a plain pass over the text.
    private func scanNaive(
        _ id: Int, _ base: UnsafePointer<UInt8>, _ length: Int, _ lits: UnsafeBufferPointer<UInt8>,
        _ starts: UnsafeBufferPointer<Int>, _ onHit: (Int) -> Void
    ) {
        let first = lits[starts[id]]
        var position = 0
        while position < length {
            if Self.fold(base[position]) == first, verify(id, at: position, base, length, lits, starts) {
                onHit(id)
            }
            position += 1
        }
    }
}
