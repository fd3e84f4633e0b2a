import FaultlineIngest
import FaultlineModel

/// Where one line of an event sits in the event's buffers.
public struct EventLine: Sendable, Hashable {
    /// 1-based line number in the source.
    public let number: Int
    /// The line's peeled bytes: a range into ``EventView/text``.
    public let textRange: Range<Int>
    /// The line's original bytes: a range into ``EventView/raw``.
    public let rawRange: Range<Int>

    /// Creates a line record.
    public init(number: Int, textRange: Range<Int>, rawRange: Range<Int>) {
        self.number = number
        self.textRange = textRange
        self.rawRange = rawRange
    }
}

/// One assembled event (a traceback, a .NET block, a Winston record with its stack, a single
/// line), handed out by ``EventAssembler``.
///
/// Valid only during the callback: the buffers are reused for the next event. Copy out what
/// must outlive it (``lineText(_:)`` gives a `String`).
public struct EventView {
    /// The input the event came from (path or `<stdin>`).
    public let source: String
    /// The event's peeled lines joined with `\n` (no trailing `\n`).
    public let text: UnsafeBufferPointer<UInt8>
    /// The original lines joined with `\n` (no trailing `\n`).
    public let raw: UnsafeBufferPointer<UInt8>
    /// One entry per line, in order; never empty for an emitted event.
    ///
    /// For a structured (JSON-lines) record, every line derived from the record carries the
    /// record's source line number and a ``EventLine/rawRange`` covering the whole original line.
    public let lines: UnsafeBufferPointer<EventLine>
    /// The JSON record behind the event, when it was built from one.
    let record: RecordView?
    /// The CI marker peeled from the event's first line (`##[error]` → `.error`), if any.
    public let ciMarker: CIMarker
    /// The docker compose service the event's first line came from (`librechat-1`), or "".
    public let service: String

    /// Creates a view over caller-owned buffers.
    public init(
        source: String, text: UnsafeBufferPointer<UInt8>, raw: UnsafeBufferPointer<UInt8>,
        lines: UnsafeBufferPointer<EventLine>
    ) {
        self.init(source: source, text: text, raw: raw, lines: lines, record: nil)
    }

    init(
        source: String, text: UnsafeBufferPointer<UInt8>, raw: UnsafeBufferPointer<UInt8>,
        lines: UnsafeBufferPointer<EventLine>, record: RecordView?, ciMarker: CIMarker = .none, service: String = ""
    ) {
        self.source = source
        self.text = text
        self.raw = raw
        self.lines = lines
        self.record = record
        self.ciMarker = ciMarker
        self.service = service
    }

    /// `true` when the event was built from a JSON log record (Winston, pino, loguru `serialize`,
    /// structlog, python-json-logger, Serilog CLEF, .NET JSON console, Cloud Logging `severity`).
    ///
    /// Its ``text`` then reads like the equivalent text log: the message, the exception or stack
    /// string unescaped into lines, then a few `key: value` lines (`cause.code: ECONNREFUSED`,
    /// `status: 401`); ``raw`` is the original JSON line.
    public var isStructured: Bool { record != nil }

    /// The value of a JSON record's field by dotted key path (`"level"`, `"cause.code"`,
    /// `"record.exception.type"`, `"@l"`), or `nil` when the event is not structured or has no
    /// such field.
    ///
    /// Strings are unescaped; numbers, booleans and `null` are returned as written; objects and
    /// arrays as their JSON text. Array elements are found under the array's own path (the first
    /// match wins). Only paths up to four keys deep are recorded. A string cut off by a truncated
    /// line is returned up to the cut.
    public func field(_ name: String) -> String? {
        guard let record else { return nil }
        var name = name
        return name.withUTF8 { record.parser.value(at: $0) }
    }

    /// The source line number of the first line (0 for an empty view).
    public var firstLine: Int { lines.first?.number ?? 0 }
    /// The source line number of the last line (0 for an empty view).
    public var lastLine: Int { lines.last?.number ?? 0 }

    /// The peeled bytes of line `i` (empty when `i` is out of range).
    public func lineBytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        guard lines.indices.contains(i) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return Self.slice(text, lines[i].textRange)
    }

    /// The original bytes of line `i` (empty when `i` is out of range).
    public func rawLineBytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        guard lines.indices.contains(i) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return Self.slice(raw, lines[i].rawRange)
    }

    /// The text of line `i`, decoded as UTF-8 with U+FFFD for invalid bytes ("" out of range).
    public func lineText(_ i: Int) -> String { String(decoding: lineBytes(i), as: UTF8.self) }

    /// The original bytes of line `i`, decoded as UTF-8 with U+FFFD for invalid bytes.
    public func rawLineText(_ i: Int) -> String { String(decoding: rawLineBytes(i), as: UTF8.self) }

    /// The whole peeled text, decoded as UTF-8 with U+FFFD for invalid bytes.
    public var textString: String { String(decoding: text, as: UTF8.self) }

    /// The level the event declares, computed on each call from its first line.
    ///
    /// Recognises Python logging/loguru (`ERROR`, `| ERROR    |`, `ERROR:root:`), Jupyter
    /// (`E 2024-…`, `[E 2024-…`), Winston (`error:`, `"level":"error"`), .NET console logger
    /// (`fail:`, `crit:`, `warn:`, `info:`, `dbug:`, `trce:`), systemd (`<3>`), Serilog
    /// (`[04:30:08 ERR]`). When the first line declares none, an event holding a Python traceback
    /// or an exception header (`System.X.YException: …`, `pkg.SomeError: …`) is `.error`.
    ///
    /// A structured event returns its record's level (`"level":"error"`, `"level":50`,
    /// `"@l":"Error"`, a CLEF record without `@l` being `.info`, `"LogLevel":"Error"`,
    /// `"severity":"ERROR"`, loguru's `record.level.name`); without one, the rules above apply to
    /// its derived lines.
    public func level() -> LogLevel? {
        if let record {
            if let l = record.level { return l }
        }
        if let l = Shapes.level(lineBytes(0)) { return l }
        switch ciMarker {
        case .error: return .error
        case .warning: return .warning
        default: break
        }
        for i in lines.indices {
            let t = lineBytes(i)
            let c = Shapes.tail(t, Shapes.indentation(t))
            if Shapes.isTracebackStart(c) || Shapes.exceptionHeader(c) != nil { return .error }
            if Shapes.hasPrefix(c, "---> ") { return .error }
        }
        return nil
    }

    /// The first line's timestamp as written (`2025-05-07 21:44:03`, `21:44:03,123`,
    /// `2025-05-07T21:44:03.123Z`, a JSON record's `timestamp`), falling back to a peeled
    /// GitHub Actions / CRI timestamp at the start of the raw line; `nil` when there is none.
    ///
    /// A structured event returns its record's time field (`timestamp`, `@t`, `time`,
    /// `Timestamp`, `asctime`, loguru's `record.time.repr`, …) as written; a Unix epoch number
    /// (pino's `time`) is converted to `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public func timestamp() -> String? {
        if let record, let t = record.parser.time(record.time) { return t }
        let t = lineBytes(0)
        if let r = Shapes.timestampRange(t) { return String(decoding: Self.slice(t, r), as: UTF8.self) }
        let raw = rawLineBytes(0)
        if let e = Shapes.dateTimeEnd(raw, 0), e > 10 {
            return String(decoding: Self.slice(raw, 0..<e), as: UTF8.self)
        }
        return nil
    }

    static func slice(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        guard let base = b.baseAddress, r.lowerBound >= 0, r.upperBound <= b.count else {
            return UnsafeBufferPointer(start: nil, count: 0)
        }
        return UnsafeBufferPointer(start: base + r.lowerBound, count: r.count)
    }
}

/// The JSON record behind a structured event: the parser holding its fields (valid until the
/// assembler parses the next record after this event is emitted), its mapped level and time field.
struct RecordView {
    let parser: JSONRecordParser
    let level: LogLevel?
    let time: Int
}
