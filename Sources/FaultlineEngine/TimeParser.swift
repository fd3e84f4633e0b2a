/// Turns the timestamps logs write into seconds, for `correlate.after.within_seconds`.
///
/// Only used on events that matched a rule, never on the per-line path.
enum TimeParser {
    /// Seconds since 1970 for `YYYY-MM-DD[T ]HH:MM:SS[.,fraction]`, or seconds of the day for
    /// `HH:MM:SS[.,fraction]` alone. nil when the text holds neither.
    static func seconds(_ text: String) -> Double? {
        let b = Array(text.utf8)
        var i = 0
        while i < b.count {
            if let (v, _) = parse(b, at: i) { return v }
            i += 1
        }
        return nil
    }

    private static func digits(_ b: [UInt8], _ i: Int, _ n: Int) -> Int? {
        guard i + n <= b.count else { return nil }
        var v = 0
        for k in i..<(i + n) {
            let c = b[k]
            guard c >= 48, c <= 57 else { return nil }
            v = v * 10 + Int(c - 48)
        }
        return v
    }

    private static func parse(_ b: [UInt8], at i: Int) -> (Double, Int)? {
        if i > 0, b[i - 1] >= 48, b[i - 1] <= 57 { return nil }
        var day: Int?
        var j = i
        if let y = digits(b, j, 4), j + 10 <= b.count, b[j + 4] == 45, let m = digits(b, j + 5, 2), b[j + 7] == 45,
            let d = digits(b, j + 8, 2)
        {
            day = daysFromCivil(y, m, d)
            j += 10
            guard j < b.count, b[j] == 84 || b[j] == 32 else { return nil }
            j += 1
        }
        guard let h = digits(b, j, 2), j + 8 <= b.count, b[j + 2] == 58, let mi = digits(b, j + 3, 2), b[j + 5] == 58,
            let s = digits(b, j + 6, 2), h < 24, mi < 60, s < 61
        else { return nil }
        j += 8
        var frac = 0.0
        if j < b.count, b[j] == 46 || b[j] == 44 {
            var scale = 0.1
            j += 1
            while j < b.count, b[j] >= 48, b[j] <= 57 {
                frac += Double(b[j] - 48) * scale
                scale /= 10
                j += 1
            }
        }
        let secs = Double(h * 3600 + mi * 60 + s) + frac
        return ((day.map { Double($0) * 86400 } ?? 0) + secs, j)
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    private static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
