import FaultlineModel
import FaultlineText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension JSONRecordParser {
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
