import FaultlineEvents
import FaultlineRegex
import FaultlineText

/// Requests to one operation (host and path, without the query) seen in one source.
public struct OperationKey: Hashable, Sendable {
    /// The request URL without its query (`https://host/openai/deployments/x/chat/completions`).
    public let operation: String
    /// The source name the requests were logged in.
    public let source: String
}

/// How requests to one operation ended in one source.
public struct Outcomes: Sendable, Hashable {
    /// Requests that ended with a 2xx or 3xx status.
    public var succeeded = 0
    /// Requests that ended with a status of 400 or more.
    public var failed = 0
    /// Failures per HTTP status.
    public var failedByStatus: [Int: Int] = [:]
    /// The timestamp of the earliest request event that had one, as written.
    public var firstSeen: String?
    /// The timestamp of the latest request event that had one, as written.
    public var lastSeen: String?
    /// Words of the log prefix (runner, pod, thread, logger) present on every succeeding request
    /// line; nil before the first. Set against ``failAny``, it shows what differs between the kinds.
    public var okCommon: Set<String>?
    /// Words of the log prefix present on any succeeding request line (no more are added once
    /// it holds 256 or more).
    public var okAny: Set<String> = []
    /// Words of the log prefix present on every failing request line; nil before the first.
    public var failCommon: Set<String>?
    /// Words of the log prefix present on any failing request line (no more are added once
    /// it holds 256 or more).
    public var failAny: Set<String> = []

    mutating func add(status: Int, words: Set<String>) {
        if status >= 200 && status < 400 {
            succeeded += 1
            okCommon = okCommon.map { $0.intersection(words) } ?? words
            if okAny.count < 256 { okAny.formUnion(words) }
        } else if status >= 400 {
            failed += 1
            failedByStatus[status, default: 0] += 1
            failCommon = failCommon.map { $0.intersection(words) } ?? words
            if failAny.count < 256 { failAny.formUnion(words) }
        }
    }

    /// Merges another source's outcomes for the same operation.
    mutating func merge(_ o: Outcomes) {
        succeeded += o.succeeded
        failed += o.failed
        for (k, v) in o.failedByStatus { failedByStatus[k, default: 0] += v }
        if let c = o.okCommon { okCommon = okCommon.map { $0.intersection(c) } ?? c }
        if let c = o.failCommon { failCommon = failCommon.map { $0.intersection(c) } ?? c }
        okAny.formUnion(o.okAny)
        failAny.formUnion(o.failAny)
        firstSeen = Self.pick(firstSeen, o.firstSeen, later: false)
        lastSeen = Self.pick(lastSeen, o.lastSeen, later: true)
    }

    /// The earlier (or later) of two timestamps, by instant where both parse, else by text.
    static func pick(_ a: String?, _ b: String?, later: Bool) -> String? {
        guard let a, let b else { return a ?? b }
        let before: Bool
        if let x = Timestamp.seconds(a), let y = Timestamp.seconds(b) { before = x <= y } else { before = a <= b }
        return before != later ? a : b
    }
}

/// Request outcomes per operation and source, counted from httpx `HTTP Request:` lines
/// (openai-python and litellm log one per request): the base of the intermittency signal.
struct RequestOutcomes {
    private(set) var bySource: [OperationKey: Outcomes] = [:]
    /// `HTTP Request: POST https://… "HTTP/1.1 200 OK"`.
    private let requestLine: Regex?

    private static let marker = Array("HTTP Request: ".utf8)

    init(requestLine: Regex?) { self.requestLine = requestLine }

    /// Counts every request line of `event` under its operation (host and path, no query).
    mutating func record(_ event: borrowing EventView, source: String, scratch: MatchScratch) {
        guard let regex = requestLine else { return }
        for i in 0..<event.lines.count {
            let line = event.lineBytes(i)
            guard ASCII.containsIgnoringCase(line, Self.marker),
                let m = try? regex.firstMatch(in: line, from: 0, using: scratch),
                let urlRange = m.range(named: "url"), let statusRange = m.range(named: "status")
            else { continue }
            var status = 0
            for b in line[statusRange] { status = status * 10 + Int(b &- 48) }
            var urlEnd = urlRange.upperBound
            if let q = line[urlRange].firstIndex(of: UInt8(ascii: "?")) { urlEnd = q }
            let operation = String(
                decoding: UnsafeBufferPointer(rebasing: line[urlRange.lowerBound..<urlEnd]), as: UTF8.self)
            let key = OperationKey(operation: operation, source: source)
            var o = bySource[key] ?? Outcomes()
            let prefixEnd = m.range(0)?.lowerBound ?? 0
            o.add(status: status, words: Self.prefixWords(UnsafeBufferPointer(rebasing: line[0..<prefixEnd])))
            let ts = event.timestamp()
            if o.firstSeen == nil { o.firstSeen = ts }
            if ts != nil { o.lastSeen = ts }
            bySource[key] = o
        }
    }

    /// Words of a request line's prefix that can tell runners apart (`runner-b`, `pod-7f9c`,
    /// `worker`): tokens with a letter and at most half digits, split on spaces and punctuation.
    static func prefixWords(_ bytes: UnsafeBufferPointer<UInt8>) -> Set<String> {
        var words = Set<String>()
        var start = -1
        var letters = 0
        var digits = 0
        for i in 0...bytes.count {
            let b: UInt8 = i < bytes.count ? bytes[i] : 0x20
            switch b {
            case 0x20, 0x09, 0x5B, 0x5D, 0x28, 0x29, 0x2C, 0x3B, 0x7C, 0x3D, 0x22, 0x27:
                if start >= 0 {
                    let length = i - start
                    if length >= 2, length <= 64, letters > 0, digits * 2 <= length {
                        words.insert(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                        if words.count >= 32 { return words }
                    }
                    start = -1
                }
            default:
                if start < 0 {
                    start = i
                    letters = 0
                    digits = 0
                }
                if (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A {
                    letters += 1
                } else if b >= 0x30 && b <= 0x39 {
                    digits += 1
                }
            }
        }
        return words
    }
}
