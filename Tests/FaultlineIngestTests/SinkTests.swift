import FaultlineModel
import Testing

@testable import FaultlineIngest

/// Records what a reader pushes, and says stop after `stopAfter` lines.
private final class RecordingSink: LineSink {
    var calls: [String] = []
    let stopAfter: Int?
    private var lines = 0

    init(stopAfter: Int? = nil) { self.stopAfter = stopAfter }

    func begin(source: String) { calls.append("begin \(source)") }

    func line(_ line: borrowing LineView) -> SinkAction {
        calls.append(String(decoding: line.text, as: UTF8.self))
        lines += 1
        if let stopAfter, lines >= stopAfter { return .stop }
        return .proceed
    }

    func finish(source: String) { calls.append("finish \(source)") }
}

@Suite("Line sinks")
struct LineSinkTests {
    @Test("a reader pushes begin, every line, finish", arguments: bufferSizes)
    func contract(bufferSize: Int) {
        let sink = RecordingSink()
        let reader = LineReader(
            input: MemorySource("one\r\ntwo\nthree"), source: "m.log", options: ReaderOptions(bufferSize: bufferSize))
        #expect(reader.read(into: sink) == .proceed)
        #expect(sink.calls == ["begin m.log", "one", "two", "three", "finish m.log"])
        #expect(reader.lineCount == 3)
        #expect(reader.bytesRead == 14)
    }

    @Test("a sink that says stop gets no further line, and still its finish", arguments: bufferSizes)
    func stop(bufferSize: Int) {
        let sink = RecordingSink(stopAfter: 2)
        let text = (1...50).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let reader = LineReader(
            input: MemorySource(text), source: "m.log", options: ReaderOptions(bufferSize: bufferSize))
        #expect(reader.read(into: sink) == .stop)
        #expect(sink.calls == ["begin m.log", "line 1", "line 2", "finish m.log"])
        #expect(reader.lineCount == 2)
    }

    @Test("a stop inside a Docker partial line delivers nothing more")
    func stopWithPendingJoin() {
        let sink = RecordingSink(stopAfter: 1)
        let text = """
            {"log":"first\\n","stream":"stderr","time":"2025-01-02T03:04:05Z"}
            {"log":"part ","stream":"stderr","time":"2025-01-02T03:04:05Z"}
            {"log":"two\\n","stream":"stderr","time":"2025-01-02T03:04:05Z"}

            """
        let reader = LineReader(input: MemorySource(text), source: "d.log")
        #expect(reader.read(into: sink) == .stop)
        #expect(sink.calls == ["begin d.log", "first", "finish d.log"])
    }

    @Test("progress counts the bytes read from the source")
    func progress() {
        let progress = ScanProgress()
        let text = String(repeating: "abcdefghij\n", count: 1000)
        let reader = LineReader(
            input: MemorySource(text), source: "p.log", options: ReaderOptions(bufferSize: 4096),
            control: ReadControl(progress: progress))
        reader.read(into: RecordingSink())
        #expect(progress.snapshot.bytes == text.utf8.count)
    }

}
