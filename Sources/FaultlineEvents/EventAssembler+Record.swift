import FaultlineIngest
import FaultlineModel
import FaultlineText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// JSON-lines records: parsing a `{` line and deriving the event text from its fields.
extension EventAssembler {
    /// Tries `line` as a JSON log record. On success the pending event is flushed and the record
    /// becomes the pending event; otherwise nothing changes.
    func pushRecord(_ line: borrowing LineView) -> Bool {
        let parser = activeParser == 0 ? parsers.1 : parsers.0
        guard parser.parse(line.text) != .malformed, let shape = parser.shape() else { return false }
        flush()
        activeParser = 1 - activeParser
        let record = RecordView(parser: parser, level: parser.level(shape), time: shape.time)
        build(line, parser, shape)
        commit()
        pendingRecord = record
        mode = .structured
        return true
    }

    /// Writes the record's derived lines: message, exception, `key: value` lines.
    private func build(_ line: borrowing LineView, _ parser: JSONRecordParser, _ s: RecordShape) {
        raw.append(line.raw)
        let rawRange = 0..<raw.count
        let number = line.number

        // 1. The message.
        var block = beginBlock()
        if s.messageIsTemplate {
            renderTemplate(parser, s.message)
        } else {
            writeValue(parser, s.message)
        }
        endBlock(block, number, rawRange)

        // 2. The exception: a stack string, loguru's traceback text, or a type and message.
        var wroteException = false
        if s.stack >= 0 {
            block = beginBlock()
            writeValue(parser, s.stack)
            wroteException = endBlock(block, number, rawRange)
        } else if s.loguruText >= 0, s.messageRank == 0 {
            block = beginBlock()
            writeValue(parser, s.loguruText)
            if keepTraceback(from: block.start) {
                wroteException = endBlock(block, number, rawRange)
            } else {
                discard(block)
            }
        }
        if !wroteException, s.exceptionType >= 0 {
            block = beginBlock()
            writeValue(parser, s.exceptionType)
            if s.exceptionValue >= 0 {
                text.append(0x3A)
                text.append(0x20)
                writeValue(parser, s.exceptionValue)
            }
            endBlock(block, number, rawRange)
        }

        // 3. Selected fields as `key: value`, in input order, each path once.
        var seen: UInt64 = 0
        for f in 0..<parser.fields.count {
            guard case .keyValue(let id)? = parser.role(of: f), parser.fields[f].kind != .container,
                seen & (1 << UInt64(id)) == 0, f != s.message, f != s.exceptionValue
            else { continue }
            seen |= 1 << UInt64(id)
            block = beginBlock()
            text.append(parser.pathBytes(f))
            text.append(0x3A)
            text.append(0x20)
            writeValue(parser, f)
            endBlock(block, number, rawRange)
        }

        // An empty record (blank message, nothing else): the line itself.
        if lines.count == 0 {
            text.append(line.text)
            lines.append(EventLine(number: number, textRange: 0..<text.count, rawRange: rawRange))
        }
    }

    private struct Block {
        var start: Int
        var separated: Bool
    }

    private func beginBlock() -> Block {
        let separated = lines.count > 0
        if separated { text.append(0x0A) }
        return Block(start: text.count, separated: separated)
    }

    private func discard(_ block: Block) {
        text.count = block.start - (block.separated ? 1 : 0)
    }

    /// Normalises the text written since `block.start` (CRLF and lone CR become line breaks, ANSI
    /// escapes are dropped, leading and trailing blank lines trimmed) and records its lines, up to
    /// ``AssemblerOptions/maxEventLines`` in the event. Returns `false` when nothing was kept.
    @discardableResult
    private func endBlock(_ block: Block, _ number: Int, _ rawRange: Range<Int>) -> Bool {
        let p = text.base
        let start = block.start
        var w = text.count
        // CR and ESC are rare: compact only when one is present.
        if memchr(p + start, 0x0D, w - start) != nil || memchr(p + start, 0x1B, w - start) != nil {
            w = start
            var r = start
            let end = text.count
            while r < end {
                let b = p[r]
                if b == 0x0D {
                    r += 1
                    if r < end, p[r] == 0x0A { continue }
                    p[w] = 0x0A
                    w += 1
                    continue
                }
                if b == 0x1B {
                    r = ANSI.sequenceEnd(p, at: r, end)
                    continue
                }
                p[w] = b
                w += 1
                r += 1
            }
        }
        // Trim blank lines at both ends.
        var first = start
        while first < w {
            var e = first
            while e < w, p[e] == 0x20 || p[e] == 0x09 { e += 1 }
            guard e < w, p[e] == 0x0A else { break }
            first = e + 1
        }
        var last = w
        while last > first {
            var k = last
            while k > first, p[k - 1] == 0x20 || p[k - 1] == 0x09 { k -= 1 }
            if k == first {
                last = first
            } else if p[k - 1] == 0x0A {
                last = k - 1
            } else {
                break
            }
        }
        guard last > first, lines.count < options.maxEventLines else {
            discard(block)
            return false
        }
        if first > start { memmove(p + start, p + first, last - first) }
        let stop = start + last - first
        var s = start
        while true {
            let e =
                memchr(p + s, 0x0A, stop - s).map { UnsafeMutableRawPointer($0) - UnsafeMutableRawPointer(p) } ?? stop
            lines.append(EventLine(number: number, textRange: s..<e, rawRange: rawRange))
            if lines.count >= options.maxEventLines {
                text.count = e
                return true
            }
            guard e < stop else { break }
            s = e + 1
        }
        text.count = stop
        return true
    }

    /// Writes field `f`'s value: strings unescaped, anything else as written.
    private func writeValue(_ parser: JSONRecordParser, _ f: Int) {
        let v = parser.valueBytes(f)
        if parser.fields[f].kind == .escapedString, let base = v.baseAddress {
            JSONText.unescape(base, v.count, into: &text)
        } else {
            text.append(v)
        }
    }

    /// Keeps loguru's `text` from its first `Traceback (most recent call last):` line; `false`
    /// when there is none.
    private func keepTraceback(from start: Int) -> Bool {
        let region = UnsafeBufferPointer(start: text.base + start, count: text.count - start)
        var at = 0
        while at < region.count {
            if Shapes.hasPrefix(region, "Traceback (most recent call last):", at: at) {
                if at > 0 { memmove(text.base + start, text.base + start + at, region.count - at) }
                text.count -= at
                return true
            }
            while at < region.count, region[at] != 0x0A { at += 1 }
            at += 1
        }
        return false
    }

    /// Renders a CLEF / Serilog message template: `{Name}`, `{@Name}`, `{Name:format}` become the
    /// top-level field `Name`'s value; `{{` and `}}` become braces; unknown holes stay as written.
    private func renderTemplate(_ parser: JSONRecordParser, _ f: Int) {
        var template = Buffer<UInt8>(capacity: 256)
        let v = parser.valueBytes(f)
        if let base = v.baseAddress { JSONText.unescape(base, v.count, into: &template) }
        template.withElements { t in
            var i = 0
            while i < t.count {
                let b = t[i]
                if b == 0x7B || b == 0x7D, i + 1 < t.count, t[i + 1] == b {
                    text.append(b)
                    i += 2
                    continue
                }
                if b == 0x7B {
                    var e = i + 1
                    while e < t.count, e - i < 128, t[e] != 0x7D, t[e] != 0x7B { e += 1 }
                    if e < t.count, t[e] == 0x7D {
                        var ns = i + 1
                        if ns < e, t[ns] == 0x40 || t[ns] == 0x24 { ns += 1 }
                        var ne = ns
                        while ne < e, t[ne] != 0x3A, t[ne] != 0x2C { ne += 1 }
                        let name = UnsafeBufferPointer(rebasing: t[ns..<ne])
                        let field = ne > ns ? parser.index(of: name) : -1
                        if field >= 0 {
                            writeValue(parser, field)
                            i = e + 1
                            continue
                        }
                    }
                }
                text.append(b)
                i += 1
            }
        }
    }
}
