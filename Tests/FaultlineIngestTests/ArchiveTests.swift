import FaultlineModel
import FaultlineText
import Foundation
import Testing

@testable import FaultlineIngest

/// Runs a python3 script in `dir` (archives are built with python's gzip, zipfile, tarfile, zlib).
func python(_ script: String, in dir: TempDir) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    process.currentDirectoryURL = URL(fileURLWithPath: dir.path)
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw TestFailure("python3 failed: \(script)") }
}

/// One line as the engine would see it: `source:line text`.
struct SourcedLine: Equatable, CustomStringConvertible {
    var source: String
    var number: Int
    var text: String
    var description: String { "\(source):\(number) \(text)" }
}

/// Reads `path` through ``InputOpener`` and copies every line out with its member's source name.
func readSourced(
    _ path: String, explicit: Bool = false, limits: ArchiveLimits = ArchiveLimits(), bufferSize: Int = 65536
) -> (lines: [SourcedLine], diagnostics: [Diagnostic], stats: ReadStats) {
    var lines: [SourcedLine] = []
    let result = InputOpener.read(
        InputFile(path: path, explicit: explicit), options: ReaderOptions(bufferSize: bufferSize), limits: limits
    ) { source, line in
        lines.append(SourcedLine(source: source, number: line.number, text: String(decoding: line.text, as: UTF8.self)))
    }
    return (lines, result.diagnostics, result.stats)
}

@Suite("Archives")
struct ArchiveTests {
    @Test("gzip, single and concatenated members, is one input named by its path", arguments: bufferSizes)
    func gzip(bufferSize: Int) throws {
        let dir = try TempDir()
        try python(
            """
            import gzip
            open('one.log.gz','wb').write(gzip.compress(b'alpha\\nbeta\\n'))
            open('two.log.gz','wb').write(gzip.compress(b'one\\ntwo\\n') + gzip.compress(b'three\\n'))
            """, in: dir)
        let one = readSourced(dir.path + "/one.log.gz", bufferSize: bufferSize)
        #expect(one.lines.map(\.description) == ["\(dir.path)/one.log.gz:1 alpha", "\(dir.path)/one.log.gz:2 beta"])
        #expect(one.diagnostics.isEmpty)
        let two = readSourced(dir.path + "/two.log.gz", bufferSize: bufferSize)
        #expect(two.lines.map(\.text) == ["one", "two", "three"])
        #expect(two.lines.map(\.number) == [1, 2, 3])
        #expect(two.diagnostics.isEmpty)
        #expect(two.stats.lines == 3)
    }

    @Test("zip: stored and deflate members in nested directories, each its own source", arguments: bufferSizes)
    func zip(bufferSize: Int) throws {
        let dir = try TempDir()
        try python(
            """
            import zipfile
            with zipfile.ZipFile('a.zip', 'w') as z:
                z.writestr('dir/', b'')
                z.writestr(zipfile.ZipInfo('dir/x.log'), b'hello\\nworld\\n')
                z.writestr('dir/sub/y.log', b'deflated\\n' * 3, compress_type=zipfile.ZIP_DEFLATED)
                z.writestr('tool.bin', b'ELF\\x00\\x01\\x02', compress_type=zipfile.ZIP_DEFLATED)
            """, in: dir)
        let zip = dir.path + "/a.zip"
        let result = readSourced(zip, bufferSize: bufferSize)
        #expect(
            result.lines.map(\.description) == [
                "\(zip)!dir/x.log:1 hello", "\(zip)!dir/x.log:2 world", "\(zip)!dir/sub/y.log:1 deflated",
                "\(zip)!dir/sub/y.log:2 deflated", "\(zip)!dir/sub/y.log:3 deflated",
            ])
        #expect(
            result.diagnostics == [
                Diagnostic(severity: .note, source: zip + "!tool.bin", message: "binary member skipped")
            ])
    }

    @Test("zip members written with data descriptors (streamed zip) are read")
    func zipDataDescriptor() throws {
        let dir = try TempDir()
        try python(
            """
            import zipfile
            class Pipe:
                def __init__(self, f): self.f = f
                def write(self, b): return self.f.write(b)
                def flush(self): self.f.flush()
            with open('s.zip', 'wb') as f:
                with zipfile.ZipFile(Pipe(f), 'w', compression=zipfile.ZIP_DEFLATED) as z:
                    with z.open('logs/app.log', 'w') as m:
                        m.write(b'2025-05-07 21:44:03 error: streamed\\n')
            data = open('s.zip', 'rb').read()
            assert data[6] & 8, 'no data descriptor flag'
            """, in: dir)
        let result = readSourced(dir.path + "/s.zip")
        #expect(result.lines.map(\.text) == ["2025-05-07 21:44:03 error: streamed"])
        #expect(result.lines.first?.source == dir.path + "/s.zip!logs/app.log")
        #expect(result.diagnostics.isEmpty)
    }

    @Test("ZIP64 central directory, sizes and offsets are read")
    func zip64() throws {
        let dir = try TempDir()
        try python(
            """
            import zipfile
            zipfile.ZIP64_LIMIT = 8            # force ZIP64 records on a small archive
            zipfile.ZIP_FILECOUNT_LIMIT = 1
            with zipfile.ZipFile('z.zip', 'w', compression=zipfile.ZIP_DEFLATED) as z:
                z.writestr('a.log', b'first member line\\n')
                z.writestr('b.log', b'second member line\\n')
            data = open('z.zip', 'rb').read()
            assert b'PK\\x06\\x06' in data and b'PK\\x06\\x07' in data
            """, in: dir)
        let zip = dir.path + "/z.zip"
        let result = readSourced(zip)
        #expect(
            result.lines.map(\.description) == [
                "\(zip)!a.log:1 first member line", "\(zip)!b.log:1 second member line",
            ])
        #expect(result.diagnostics.isEmpty)
    }

    @Test("tar.gz with a GNU long name, a tar with a pax path, found by magic bytes")
    func tarLongNames() throws {
        let dir = try TempDir()
        try python(
            """
            import tarfile, io
            def add(t, name, data):
                info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
            with tarfile.open('a.tgz', 'w:gz', format=tarfile.GNU_FORMAT) as t:
                t.addfile(tarfile.TarInfo('logs'))
                add(t, 'logs/' + 'x' * 150 + '.log', b'gnu long\\nname\\n')
                add(t, 'short.log', b'short\\n')
            with tarfile.open('artifact', 'w', format=tarfile.PAX_FORMAT) as t:
                add(t, 'd/' + 'y' * 150 + '.log', b'pax\\n')
            """, in: dir)
        let tgz = readSourced(dir.path + "/a.tgz")
        let long = dir.path + "/a.tgz!logs/" + String(repeating: "x", count: 150) + ".log"
        #expect(
            tgz.lines.map(\.description) == [
                "\(long):1 gnu long", "\(long):2 name", "\(dir.path)/a.tgz!short.log:1 short",
            ])
        #expect(tgz.diagnostics.isEmpty)
        let pax = readSourced(dir.path + "/artifact")
        #expect(pax.lines.map(\.source) == [dir.path + "/artifact!d/" + String(repeating: "y", count: 150) + ".log"])
        #expect(pax.diagnostics.isEmpty)
    }

    @Test("a .gz and a .tar inside a zip are read one level deep; deeper archives are a note")
    func nested() throws {
        let dir = try TempDir()
        try python(
            """
            import zipfile, gzip, tarfile, io
            def tar(members):
                buf = io.BytesIO()
                with tarfile.open(fileobj=buf, mode='w') as t:
                    for name, data in members:
                        info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
                return buf.getvalue()
            with zipfile.ZipFile('a.zip', 'w', compression=zipfile.ZIP_DEFLATED) as z:
                z.writestr('logs/app.log.gz', gzip.compress(b'from gz\\n'))
                z.writestr('inner.tar', tar([('x.log', b'from tar\\n'), ('deep.tar', tar([('y.log', b'deep\\n')]))]))
            """, in: dir)
        let zip = dir.path + "/a.zip"
        let result = readSourced(zip)
        #expect(
            result.lines.map(\.description) == [
                "\(zip)!logs/app.log.gz:1 from gz", "\(zip)!inner.tar!x.log:1 from tar",
            ])
        #expect(result.diagnostics.map(\.source) == [zip + "!inner.tar!deep.tar"])
        #expect(result.diagnostics.first?.severity == .note)
    }

    @Test("a truncated gzip is an error naming it; its lines before the cut are kept; other files still scanned")
    func truncatedGzip() throws {
        let dir = try TempDir()
        try python(
            """
            import gzip, random
            random.seed(1)
            body = b''.join(b'line %d %x\\n' % (i, random.getrandbits(64)) for i in range(5000))
            g = gzip.compress(body)
            open('cut.log.gz', 'wb').write(g[:len(g) // 2])
            open('ok.log', 'wb').write(b'fine\\n')
            """, in: dir)
        let (files, _) = InputWalker.expand([dir.path])
        var sources: Set<String> = []
        var diagnostics: [Diagnostic] = []
        for file in files {
            let r = readSourced(file.path)
            sources.formUnion(r.lines.map(\.source))
            diagnostics += r.diagnostics
        }
        #expect(sources == [dir.path + "/cut.log.gz", dir.path + "/ok.log"])
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.severity == .error)
        #expect(diagnostics.first?.source == dir.path + "/cut.log.gz")
        #expect(diagnostics.first?.message.contains("truncated gzip") == true)
        #expect(readSourced(dir.path + "/cut.log.gz").lines.first?.text.hasPrefix("line 0 ") == true)
    }

    @Test("a corrupt gzip (bad CRC) is an error naming the file")
    func gzipBadCRC() throws {
        let dir = try TempDir()
        try python(
            """
            import gzip
            g = bytearray(gzip.compress(b'some text\\n'))
            g[-8] ^= 0xFF
            open('bad.gz', 'wb').write(g)
            """, in: dir)
        let result = readSourced(dir.path + "/bad.gz")
        #expect(result.diagnostics.map(\.severity) == [.error])
        #expect(result.diagnostics.first?.source == dir.path + "/bad.gz")
    }

    @Test("a zip member with a bad CRC is an error naming archive!member; the next member is still read")
    func zipBadCRC() throws {
        let dir = try TempDir()
        try python(
            """
            import zipfile
            with zipfile.ZipFile('bad.zip', 'w') as z:
                z.writestr('x.log', b'payload one\\n')
                z.writestr('y.log', b'payload two\\n', compress_type=zipfile.ZIP_DEFLATED)
            data = bytearray(open('bad.zip', 'rb').read())
            i = data.index(b'payload one')
            data[i] = ord('P')
            open('bad.zip', 'wb').write(data)
            """, in: dir)
        let zip = dir.path + "/bad.zip"
        let result = readSourced(zip)
        #expect(result.lines.map(\.description) == ["\(zip)!x.log:1 Payload one", "\(zip)!y.log:1 payload two"])
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.severity == .error)
        #expect(result.diagnostics.first?.source == zip + "!x.log")
        #expect(result.diagnostics.first?.message.contains("CRC") == true)
    }

    @Test("a truncated zip named .zip is an error; one not named .zip is a binary file")
    func truncatedZip() throws {
        let dir = try TempDir()
        try python(
            """
            import zipfile
            with zipfile.ZipFile('full.zip', 'w', compression=zipfile.ZIP_DEFLATED) as z:
                z.writestr('x.log', b'x\\n' * 1000)
            data = open('full.zip', 'rb').read()
            open('cut.zip', 'wb').write(data[:len(data) - 30])
            open('cut.zip.part', 'wb').write(data[:len(data) - 30])
            """, in: dir)
        let cut = readSourced(dir.path + "/cut.zip")
        #expect(cut.diagnostics.map(\.severity) == [.error])
        #expect(cut.diagnostics.first?.source == dir.path + "/cut.zip")
        let part = readSourced(dir.path + "/cut.zip.part")
        #expect(part.diagnostics.map(\.message) == ["binary file skipped"])
    }

    @Test("a truncated tar.gz keeps the members before the cut and names the archive")
    func truncatedTarGz() throws {
        let dir = try TempDir()
        try python(
            """
            import tarfile, io, random
            random.seed(2)
            with tarfile.open('a.tgz', 'w:gz') as t:
                for name in ['a.log', 'b.log']:
                    data = b''.join(b'%s %x\\n' % (name.encode(), random.getrandbits(64)) for _ in range(4000))
                    info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
            data = open('a.tgz', 'rb').read()
            open('a.tgz', 'wb').write(data[:int(len(data) * 0.75)])
            """, in: dir)
        let tgz = dir.path + "/a.tgz"
        let result = readSourced(tgz)
        #expect(result.lines.filter { $0.source == tgz + "!a.log" }.count == 4000)
        #expect(result.diagnostics.map(\.severity) == [.error])
        #expect(result.diagnostics.first?.source == tgz + "!b.log")
    }

    @Test("a zip bomb ends the archive with an error at the ratio limit; memory is not filled")
    func zipBomb() throws {
        let dir = try TempDir()
        try python(
            """
            import zipfile, zlib, gzip
            with zipfile.ZipFile('bomb.zip', 'w', compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
                z.writestr('a.log', (b'a' * 99 + b'\\n') * (2 << 20))
                z.writestr('b.log', b'never read\\n')
            open('bomb.gz', 'wb').write(gzip.compress(b'\\n' * (100 << 20), 9))
            """, in: dir)
        let zip = readSourced(dir.path + "/bomb.zip")
        #expect(zip.diagnostics.count == 1)
        let d = try #require(zip.diagnostics.first)
        #expect(d.severity == .error)
        #expect(d.source == dir.path + "/bomb.zip!a.log")
        #expect(d.message.contains("ratio above 200x"))
        #expect(zip.stats.bytes < 16 << 20)
        #expect(!zip.lines.contains { $0.source.hasSuffix("b.log") })
        let gz = readSourced(dir.path + "/bomb.gz")
        #expect(gz.diagnostics.map(\.severity) == [.error])
        #expect(gz.stats.lines < 16 << 20)
    }

    @Test("the total decompressed limit ends an archive with an error")
    func totalLimit() throws {
        let dir = try TempDir()
        try python(
            """
            import gzip, random
            random.seed(3)
            open('big.gz', 'wb').write(gzip.compress(b''.join(b'%x\\n' % random.getrandbits(64) for _ in range(20000))))
            """, in: dir)
        let result = readSourced(dir.path + "/big.gz", limits: ArchiveLimits(maxDecompressedBytes: 100_000))
        #expect(result.diagnostics.map(\.severity) == [.error])
        #expect(result.diagnostics.first?.message.contains("more than 100000 bytes") == true)
        #expect(result.stats.bytes <= 100_000 + 65536)
    }

    @Test("an encrypted zip member is skipped with a note; the others are read")
    func encrypted() throws {
        let dir = try TempDir()
        try python(
            """
            import zipfile
            with zipfile.ZipFile('e.zip', 'w') as z:
                z.writestr('secret.log', b'ciphertext\\n')
                z.writestr('plain.log', b'plain\\n')
            data = bytearray(open('e.zip', 'rb').read())
            data[6] |= 1                       # local header flags of the first entry
            cd = data.index(b'PK\\x01\\x02')
            data[cd + 8] |= 1                  # its central directory flags
            open('e.zip', 'wb').write(data)
            """, in: dir)
        let zip = dir.path + "/e.zip"
        let result = readSourced(zip)
        #expect(result.lines.map(\.description) == ["\(zip)!plain.log:1 plain"])
        #expect(
            result.diagnostics == [
                Diagnostic(severity: .note, source: zip + "!secret.log", message: "encrypted member skipped")
            ])
    }

    @Test("UTF-16 and Docker JSON inside a member are unwrapped by the line reader")
    func wrappersInsideMembers() throws {
        let dir = try TempDir()
        try python(
            """
            import zipfile
            with zipfile.ZipFile('w.zip', 'w', compression=zipfile.ZIP_DEFLATED) as z:
                z.writestr('win.log', '\\ufefferror: utf16 line\\r\\nnext\\r\\n'.encode('utf-16-le'))
                z.writestr('docker.log', b'{"log":"error: from docker\\\\n","stream":"stderr","time":"2025-05-07T21:44:03Z"}\\n')
            """, in: dir)
        let zip = dir.path + "/w.zip"
        let result = readSourced(zip)
        #expect(
            result.lines.map(\.description) == [
                "\(zip)!win.log:1 error: utf16 line", "\(zip)!win.log:2 next", "\(zip)!docker.log:1 error: from docker",
            ])
        #expect(result.diagnostics.isEmpty)
    }

    @Test("readMembers hands out one reader per member so events never span members")
    func readMembers() throws {
        let dir = try TempDir()
        try python(
            """
            import zipfile
            with zipfile.ZipFile('m.zip', 'w') as z:
                z.writestr('a.log', b'Traceback (most recent call last):\\n')
                z.writestr('b.log', b'  File "x.py", line 1\\nnope\\n')
            """, in: dir)
        var members: [(String, Int)] = []
        let result = InputOpener.readMembers(
            InputFile(path: dir.path + "/m.zip", explicit: true), options: ReaderOptions()
        ) {
            source, reader in
            var count = 0
            reader.forEachLine { _ in count += 1 }
            members.append((source, count))
            return .proceed
        }
        #expect(members.map(\.0) == [dir.path + "/m.zip!a.log", dir.path + "/m.zip!b.log"])
        #expect(members.map(\.1) == [1, 2])
        #expect(result.stats.lines == 3)
        // A plain file is one member named by its path; the old overload still reads it.
        let plain = try dir.put("p.log", "x\ny\n")
        var names: [String] = []
        _ = InputOpener.readMembers(InputFile(path: plain, explicit: false), options: ReaderOptions()) { source, _ in
            names.append(source)
            return .proceed
        }
        #expect(names == [plain])
        // A member callback that says stop ends the archive: the second member is never read.
        var visited: [String] = []
        _ = InputOpener.readMembers(InputFile(path: dir.path + "/m.zip", explicit: true), options: ReaderOptions()) {
            source, _ in
            visited.append(source)
            return .stop
        }
        #expect(visited == [dir.path + "/m.zip!a.log"])
        var count = 0
        _ = InputOpener.read(InputFile(path: dir.path + "/m.zip", explicit: false), options: ReaderOptions()) { _ in
            count += 1
        }
        #expect(count == 3)
    }
}

@Suite("Glob")
struct GlobTests {
    @Test("*, ?, ** and name-only patterns")
    func matching() {
        #expect(PathGlob("*.log").matches("app.log"))
        #expect(PathGlob("*.log").matches("a/b/app.log"))
        #expect(!PathGlob("*.log").matches("app.log.gz"))
        #expect(PathGlob("**/*.txt").matches("x.txt"))
        #expect(PathGlob("**/*.txt").matches("a/b/x.txt"))
        #expect(PathGlob("logs/*.txt").matches("logs/x.txt"))
        #expect(!PathGlob("logs/*.txt").matches("logs/sub/x.txt"))
        #expect(!PathGlob("logs/*.txt").matches("other/logs/x.txt"))
        #expect(PathGlob("logs/**/x.txt").matches("logs/x.txt"))
        #expect(PathGlob("logs/**/x.txt").matches("logs/a/b/x.txt"))
        #expect(PathGlob("app-?.log").matches("app-1.log"))
        #expect(!PathGlob("app-?.log").matches("app-12.log"))
        #expect(PathGlob("node_modules/**").matches("node_modules/a/b.js"))
        #expect(PathGlob("node_modules/**").coversDirectory("node_modules"))
        #expect(!PathGlob("node_modules/**").coversDirectory("src"))
        #expect(PathGlob("a*b*c").matches("aXXbYYc"))
        #expect(!PathGlob("a*b*c").matches("aXXbYY"))
    }
}
