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

@Suite("InputWalker")
struct InputWalkerTests {
    @Test("walks recursively, sorted byte-wise, hidden files included, .git skipped")
    func walkSortedRecursive() throws {
        let dir = try TempDir()
        try dir.put("b.log", "x\n")
        try dir.put("a/z.log", "x\n")
        try dir.put("a/B.log", "x\n")
        try dir.put("a.txt", "x\n")
        try dir.put(".pr_agent.toml", "[openai]\nkey = \"$OPENAI_API_KEY\"\n")
        try dir.put("job/.env", "OPENAI_API_KEY=\n")
        try dir.put(".git/config", "[core]\n")
        try dir.put("job/.git/HEAD", "ref\n")
        let (files, diagnostics) = InputWalker.expand([dir.path])
        let relative = files.map { String($0.path.dropFirst(dir.path.count + 1)) }
        #expect(relative == [".pr_agent.toml", "a.txt", "a/B.log", "a/z.log", "b.log", "job/.env"])
        #expect(files.allSatisfy { !$0.explicit })
        #expect(diagnostics.isEmpty)
    }

    @Test("a trailing slash does not double the separator")
    func trailingSlash() throws {
        let dir = try TempDir()
        try dir.put("x.log", "x\n")
        let (files, _) = InputWalker.expand([dir.path + "/"])
        #expect(files.map(\.path) == [dir.path + "/x.log"])
    }

    @Test("symlinks are not followed in walks")
    func symlinksNotFollowed() throws {
        let dir = try TempDir()
        let target = try dir.put("real/app.log", "x\n")
        symlink(dir.path + "/real", dir.path + "/loop")
        symlink(target, dir.path + "/link.log")
        let (files, _) = InputWalker.expand([dir.path])
        #expect(files.map(\.path) == [dir.path + "/real/app.log"])
        // A symlink named explicitly is followed.
        let (named, _) = InputWalker.expand([dir.path + "/link.log"])
        #expect(named == [InputFile(path: dir.path + "/link.log", explicit: true)])
    }

    @Test("missing paths become error diagnostics naming the path; others still expand")
    func missingPath() throws {
        let dir = try TempDir()
        let present = try dir.put("ok.log", "x\n")
        let missing = dir.path + "/nope.log"
        let (files, diagnostics) = InputWalker.expand([missing, present])
        #expect(files == [InputFile(path: present, explicit: true)])
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.severity == .error)
        #expect(diagnostics.first?.source == missing)
        #expect(diagnostics.first?.message.isEmpty == false)
    }

    @Test("- means stdin, explicit, in command-line order")
    func stdinDash() throws {
        let dir = try TempDir()
        let file = try dir.put("x.log", "x\n")
        let (files, diagnostics) = InputWalker.expand([file, "-"])
        #expect(files == [InputFile(path: file, explicit: true), InputFile(path: "-", explicit: true)])
        #expect(files[1].displayName == "<stdin>")
        #expect(diagnostics.isEmpty)
    }
}

@Suite("InputOpener")
struct InputOpenerTests {
    private func binaryBytes() -> [UInt8] {
        Array("PK\u{03}\u{04}".utf8) + [0, 0, 0x08, 0] + Array("error: not a log\n".utf8)
    }

    @Test("a walked file with a NUL in its first 8 KiB is skipped with a note")
    func walkedBinarySkipped() throws {
        let dir = try TempDir()
        try dir.put("artifacts.zip.part", binaryBytes())
        let (files, _) = InputWalker.expand([dir.path])
        let file = try #require(files.first)
        var called = false
        let result = InputOpener.read(file, options: ReaderOptions()) { _ in called = true }
        #expect(!called)
        #expect(result.stats.lines == 0)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.severity == .note)
        #expect(result.diagnostics.first?.message == "binary file skipped")
        #expect(result.diagnostics.first?.source == file.path)
    }

    @Test("the same file named explicitly is read on")
    func explicitBinaryRead() throws {
        let dir = try TempDir()
        let path = try dir.put("artifacts.bin", binaryBytes())
        var lines: [String] = []
        let result = InputOpener.read(InputFile(path: path, explicit: true), options: ReaderOptions()) { line in
            lines.append(String(decoding: line.text, as: UTF8.self))
        }
        #expect(lines.count == 1)
        #expect(result.stats.bytes == binaryBytes().count)
        #expect(result.diagnostics.isEmpty)
    }

    @Test("a NUL after the first 8 KiB does not skip a walked file")
    func lateNul() throws {
        let dir = try TempDir()
        var bytes = [UInt8](repeating: 0x61, count: 9000) + [0x0A]
        bytes += [0x00, 0x0A]
        try dir.put("late.log", bytes)
        let (files, _) = InputWalker.expand([dir.path])
        var count = 0
        let result = InputOpener.read(try #require(files.first), options: ReaderOptions()) { _ in count += 1 }
        #expect(count == 2)
        #expect(result.diagnostics.isEmpty)
    }

    @Test("an unreadable path yields an error diagnostic, not a crash")
    func openError() {
        let result = InputOpener.read(
            InputFile(path: "/nonexistent/faultline.log", explicit: true), options: ReaderOptions()
        ) {
            _ in
        }
        #expect(result.diagnostics.first?.severity == .error)
        #expect(result.diagnostics.first?.source == "/nonexistent/faultline.log")
    }
}

@Suite("InputWalker options")
struct WalkOptionsTests {
    private func relative(_ files: [InputFile], _ dir: TempDir) -> [String] {
        files.map { String($0.path.dropFirst(dir.path.count + 1)) }
    }

    @Test("include and exclude globs match paths relative to the walked root; exclude wins")
    func globs() throws {
        let dir = try TempDir()
        for name in ["app.log", "a/b/deep.log", "notes.txt", "a/x.txt", "node_modules/m/pkg.log", "build/out.bin"] {
            try dir.put(name, "x\n")
        }
        let options = WalkOptions(include: ["*.log", "**/*.txt"], exclude: ["node_modules/**", "a/b/*"])
        let (files, diagnostics) = InputWalker.expand([dir.path], options: options)
        #expect(relative(files, dir) == ["a/x.txt", "app.log", "notes.txt"])
        #expect(diagnostics.isEmpty)
        // No include: everything but the excluded.
        let (all, _) = InputWalker.expand([dir.path], options: WalkOptions(exclude: ["node_modules"]))
        #expect(relative(all, dir) == ["a/b/deep.log", "a/x.txt", "app.log", "build/out.bin", "notes.txt"])
        // A named file is never filtered.
        let named = dir.path + "/build/out.bin"
        #expect(InputWalker.expand([named], options: options).files.map(\.path) == [named])
    }

    @Test("a symlink loop: not followed by default; followed with loop detection and a note")
    func symlinkLoop() throws {
        let dir = try TempDir()
        try dir.put("real/app.log", "x\n")
        try dir.put("other/o.log", "x\n")
        symlink(dir.path + "/real", dir.path + "/real/loop")
        symlink(dir.path + "/other", dir.path + "/real/to-other")
        symlink(dir.path + "/other/o.log", dir.path + "/link.log")
        symlink(dir.path + "/missing", dir.path + "/dangling.log")
        let (plain, plainDiagnostics) = InputWalker.expand([dir.path])
        #expect(relative(plain, dir) == ["other/o.log", "real/app.log"])
        #expect(plainDiagnostics.isEmpty)
        let (followed, diagnostics) = InputWalker.expand([dir.path], options: WalkOptions(followSymlinks: true))
        #expect(relative(followed, dir) == ["link.log", "other/o.log", "real/app.log", "real/to-other/o.log"])
        #expect(diagnostics.count == 2)
        #expect(diagnostics.allSatisfy { $0.severity == .note })
        #expect(diagnostics.contains { $0.source == dir.path + "/real/loop" && $0.message.contains("loop") })
        #expect(diagnostics.contains { $0.source == dir.path + "/dangling.log" })
    }
}
