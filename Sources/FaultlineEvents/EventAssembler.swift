import FaultlineIngest
import FaultlineModel

/// Limits on one event, so that memory stays bounded whatever the input.
public struct AssemblerOptions: Sendable, Hashable {
    /// An event reaching this many lines is flushed; later continuation lines start a new event.
    public var maxEventLines: Int = 1000
    /// An event whose raw bytes would exceed this is flushed; later continuation lines start a new event.
    public var maxEventBytes: Int = 1 << 20

    /// Creates options; values below 1 are raised to 1.
    public init(maxEventLines: Int = 1000, maxEventBytes: Int = 1 << 20) {
        self.maxEventLines = max(1, maxEventLines)
        self.maxEventBytes = max(1, maxEventBytes)
    }
}

/// Turns pushed lines into events (push model, one pending event).
///
/// Each line either continues the pending event or flushes it and starts a new one. Blank lines
/// are held tentatively and kept only if the event continues after them; blank lines between
/// events are dropped. Rules, in order:
///
/// 1. Python tracebacks: `Traceback (most recent call last):` joins a pending single announcing
///    line (any level but info/debug/trace) or a chain marker, else starts an event; indented
///    frames continue; the first unindented line after the frames is the exception line; its
///    unindented continuation lines join until a blank line or a record start; chain markers
///    ("During handling of the above exception…", "The above exception was the direct cause…")
///    join across blank lines.
/// 2. .NET: an unindented exception header (`System.X.YException: …`, `Unhandled exception. …`)
///    starts or joins (after a single record line such as Serilog `[04:30:08 ERR] …`); its message
///    lines, `Status:`/`ErrorCode:`/`Additional Information:`/`Content:`/`Headers:` sections (across
///    blank lines), the body after `Content:`, `Name: value` lines after `Headers:`, ` ---> ` inner
///    exceptions and `--- End of inner exception stack trace ---` continue.
/// 3. Node/Winston: a record followed by an unindented JS error header (`Error: 401 …`) joins;
///    `    at …` stacks and `util.inspect` objects (indented, closing `}`/`]`, `... [truncated]`)
///    continue.
/// 4. Generic: an indented line continues the pending event (even after blank lines); a lone `{`
///    or `[`, a closing `}`/`]` and a `...` line continue it; anything else is an event of its own.
///    Input starting mid-event starts an event there.
/// 5. Caps: an event reaching ``AssemblerOptions/maxEventLines`` or
///    ``AssemblerOptions/maxEventBytes`` is flushed and the remaining continuation lines start a new
///    event.
/// 6. JSON lines: a line whose peeled text starts with `{` and parses (tolerantly, in linear time)
///    as a log record — an object with a message key and a level, time or exception key (Winston,
///    pino, loguru `serialize=True`, structlog, python-json-logger, Serilog CLEF, .NET JSON console,
///    Cloud Logging) — is an event of its own whose text is derived from its fields (see
///    ``EventView/isStructured``). Only a `Traceback (most recent call last):` right after a record
///    above info joins it. A cut record keeps the fields read so far; any other line starting with
///    `{` that is not such a record is assembled as text. Other lines pay one byte comparison.
///
/// Lines are copied (memcpy) into buffers reused across events; nothing is allocated per line once
/// warm. Not thread-safe.
public final class EventAssembler: LineSink {
    /// The input the events come from.
    public let source: String
    let options: AssemblerOptions
    private let sink: EventSink
    /// Set once the sink said stop: lines are then ignored.
    private var stopped = false

    /// Events emitted so far.
    public private(set) var eventCount: Int = 0

    var text: Buffer<UInt8>
    var raw: Buffer<UInt8>
    var lines: Buffer<EventLine>
    // The committed part of the pending event; anything beyond is held blank lines.
    private var committedLines = 0
    private var firstMarker: CIMarker = .none
    private var firstService = ""
    /// The bytes of the last service name seen, so a `String` is made only when it changes.
    private var serviceBytes: [UInt8] = []

    private func noteService(_ name: UnsafeBufferPointer<UInt8>) {
        if name.isEmpty {
            firstService = ""
            return
        }
        if !name.elementsEqual(serviceBytes) {
            serviceBytes = Array(name)
            firstService = String(decoding: name, as: UTF8.self)
        } else if firstService.isEmpty {
            firstService = String(decoding: name, as: UTF8.self)
        }
    }
    private var committedText = 0
    private var committedRaw = 0

    enum Mode: UInt8 {
        case none, plain, pyFrames, pyMessage, pyChain, netMessage, netContent, netHeaders, netInfo, structured
    }
    var mode: Mode = .none
    private var netSectionSeen = false
    private var netParagraphUsed = false
    private var netFramesSeen = false

    // Two parsers: a record line is parsed into the spare one while the pending event may still
    // refer to the active one.
    let parsers = (JSONRecordParser(), JSONRecordParser())
    var activeParser = 0
    /// The pending event was built from a record held by the active parser.
    var pendingRecord: RecordView?

    /// Creates an assembler that pushes each finished event into `sink`.
    public init(source: String, options: AssemblerOptions = AssemblerOptions(), sink: EventSink) {
        self.source = source
        self.options = options
        self.sink = sink
        self.text = Buffer(capacity: 4096)
        self.raw = Buffer(capacity: 4096)
        self.lines = Buffer(capacity: 64)
    }

    /// Creates an assembler that calls `emit` for each finished event.
    public convenience init(
        source: String, options: AssemblerOptions = AssemblerOptions(), emit: @escaping (borrowing EventView) -> Void
    ) {
        self.init(source: source, options: options, sink: EventCallback(emit))
    }

    /// Starts the sink's input.
    public func begin(source: String) { sink.begin(source: self.source) }

    /// ``push(_:)`` as a ``LineSink``: ``SinkAction/stop`` once the event sink stopped.
    public func line(_ line: borrowing LineView) -> SinkAction {
        guard !stopped else { return .stop }
        push(line)
        return stopped ? .stop : .proceed
    }

    /// Flushes the pending event and ends the sink's input.
    public func finish(source: String) {
        finish()
        sink.finish(source: self.source)
    }

    /// Adds one line: copies it into reusable buffers, and emits the pending event first when the
    /// line does not continue it.
    public func push(_ line: borrowing LineView) {
        let t = line.text
        if t.count > 1, t[0] == 0x7B, pushRecord(line) { return }
        let indent = Shapes.indentation(t)
        if indent == t.count {
            pushBlank(line)
            return
        }
        let c = Shapes.tail(t, indent)
        let afterBlank = lines.count > committedLines
        if mode != .none, let next = continuation(c, indented: indent > 0, afterBlank: afterBlank) {
            mode = next
            if wouldExceedCaps(line) {
                flush()
            }
            append(line)
            commit()
            return
        }
        flush()
        mode = startMode(c, indented: indent > 0)
        append(line)
        commit()
    }

    /// Flushes the pending event (held blank lines are dropped).
    public func finish() {
        flush()
        mode = .none
    }

    // MARK: - Rules

    private func startMode(_ c: Shapes.Buf, indented: Bool) -> Mode {
        netSectionSeen = false
        netParagraphUsed = false
        netFramesSeen = false
        if indented {
            if Shapes.hasPrefix(c, "---> ") { return .netMessage }
            // Mid-traceback start: a frame line, so the exception line that follows still joins.
            return Shapes.hasPrefix(c, "File \"") ? .pyFrames : .plain
        }
        if Shapes.isTracebackStart(c) { return .pyFrames }
        switch Shapes.exceptionHeader(c) {
        case .dotnet?: return .netMessage
        case .other?: return .pyMessage
        case nil: return .plain
        }
    }

    /// The mode after `c` if it continues the pending event, or `nil` if it starts a new one.
    private func continuation(_ c: Shapes.Buf, indented: Bool, afterBlank: Bool) -> Mode? {
        if mode == .structured {
            return structuredContinuation(c, indented: indented, afterBlank: afterBlank)
        }
        if indented {
            return indentedContinuation(c)
        }
        if Shapes.isTracebackStart(c) {
            if mode == .pyChain { return .pyFrames }
            if mode == .plain, committedLines == 1, !afterBlank, announcesTraceback() { return .pyFrames }
            return nil
        }
        switch mode {
        case .none, .structured:
            return nil
        case .pyFrames:
            if Shapes.hasPrefix(c, "File \"") { return .pyFrames }
            if Shapes.looksLikeRecordStart(c) { return nil }
            return .pyMessage
        case .pyMessage:
            if Shapes.isChainMarker(c) { return .pyChain }
            if !afterBlank, !netFramesSeen, !Shapes.looksLikeRecordStart(c) { return .pyMessage }
        case .pyChain:
            if Shapes.isChainMarker(c) { return .pyChain }
        case .netMessage, .netContent, .netHeaders, .netInfo:
            if let next = netContinuation(c, afterBlank: afterBlank) { return next }
        case .plain:
            if committedLines == 1, !afterBlank, let kind = Shapes.exceptionHeader(c) {
                netSectionSeen = false
                netParagraphUsed = false
                netFramesSeen = false
                return kind == .dotnet ? .netMessage : .pyMessage
            }
        }
        return bodyContinuation(c, afterBlank: afterBlank)
    }

    /// ``continuation(_:indented:afterBlank:)`` after a JSON record: only a traceback printed
    /// right after a record above info joins it (loguru with a custom serializer).
    @inline(__always)
    private func structuredContinuation(_ c: Shapes.Buf, indented: Bool, afterBlank: Bool) -> Mode? {
        guard !indented, !afterBlank, Shapes.isTracebackStart(c) else { return nil }
        switch pendingRecord?.level {
        case .trace?, .debug?, .info?: return nil
        default: return .pyFrames
        }
    }

    /// ``continuation(_:indented:afterBlank:)`` for an indented line: it always continues.
    @inline(__always)
    private func indentedContinuation(_ c: Shapes.Buf) -> Mode {
        switch mode {
        case .netMessage, .netContent, .netHeaders, .netInfo:
            if Shapes.hasPrefix(c, "---> ") {
                netSectionSeen = false
                netParagraphUsed = false
                netFramesSeen = false
                return .netMessage
            }
            if mode == .netMessage { netFramesSeen = true }
            return mode
        case .pyMessage:
            // After a JS stack frame, unindented text is no longer the exception message
            // (indented Python message lines, as in pydantic errors, do not end it).
            if Shapes.hasPrefix(c, "at ") { netFramesSeen = true }
            return mode
        default:
            return mode
        }
    }

    /// ``continuation(_:indented:afterBlank:)`` for an unindented line of a .NET exception block:
    /// the mode it continues in, or `nil` to try the generic body rules.
    @inline(__always)
    private func netContinuation(_ c: Shapes.Buf, afterBlank: Bool) -> Mode? {
        if let section = Shapes.section(c) {
            netSectionSeen = true
            switch section {
            case .status: return .netMessage
            case .content: return .netContent
            case .headers: return .netHeaders
            case .additional: return .netInfo
            }
        }
        if Shapes.hasPrefix(c, "--- End of inner exception") { return mode }
        if !afterBlank {
            switch mode {
            case .netContent: return .netContent
            case .netHeaders where Shapes.isHeaderLine(c): return .netHeaders
            case .netInfo where !Shapes.looksLikeRecordStart(c): return .netInfo
            case .netMessage where !netFramesSeen && !Shapes.looksLikeRecordStart(c): return .netMessage
            default: break
            }
        } else if mode == .netMessage, !netSectionSeen, !netParagraphUsed, !netFramesSeen,
            !Shapes.looksLikeRecordStart(c)
        {
            // ClientResultException: "HTTP 429 (429)", a blank line, then the message paragraph.
            netParagraphUsed = true
            return .netMessage
        }
        return nil
    }

    /// ``continuation(_:indented:afterBlank:)``'s generic rule for an unindented line: util.inspect
    /// / JSON bodies (closing brackets, "... [truncated]", a lone opening bracket) continue.
    @inline(__always)
    private func bodyContinuation(_ c: Shapes.Buf, afterBlank: Bool) -> Mode? {
        if !afterBlank, let b = c.first {
            if b == 0x7D || b == 0x5D { return mode }
            if Shapes.hasPrefix(c, "...") { return mode }
            if (b == 0x7B || b == 0x5B), Shapes.indentation(Shapes.tail(c, 1)) == c.count - 1 { return mode }
        }
        return nil
    }

    /// The pending single line announces a traceback: it declares no level, or one above info.
    private func announcesTraceback() -> Bool {
        guard committedLines >= 1 else { return false }
        let first = lines[0].textRange
        let t = UnsafeBufferPointer(start: text.base + first.lowerBound, count: first.count)
        switch Shapes.level(t) {
        case .trace?, .debug?, .info?: return false
        default: return true
        }
    }

    // MARK: - Buffers

    private func pushBlank(_ line: borrowing LineView) {
        guard mode != .none else { return }
        switch mode {
        case .netContent, .netHeaders, .netInfo: mode = .netMessage
        default: break
        }
        if !wouldExceedCaps(line) { append(line) }
    }

    @inline(__always)
    private func wouldExceedCaps(_ line: borrowing LineView) -> Bool {
        guard lines.count > 0 else { return false }
        let rawBytes = raw.count + 1 + line.raw.count
        if lines.count + 1 > options.maxEventLines { return true }
        return rawBytes > options.maxEventBytes
    }

    @inline(__always)
    private func append(_ line: borrowing LineView) {
        if lines.count > 0 {
            text.append(0x0A)
            raw.append(0x0A)
        } else {
            firstMarker = line.marker
            noteService(line.service)
        }
        let ts = text.count
        text.append(line.text)
        let rs = raw.count
        raw.append(line.raw)
        lines.append(EventLine(number: line.number, textRange: ts..<text.count, rawRange: rs..<raw.count))
    }

    @inline(__always)
    func commit() {
        committedLines = lines.count
        committedText = text.count
        committedRaw = raw.count
    }

    func flush() {
        if committedLines > 0 {
            let view = EventView(
                source: source,
                text: UnsafeBufferPointer(start: text.base, count: committedText),
                raw: UnsafeBufferPointer(start: raw.base, count: committedRaw),
                lines: UnsafeBufferPointer(start: lines.base, count: committedLines), record: pendingRecord,
                ciMarker: firstMarker, service: firstService)
            if !stopped {
                eventCount += 1
                if sink.event(view) == .stop { stopped = true }
            }
        }
        text.count = 0
        raw.count = 0
        lines.count = 0
        committedLines = 0
        committedText = 0
        committedRaw = 0
        pendingRecord = nil
    }
}
