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
                let n = Glibc.write(fd, p, left)
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
    static func diagnostics(_ list: [Diagnostic]) {
        guard !list.isEmpty else { return }
        stderr(list.map { "faultline: " + $0.formatted }.joined(separator: "\n") + "\n")
    }

    /// Writes `text` to `path` atomically: a temporary file beside it, then a rename.
    static func writeFile(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).faultline-\(getpid()).tmp")
        do {
            try Data(text.utf8).write(to: tmp)
            if rename(tmp.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: tmp)
                throw CLIError("cannot write \(path): \(reason)")
            }
        } catch let e as CLIError {
            throw e
        } catch {
            try? FileManager.default.removeItem(at: tmp)
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
