/// The one reader of the timestamps logs write: `[YYYY-MM-DD[T ]]HH:MM[:SS][.,fraction][Z|±HH[:]MM|±HH]`.
///
/// A UTC offset is honoured: `10:00:00+02:00` and `08:00:00Z` are the same instant. No offset
/// reads as UTC. Not on the per-line path (``rfc3339Length(_:_:zOnly:)`` is, and allocates nothing).
public enum Timestamp {
    /// One timestamp read at a position.
    public struct Parsed: Equatable, Sendable {
        /// Days since 1970-01-01, `nil` for a time of day alone.
        public var days: Int?
        /// Seconds of the day as written (before the offset is applied).
        public var secondsOfDay: Int
        /// The fraction of the second written, in nanoseconds (digits past the ninth ignored); 0
        /// without one.
        public var nanoseconds: Int64
        /// The UTC offset written (`+02:00` is 7200), 0 for `Z` or none.
        public var offsetSeconds: Int
        /// The index after the timestamp.
        public var end: Int

        /// Seconds since 1970 (UTC), or UTC seconds of the day when there is no date.
        public var seconds: Double {
            Double((days ?? 0) * 86400 + secondsOfDay - offsetSeconds) + Double(nanoseconds) / 1e9
        }
    }

    /// Seconds since 1970 (UTC) of the first `YYYY-MM-DD[T ]HH:MM:SS…` in `text`, or UTC seconds of
    /// the day of the first `HH:MM:SS…`; nil when the text holds neither. For
    /// `correlate.after.within_seconds`.
    public static func seconds(_ text: String) -> Double? {
        let b = Array(text.utf8)
        return b.withUnsafeBufferPointer { b in
            var i = 0
            while i < b.count {
                if i == 0 || !ASCII.isDigit(b[i - 1]),
                    let t = parse(b, at: i, dateOptional: true, secondsOptional: false)
                {
                    return t.seconds
                }
                i += 1
            }
            return nil
        }
    }

    /// Nanoseconds since 1970-01-01T00:00:00Z of the first date-time in `text` (a prefix before the
    /// date is ignored; seconds are optional), or `nil` when its first `YYYY-MM-DD` starts none.
    public static func nanoseconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        return b.withUnsafeBufferPointer { b -> Int64? in
            var start = 0
            while start + 10 <= b.count, dateAt(b, start) == nil { start += 1 }
            guard start + 10 <= b.count, let t = parse(b, at: start, dateOptional: false, secondsOptional: true)
            else { return nil }
            let seconds = Int64((t.days ?? 0) * 86400 + t.secondsOfDay - t.offsetSeconds)
            return seconds * 1_000_000_000 + t.nanoseconds
        }
    }

    /// The timestamp starting at `b[i]`, or `nil`. `dateOptional`: a time of day alone is read
    /// (else the date is required); `secondsOptional`: `HH:MM` is read.
    public static func parse(
        _ b: UnsafeBufferPointer<UInt8>, at i: Int, dateOptional: Bool, secondsOptional: Bool
    ) -> Parsed? {
        var j = i
        var days: Int?
        if let (y, m, d) = dateAt(b, i) {
            guard (1...12).contains(m), (1...31).contains(d) else { return nil }
            days = daysFromCivil(y, m, d)
            j += 10
            guard j < b.count, b[j] == 0x54 || b[j] == 0x20 else { return nil }
            j += 1
        } else if !dateOptional {
            return nil
        }
        guard let h = digits(b, j, 2), j + 5 <= b.count, b[j + 2] == 0x3A, let mi = digits(b, j + 3, 2) else {
            return nil
        }
        j += 5
        var s = 0
        if j < b.count, b[j] == 0x3A, let v = digits(b, j + 1, 2) {
            s = v
            j += 3
        } else if !secondsOptional {
            return nil
        }
        guard h < 24, mi < 60, s < 61 else { return nil }
        var nanos: Int64 = 0
        if j < b.count, b[j] == 0x2E || b[j] == 0x2C {
            var scale: Int64 = 100_000_000
            j += 1
            while j < b.count, ASCII.isDigit(b[j]) {
                nanos += Int64(b[j] - 0x30) * scale
                scale /= 10
                j += 1
            }
        }
        var offset = 0
        if j < b.count, b[j] == 0x5A {
            j += 1
        } else if j < b.count, b[j] == 0x2B || b[j] == 0x2D, let oh = digits(b, j + 1, 2) {
            let sign = b[j] == 0x2D ? -1 : 1
            var om = 0
            if let v = digits(b, j + 3, 2) {
                om = v
                j += 5
            } else if j + 3 < b.count, b[j + 3] == 0x3A, let v = digits(b, j + 4, 2) {
                om = v
                j += 6
            } else {
                j += 3
            }
            offset = sign * (oh * 3600 + om * 60)
        }
        return Parsed(
            days: days, secondsOfDay: h * 3600 + mi * 60 + s, nanoseconds: nanos, offsetSeconds: offset, end: j)
    }

    /// Length of an RFC 3339 timestamp at `p[0..<n]` (`2025-01-02T03:04:05[.f{1,9}](Z|±hh:mm)`),
    /// or 0. `zOnly` accepts only the `Z` zone designator. Per-line path: no allocation.
    @inlinable @inline(__always)
    public static func rfc3339Length(_ p: UnsafePointer<UInt8>, _ n: Int, zOnly: Bool) -> Int {
        guard n >= 20 else { return 0 }
        let d = ASCII.isDigit
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

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The civil date of a day since 1970-01-01 (Howard Hinnant's algorithm).
    public static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DD` at `b[i]`.
    static func dateAt(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Int, Int, Int)? {
        guard i + 10 <= b.count, b[i + 4] == 0x2D, b[i + 7] == 0x2D, let y = digits(b, i, 4),
            let m = digits(b, i + 5, 2), let d = digits(b, i + 8, 2)
        else { return nil }
        return (y, m, d)
    }

    static func digits(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ n: Int) -> Int? {
        guard i >= 0, i + n <= b.count else { return nil }
        var v = 0
        for k in i..<(i + n) {
            let c = b[k]
            guard ASCII.isDigit(c) else { return nil }
            v = v * 10 + Int(c - 48)
        }
        return v
    }
}
