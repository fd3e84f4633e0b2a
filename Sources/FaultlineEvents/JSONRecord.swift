import FaultlineModel
import FaultlineText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One value found in a JSON record, addressed by its dotted key path (arrays are transparent:
/// the elements of `a` are found under `a`).
struct JSONField {
    enum Kind: UInt8 {
        /// A string without escapes; the range is between the quotes (or up to a cut).
        case string
        /// A string with escapes; unescape before use.
        case escapedString
        /// A number, `true`, `false`, `null` or another bare word, as written.
        case scalar
        /// An object or array, as written (up to a cut).
        case container
    }

    var pathStart: Int
    var pathEnd: Int
    var valueStart: Int
    var valueEnd: Int
    var kind: Kind
}

/// What each recognised field of a record is used for.
enum RecordRole: Sendable, Equatable {
    /// The message; lower ranks win.
    case message(rank: UInt8, template: Bool)
    case level(rank: UInt8, scale: LevelScale)
    case time(rank: UInt8)
    /// A whole exception or stack string.
    case stack(rank: UInt8)
    /// loguru's formatted `text` (holds the traceback after the first line).
    case loguruText
    /// An exception type and its message, for records without a stack string.
    case exceptionType(group: UInt8)
    case exceptionValue(group: UInt8)
    /// A nested field worth a `key: value` line.
    case keyValue(id: UInt8)
}

/// How a numeric level is read.
enum LevelScale: Sendable, Equatable {
    /// pino/bunyan (10…60) and, below 10, syslog severities (0…7).
    case pino
    /// Python `levelno` (10 debug … 50 critical).
    case python
    /// Google Cloud Logging `severity` numbers (100 debug … 800 emergency).
    case cloud
    /// MongoDB's one-letter `s` (`F`, `E`, `W`, `I`, `D1`…).
    case mongo
    /// Words only.
    case words
}

/// The fields a record's event is built from, as indices into ``JSONRecordParser/fields``.
struct RecordShape {
    var message = -1
    var messageIsTemplate = false
    var messageRank: UInt8 = .max
    var level = -1
    var levelRank: UInt8 = .max
    var levelScale: LevelScale = .words
    var time = -1
    var timeRank: UInt8 = .max
    var stack = -1
    var stackRank: UInt8 = .max
    var loguruText = -1
    var exceptionGroup: UInt8 = .max
    var exceptionType = -1
    var exceptionValue = -1
    var clef = false
    var keyValueSeen: UInt64 = 0
}

/// A tolerant, linear-time reader of one JSON object per line.
///
/// The object's values are recorded with their key paths (up to ``maxPathDepth`` keys deep and
/// ``maxFields`` values); nothing is allocated once its buffers are warm. Nesting deeper than
/// ``maxDepth`` is skipped by bracket counting (no recursion), so hostile input costs one pass and
/// bounded stack. A line cut inside the object (a truncated log, a line capped by the reader) is
/// `.truncated` and keeps what was read, a string cut off included; anything else that is not JSON
/// is `.malformed`. Tolerated: missing or extra commas, bare words (`NaN`), control bytes and
/// invalid UTF-8 in strings, text after the closing brace.
final class JSONRecordParser {
    static let maxDepth = 24
    static let maxPathDepth = 4
    static let maxPathBytes = 96
    static let maxFields = 256

    enum Outcome { case complete, truncated, malformed }
    private enum Stop: Error { case truncated, malformed }

    /// A copy of the parsed line; field value ranges point into it.
    private(set) var line: Buffer<UInt8>
    /// Field key paths, back to back.
    private(set) var paths: Buffer<UInt8>
    private(set) var fields: Buffer<JSONField>
    private var current: Buffer<UInt8>
    private var p: UnsafeMutablePointer<UInt8>
    private var n = 0
    private var i = 0
    let roles: [[RoleEntry]]

    init() {
        line = Buffer(capacity: 4096)
        paths = Buffer(capacity: 1024)
        fields = Buffer(capacity: 32)
        current = Buffer(capacity: 128)
        p = line.base
        roles = RoleEntry.table
    }

    /// Parses `t`, which starts with `{`.
    func parse(_ t: UnsafeBufferPointer<UInt8>) -> Outcome {
        line.count = 0
        paths.count = 0
        fields.count = 0
        current.count = 0
        line.append(t)
        p = line.base
        n = line.count
        i = 0
        guard n > 0, p[0] == 0x7B else { return .malformed }
        do throws(Stop) {
            try object(depth: 1, keyDepth: 0, tracked: true)
            return .complete
        } catch {
            return error == .truncated ? .truncated : .malformed
        }
    }

    // MARK: Grammar

    @inline(__always)
    private func skipSpace() {
        while i < n {
            let b = p[i]
            guard b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { return }
            i += 1
        }
    }

    private func object(depth: Int, keyDepth: Int, tracked: Bool) throws(Stop) {
        i += 1
        while true {
            skipSpace()
            guard i < n else { throw .truncated }
            let b = p[i]
            if b == 0x7D {
                i += 1
                return
            }
            if b == 0x2C {
                i += 1
                continue
            }
            guard b == 0x22 else { throw .malformed }
            let key = string()
            if key.cut { throw .truncated }
            skipSpace()
            guard i < n else { throw .truncated }
            guard p[i] == 0x3A else { throw .malformed }
            i += 1
            let saved = current.count
            var childTracked = false
            let keyLength = key.end - key.start
            if tracked, keyDepth < Self.maxPathDepth, saved + 1 + keyLength <= Self.maxPathBytes {
                if saved > 0 { current.append(0x2E) }
                if key.escaped {
                    JSONText.unescape(p + key.start, keyLength, into: &current)
                } else {
                    current.append(UnsafeBufferPointer(start: p + key.start, count: keyLength))
                }
                childTracked = true
            }
            try value(depth: depth, keyDepth: keyDepth + 1, tracked: childTracked)
            current.count = saved
        }
    }

    private func array(depth: Int, keyDepth: Int, tracked: Bool) throws(Stop) {
        i += 1
        while true {
            skipSpace()
            guard i < n else { throw .truncated }
            let b = p[i]
            if b == 0x5D {
                i += 1
                return
            }
            if b == 0x2C {
                i += 1
                continue
            }
            try value(depth: depth, keyDepth: keyDepth, tracked: tracked)
        }
    }

    private func value(depth: Int, keyDepth: Int, tracked: Bool) throws(Stop) {
        skipSpace()
        guard i < n else { throw .truncated }
        let b = p[i]
        switch b {
        case 0x22:
            let s = string()
            if tracked { add(s.start, s.end, s.escaped ? .escapedString : .string) }
            if s.cut { throw .truncated }
        case 0x7B, 0x5B:
            let slot = tracked ? add(i, n, .container) : -1
            if depth >= Self.maxDepth {
                try skipNested()
            } else if b == 0x7B {
                try object(depth: depth + 1, keyDepth: keyDepth, tracked: tracked)
            } else {
                try array(depth: depth + 1, keyDepth: keyDepth, tracked: tracked)
            }
            if slot >= 0 { fields.base[slot].valueEnd = i }
        default:
            let s = i
            while i < n {
                let c = p[i]
                if c == 0x2C || c == 0x7D || c == 0x5D || c == 0x3A || c == 0x22 || c == 0x7B || c == 0x5B
                    || c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
                {
                    break
                }
                i += 1
            }
            guard i > s else { throw .malformed }
            if tracked { add(s, i, .scalar) }
        }
    }

    /// Skips a nested object or array by counting brackets outside strings.
    private func skipNested() throws(Stop) {
        var level = 0
        while i < n {
            let b = p[i]
            if b == 0x22 {
                if string().cut { throw .truncated }
                continue
            }
            if b == 0x7B || b == 0x5B {
                level += 1
            } else if b == 0x7D || b == 0x5D {
                level -= 1
                if level <= 0 {
                    i += 1
                    return
                }
            }
            i += 1
        }
        throw .truncated
    }

    /// Reads a string starting at the opening quote; `cut` when the line ends inside it.
    @inline(__always)
    private func string() -> (start: Int, end: Int, escaped: Bool, cut: Bool) {
        i += 1
        let s = i
        // Fast path: the closing quote with no backslash before it.
        if let q = memchr(p + i, 0x22, n - i) {
            let e = UnsafeMutableRawPointer(q) - UnsafeMutableRawPointer(p)
            if memchr(p + i, 0x5C, e - i) == nil {
                i = e + 1
                return (s, e, false, false)
            }
        } else if memchr(p + i, 0x5C, n - i) == nil {
            i = n
            return (s, n, false, true)
        }
        var escaped = false
        while i < n {
            let b = p[i]
            if b == 0x22 {
                let e = i
                i += 1
                return (s, e, escaped, false)
            }
            if b == 0x5C {
                escaped = true
                i += 2
                continue
            }
            i += 1
        }
        i = n
        return (s, n, escaped, true)
    }

    @discardableResult
    private func add(_ start: Int, _ end: Int, _ kind: JSONField.Kind) -> Int {
        guard fields.count < Self.maxFields, current.count > 0 else { return -1 }
        let ps = paths.count
        paths.append(UnsafeBufferPointer(start: current.base, count: current.count))
        fields.append(JSONField(pathStart: ps, pathEnd: paths.count, valueStart: start, valueEnd: end, kind: kind))
        return fields.count - 1
    }
}
