import FaultlineEvents
import FaultlineIngest
import FaultlineModel
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An event copied out of the assembler's callback.
struct Event: Equatable, CustomStringConvertible {
    var first: Int
    var last: Int
    var numbers: [Int]
    var text: String
    var raw: String
    var level: LogLevel?
    var timestamp: String?
    var lineTexts: [String]
    var isStructured = false
    /// ``EventView/field(_:)`` for each of ``Event/probedFields`` that the event has.
    var fields: [String: String] = [:]

    static let probedFields = ["level", "cause.code", "@l", "record.exception.type", "err.code", "Category", "status"]

    var description: String { "[\(first)-\(last)] \(lineTexts.first ?? "")" }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

let bufferSizes = [1, 7, 4096]

/// Reads `bytes` through a real file with the given read-buffer size and assembles events.
func assemble(
    _ bytes: [UInt8], bufferSize: Int, maxLineBytes: Int = 1 << 20, options: AssemblerOptions = AssemblerOptions()
) throws -> [Event] {
    var template = Array("/tmp/faultline-events-XXXXXX".utf8CString)
    let fd = mkstemp(&template)
    guard fd >= 0 else { throw TestFailure("mkstemp failed") }
    let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    defer {
        close(fd)
        unlink(path)
    }
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { throw TestFailure("write failed") }
        offset += n
    }
    lseek(fd, 0, SEEK_SET)
    var events: [Event] = []
    let assembler = EventAssembler(source: "test.log", options: options) { ev in
        events.append(
            Event(
                first: ev.firstLine, last: ev.lastLine, numbers: ev.lines.map(\.number),
                text: String(decoding: ev.text, as: UTF8.self), raw: String(decoding: ev.raw, as: UTF8.self),
                level: ev.level(), timestamp: ev.timestamp(), lineTexts: ev.lines.indices.map { ev.lineText($0) },
                isStructured: ev.isStructured,
                fields: Dictionary(
                    uniqueKeysWithValues: Event.probedFields.compactMap { name in ev.field(name).map { (name, $0) } })))
    }
    let reader = LineReader(
        fileDescriptor: fd, source: "test.log",
        options: ReaderOptions(bufferSize: bufferSize, maxLineBytes: maxLineBytes))
    reader.forEachLine { assembler.push($0) }
    assembler.finish()
    #expect(assembler.eventCount == events.count)
    return events
}

func assemble(_ text: String, bufferSize: Int, options: AssemblerOptions = AssemblerOptions()) throws -> [Event] {
    try assemble(Array(text.utf8), bufferSize: bufferSize, options: options)
}

/// Joins lines with `\n` and a final newline.
func log(_ lines: String...) -> String { lines.joined(separator: "\n") + "\n" }
