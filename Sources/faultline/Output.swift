import FaultlineModel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one place that writes what users see: stdout (quietly ending on a closed pipe),
/// stderr diagnostics, and atomic `-o` files.
enum Output {
    /// Writes all of `text` to stdout. A closed pipe (`faultline … | head -1`) ends the process quietly.
    static func stdout(_ text: String) {
        write(fd: 1, text, quietOnPipe: true)
    }

    static func stderr(_ text: String) {
        write(fd: 2, text, quietOnPipe: false)
    }

    private static func write(fd: Int32, _ text: String, quietOnPipe: Bool) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buf in
            guard var p = buf.baseAddress else { return }
            var left = buf.count
            while left > 0 {
                let n = posixWrite(fd, p, left)
                if n < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE && quietOnPipe { exit(0) }
                    return
                }
                left -= n
                p += n
            }
        }
    }

    /// Prints diagnostics to stderr in `file:line:col: severity: message` form.
    static func diagnostics(_ collected: Diagnostics) { diagnostics(collected.all) }

    /// Prints diagnostics to stderr in `file:line:col: severity: message` form.
    static func diagnostics(_ list: [Diagnostic]) {
        guard !list.isEmpty else { return }
        stderr(list.map { "faultline: " + $0.formatted }.joined(separator: "\n") + "\n")
    }

    /// Writes `text` to `path` atomically: Foundation writes a temporary file beside it, then
    /// renames it over `path`, so a reader never sees half a report.
    static func writeFile(_ path: String, _ text: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIError("cannot write \(path): \((error as NSError).localizedDescription)")
        }
    }
}

/// A user-facing error: printed as `faultline: error: message`, exit code 2.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// `write(2)`, named apart from ``Output``'s own `write` (Glibc, Musl and Darwin alike).
private func posixWrite(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ count: Int) -> Int { write(fd, p, count) }
