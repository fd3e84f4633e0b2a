import FaultlineModel
import Testing

@testable import FaultlineIngest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A line copied out of the reader's callback.
struct ReadLine: Equatable, CustomStringConvertible {
    var number: Int
    var raw: [UInt8]
    var text: [UInt8]
    var truncated: Bool
    var service: [UInt8] = []
    var marker: CIMarker = .none
    var stream: LineStream = .unknown

    var textString: String { String(decoding: text, as: UTF8.self) }
    var rawString: String { String(decoding: raw, as: UTF8.self) }
    var serviceString: String { String(decoding: service, as: UTF8.self) }
    var description: String { "\(number): \(textString)\(truncated ? " [truncated]" : "")" }
}

/// A scratch directory removed on deinit.
final class TempDir {
    let path: String

    init() throws {
        var template = Array("/tmp/faultline-ingest-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        path = String(cString: made)
    }

    deinit {
        _ = remove(tree: path)
    }

    @discardableResult
    func put(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let full = path + "/" + relative
        // Create intermediate directories.
        var current = path
        for part in relative.split(separator: "/").dropLast() {
            current += "/" + part
            mkdir(current, 0o755)
        }
        let fd = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw TestFailure("cannot create \(full)") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw TestFailure("write failed") }
            offset += n
        }
        return full
    }

    @discardableResult
    func put(_ relative: String, _ text: String) throws -> String { try put(relative, Array(text.utf8)) }

    private func remove(tree: String) -> Bool {
        guard let dir = opendir(tree) else { return unlink(tree) == 0 }
        var names: [String] = []
        while let e = readdir(dir) {
            let name = withUnsafePointer(to: &e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(dir)
        for name in names {
            let child = tree + "/" + name
            var st = stat()
            if lstat(child, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
                _ = remove(tree: child)
            } else {
                unlink(child)
            }
        }
        return rmdir(tree) == 0
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Reads `bytes` through a real file descriptor with the given options.
func readLines(_ bytes: [UInt8], bufferSize: Int, maxLineBytes: Int = 1 << 20) throws -> (
    lines: [ReadLine], diagnostics: [Diagnostic], reader: LineReader
) {
    let dir = try TempDir()
    let path = try dir.put("input.log", bytes)
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw TestFailure("open failed") }
    defer { close(fd) }
    let reader = LineReader(
        fileDescriptor: fd, source: "input.log",
        options: ReaderOptions(bufferSize: bufferSize, maxLineBytes: maxLineBytes))
    var lines: [ReadLine] = []
    reader.forEachLine { line in
        lines.append(
            ReadLine(
                number: line.number, raw: Array(line.raw), text: Array(line.text), truncated: line.truncated,
                service: Array(line.service), marker: line.marker, stream: line.stream))
    }
    return (lines, reader.diagnostics, reader)
}

func readLines(_ text: String, bufferSize: Int, maxLineBytes: Int = 1 << 20) throws -> [ReadLine] {
    try readLines(Array(text.utf8), bufferSize: bufferSize, maxLineBytes: maxLineBytes).lines
}

let bufferSizes = [1, 7, 4096]
