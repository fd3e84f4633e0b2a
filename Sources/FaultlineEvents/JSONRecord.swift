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
    private let roles: [[RoleEntry]]

    init() {
        line = Buffer(capacity: 4096)
        paths = Buffer(capacity: 1024)
        fields = Buffer(capacity: 32)
        current = Buffer(capacity: 128)
        p = line.base
        roles = RoleEntry.table
    }

    deinit {
        line.free()
        paths.free()
        fields.free()
        current.free()
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

    // MARK: Roles

    /// The role of field `f`, from its path.
    func role(of f: Int) -> RecordRole? {
        let field = fields[f]
        let count = field.pathEnd - field.pathStart
        guard count < roles.count else { return nil }
        let path = paths.base + field.pathStart
        for entry in roles[count] where entry.bytes[0] == path[0] {
            if entry.bytes.withUnsafeBufferPointer({ JSONText.equal($0, path) }) {
                return entry.role
            }
        }
        return nil
    }

    /// Classifies the fields; `nil` when the object is no log record (no message, or a message with
    /// neither level, time, exception nor CLEF marker).
    func shape() -> RecordShape? {
        var s = RecordShape()
        for f in 0..<fields.count {
            let kind = fields[f].kind
            if paths[fields[f].pathStart] == 0x40 { s.clef = true }
            guard let role = role(of: f) else { continue }
            switch role {
            case .message(let rank, let template):
                if rank < s.messageRank {
                    s.message = f
                    s.messageRank = rank
                    s.messageIsTemplate = template
                }
            case .level(let rank, let scale):
                if rank < s.levelRank, kind != .container {
                    s.level = f
                    s.levelRank = rank
                    s.levelScale = scale
                }
            case .time(let rank):
                if rank < s.timeRank, kind != .container {
                    s.time = f
                    s.timeRank = rank
                }
            case .stack(let rank):
                if rank < s.stackRank, kind == .string || kind == .escapedString,
                    fields[f].valueEnd > fields[f].valueStart
                {
                    s.stack = f
                    s.stackRank = rank
                }
            case .loguruText:
                if s.loguruText < 0, kind != .container { s.loguruText = f }
            case .exceptionType(let group):
                if group < s.exceptionGroup, kind == .string || kind == .escapedString {
                    s.exceptionGroup = group
                    s.exceptionType = f
                    s.exceptionValue = -1
                }
            case .exceptionValue, .keyValue:
                break
            }
        }
        guard s.message >= 0 else { return nil }
        if s.exceptionType >= 0 {
            for f in 0..<fields.count {
                if case .exceptionValue(let group)? = role(of: f), group == s.exceptionGroup,
                    fields[f].kind != .container
                {
                    s.exceptionValue = f
                    break
                }
            }
        }
        guard s.level >= 0 || s.time >= 0 || s.stack >= 0 || s.exceptionType >= 0 || s.clef else { return nil }
        return s
    }

    /// The level field's value mapped to a ``LogLevel``.
    func level(_ s: RecordShape) -> LogLevel? {
        guard s.level >= 0 else { return s.clef ? .info : nil }
        let f = fields[s.level]
        let v = UnsafeBufferPointer(start: line.base + f.valueStart, count: f.valueEnd - f.valueStart)
        if f.kind == .scalar {
            guard let number = JSONText.integer(v) else { return nil }
            return Self.numericLevel(number, s.levelScale)
        }
        // Unescape (Winston's colorize leaves `\u001b[31merror\u001b[39m`), drop escape sequences.
        guard v.count <= 64 else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { tmp -> LogLevel? in
            var word = JSONText.plainWord(v, escaped: f.kind == .escapedString, into: tmp)
            if s.levelScale == .mongo {
                guard let first = word.first else { return nil }
                switch first {
                case 0x46: return .critical
                case 0x45: return .error
                case 0x57: return .warning
                case 0x49: return .info
                case 0x44: return .debug
                default: return nil
                }
            }
            if word.count > 16 { word = UnsafeBufferPointer(rebasing: word[0..<16]) }
            if let l = Shapes.anyCaseLevel(word) { return l }
            for i in 0..<word.count { tmp[200 + i] = ASCII.isUpper(word[i]) ? word[i] | 0x20 : word[i] }
            let lower = UnsafeBufferPointer(start: tmp.baseAddress.map { $0 + 200 }, count: word.count)
            func eq(_ w: StaticString) -> Bool { lower.count == w.utf8CodeUnitCount && Shapes.hasPrefix(lower, w) }
            if eq("http") || eq("notice") || eq("default") { return .info }
            if eq("severe") { return .error }
            if eq("alert") || eq("emerg") || eq("emergency") || eq("panic") { return .critical }
            return nil
        }
    }

    static func numericLevel(_ v: Int, _ scale: LevelScale) -> LogLevel? {
        switch scale {
        case .python:
            switch v {
            case ..<10: return .trace
            case ..<20: return .debug
            case ..<30: return .info
            case ..<40: return .warning
            case ..<50: return .error
            default: return .critical
            }
        case .cloud:
            switch v {
            case ..<100: return nil
            case ..<200: return .debug
            case ..<400: return .info
            case ..<500: return .warning
            case ..<600: return .error
            default: return .critical
            }
        case .pino:
            switch v {
            case 0...2: return .critical
            case 3: return .error
            case 4: return .warning
            case 5, 6: return .info
            case 7: return .debug
            case 10..<20: return .trace
            case 20..<30: return .debug
            case 30..<40: return .info
            case 40..<50: return .warning
            case 50..<60: return .error
            case 60..<100: return .critical
            default: return nil
            }
        case .mongo, .words:
            return nil
        }
    }

    /// The time field as written (trailing spaces dropped), or converted to ISO 8601 when it is a Unix epoch number.
    func time(_ index: Int) -> String? {
        guard index >= 0, index < fields.count else { return nil }
        let f = fields[index]
        let v = UnsafeBufferPointer(start: line.base + f.valueStart, count: f.valueEnd - f.valueStart)
        if f.kind == .scalar { return JSONText.isoFromEpoch(v) ?? String(decoding: v, as: UTF8.self) }
        // .NET's console formatter writes its TimestampFormat with a trailing space.
        var e = v.count
        while e > 0, v[e - 1] == 0x20 { e -= 1 }
        guard e > 0 else { return nil }
        return JSONText.string(UnsafeBufferPointer(rebasing: v[0..<e]), escaped: f.kind == .escapedString)
    }

    /// The value at dotted `path` (the first one when arrays repeat it).
    func value(at path: UnsafeBufferPointer<UInt8>) -> String? {
        for f in 0..<fields.count {
            let field = fields[f]
            guard field.pathEnd - field.pathStart == path.count, JSONText.equal(path, paths.base + field.pathStart)
            else { continue }
            let v = UnsafeBufferPointer(start: line.base + field.valueStart, count: field.valueEnd - field.valueStart)
            return JSONText.string(v, escaped: field.kind == .escapedString)
        }
        return nil
    }

    /// Index of the first field whose path is `path`, or -1.
    func index(of path: UnsafeBufferPointer<UInt8>) -> Int {
        for f in 0..<fields.count {
            let field = fields[f]
            if field.pathEnd - field.pathStart == path.count, JSONText.equal(path, paths.base + field.pathStart) {
                return f
            }
        }
        return -1
    }

    /// The bytes of field `f`'s path.
    func pathBytes(_ f: Int) -> UnsafeBufferPointer<UInt8> {
        let field = fields[f]
        return UnsafeBufferPointer(start: paths.base + field.pathStart, count: field.pathEnd - field.pathStart)
    }

    /// The bytes of field `f`'s value as written (escapes kept).
    func valueBytes(_ f: Int) -> UnsafeBufferPointer<UInt8> {
        let field = fields[f]
        return UnsafeBufferPointer(start: line.base + field.valueStart, count: field.valueEnd - field.valueStart)
    }
}

/// A key path and its role; ``table`` is indexed by path length.
struct RoleEntry: Sendable {
    let bytes: [UInt8]
    let role: RecordRole

    static let table: [[RoleEntry]] = {
        let entries: [(String, RecordRole)] = [
            // Messages: loguru, CLEF rendered, Serilog JSON, Winston/python-json-logger/GCP/ECS,
            // .NET JSON console, pino/bunyan/MongoDB, structlog, CLEF/Serilog templates.
            ("record.message", .message(rank: 0, template: false)),
            ("@m", .message(rank: 1, template: false)),
            ("RenderedMessage", .message(rank: 2, template: false)),
            ("message", .message(rank: 3, template: false)),
            ("Message", .message(rank: 4, template: false)),
            ("msg", .message(rank: 5, template: false)),
            ("event", .message(rank: 6, template: false)),
            ("@mt", .message(rank: 7, template: true)),
            ("MessageTemplate", .message(rank: 8, template: true)),
            ("textPayload", .message(rank: 9, template: false)),
            // Levels.
            ("record.level.name", .level(rank: 0, scale: .words)),
            ("level", .level(rank: 1, scale: .pino)),
            ("level.name", .level(rank: 2, scale: .words)),
            ("levelname", .level(rank: 3, scale: .words)),
            ("severity", .level(rank: 4, scale: .cloud)),
            ("@l", .level(rank: 5, scale: .words)),
            ("LogLevel", .level(rank: 6, scale: .words)),
            ("Level", .level(rank: 7, scale: .words)),
            ("log.level", .level(rank: 8, scale: .words)),
            ("loglevel", .level(rank: 9, scale: .pino)),
            ("lvl", .level(rank: 10, scale: .pino)),
            ("levelno", .level(rank: 11, scale: .python)),
            ("record.level.no", .level(rank: 12, scale: .python)),
            ("s", .level(rank: 13, scale: .mongo)),
            // Times.
            ("record.time.repr", .time(rank: 0)),
            ("@t", .time(rank: 1)),
            ("timestamp", .time(rank: 2)),
            ("@timestamp", .time(rank: 3)),
            ("Timestamp", .time(rank: 4)),
            ("time", .time(rank: 5)),
            ("asctime", .time(rank: 6)),
            ("ts", .time(rank: 7)),
            ("t.$date", .time(rank: 8)),
            ("datetime", .time(rank: 9)),
            ("record.time.timestamp", .time(rank: 10)),
            // Exception and stack strings.
            ("stack", .stack(rank: 0)),
            ("@x", .stack(rank: 1)),
            ("Exception", .stack(rank: 2)),
            ("exception", .stack(rank: 3)),
            ("exc_info", .stack(rank: 4)),
            ("exc_text", .stack(rank: 5)),
            ("stack_trace", .stack(rank: 6)),
            ("stacktrace", .stack(rank: 7)),
            ("traceback", .stack(rank: 8)),
            ("err.stack", .stack(rank: 9)),
            ("error.stack", .stack(rank: 10)),
            ("error.stack_trace", .stack(rank: 11)),
            ("exception.stacktrace", .stack(rank: 12)),
            ("exception.traceback", .stack(rank: 13)),
            ("record.exception.traceback", .stack(rank: 14)),
            ("text", .loguruText),
            // Exception type and message pairs.
            ("record.exception.type", .exceptionType(group: 0)),
            ("record.exception.value", .exceptionValue(group: 0)),
            ("exception.type", .exceptionType(group: 1)),
            ("exception.value", .exceptionValue(group: 1)),
            ("exception.message", .exceptionValue(group: 1)),
            ("exception.exc_type", .exceptionType(group: 2)),
            ("exception.exc_value", .exceptionValue(group: 2)),
            ("err.type", .exceptionType(group: 3)),
            ("err.message", .exceptionValue(group: 3)),
        ]
        var table = [[RoleEntry]](repeating: [], count: 32)
        for (path, role) in entries {
            table[path.utf8.count].append(RoleEntry(bytes: Array(path.utf8), role: role))
        }
        for (id, path) in keyValuePaths.enumerated() {
            table[path.utf8.count].append(RoleEntry(bytes: Array(path.utf8), role: .keyValue(id: UInt8(id))))
        }
        return table
    }()

    /// Fields written as `key: value` lines after the exception, in input order, each at most once.
    static let keyValuePaths = [
        "code", "status", "statusCode", "status_code", "errno", "error_code",
        "cause.code", "cause.errno", "cause.syscall", "cause.hostname", "cause.message", "cause.status",
        "err.code", "err.status", "err.statusCode",
        "error.code", "error.status", "error.type", "error.message",
        "response.status",
        // Error payloads logged as strings (a gateway's upstream body, an escaped error JSON):
        // unescaped once, so the service's own message reads as text.
        "body", "error", "detail", "details", "reason", "response", "responseBody", "response_body",
        "errorMessage", "error_message", "upstream_error", "cause",
    ]
}

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
        defer { tmp.free() }
        unescape(base, v.count, into: &tmp)
        return String(decoding: UnsafeBufferPointer(start: tmp.base, count: tmp.count), as: UTF8.self)
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
            defer { b.free() }
            unescape(src, v.count, into: &b)
            count = min(b.count, 136)
            dst.update(from: b.base, count: count)
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
