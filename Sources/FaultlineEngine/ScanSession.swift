import FaultlineEvents
import FaultlineIngest
import FaultlineModel
import FaultlineRegex
import FaultlineRules
import Foundation

/// Settings of a scan.
public struct ScanOptions: Sendable {
    public var reader: ReaderOptions
    public var assembler: AssemblerOptions
    /// How many evidence lines an incident keeps.
    public var maxEvidence: Int

    public init(
        reader: ReaderOptions = ReaderOptions(), assembler: AssemblerOptions = AssemblerOptions(), maxEvidence: Int = 5
    ) {
        self.reader = reader
        self.assembler = assembler
        self.maxEvidence = maxEvidence
    }
}

/// Identifies what one rule found in one source.
public struct FindingKey: Hashable, Sendable {
    public let rule: Int
    public let source: String
}

/// Everything one rule found in one source, before folding and ranking.
public struct RuleFindings: Sendable {
    public let rule: Int
    public let source: String
    public internal(set) var occurrences: Int = 0
    public internal(set) var firstSeen: String?
    public internal(set) var lastSeen: String?
    /// Unredacted evidence (redaction happens when the report is built).
    public internal(set) var evidence: [Evidence] = []
    /// Every evidence line number per source, for example checks; capped.
    public internal(set) var lines: [(source: String, line: Int)] = []
    public internal(set) var values: [String: String] = [:]
    public internal(set) var signals: [Signal] = []
    /// Global order of the first and the last finding, to keep ties and time spans deterministic.
    public internal(set) var order: Int = 0
    public internal(set) var lastOrder: Int = 0
}

/// The outcome of scanning: per-rule findings, contrast evidence, stats and diagnostics.
public struct ScanResult: Sendable {
    public var findings: [RuleFindings]
    /// Per rule and source: where a succeeding request of the contrasting kind was seen.
    public var contrast: [FindingKey: Evidence]
    public var stats: ScanStats
    public var diagnostics: [Diagnostic]
}

/// Runs inputs through reader → assembler → matcher and aggregates what the rules find.
///
/// Not thread-safe: one session per worker.
public final class ScanSession {
    public let rules: CompiledRules
    public let options: ScanOptions
    private let scratch = MatchScratch()
    private var flags: [Bool]
    private var touched: [Int] = []
    private var ruleSeen: [Bool]
    private var ruleList: [Int] = []
    private var findings: [FindingKey: RuleFindings] = [:]
    private var contrast: [FindingKey: Evidence] = [:]
    private var stats = ScanStats()
    private var diagnostics: [Diagnostic] = []
    private var limitReported: Set<String> = []
    private var findingOrder = 0
    // Per-source correlation state.
    /// Events seen so far in the whole scan (correlation windows count in events).
    private var eventOrdinal = 0
    /// Per rule that some `correlate.after` names: its latest accepted event, per source and over
    /// the whole scan, and per captured value for keyed sequences. Bounded: see `Seen.maxKeys`.
    private var seenInSource: [Int: Seen] = [:]
    private var seenAnywhere: [Int: Seen] = [:]
    private var seenByKey: [Int: [String: Seen]] = [:]

    private struct Seen {
        static let maxKeys = 4096
        let event: Int
        let time: Double?
        let source: String
        let line: Int
    }
    private var currentSource = ""

    public init(rules: CompiledRules, options: ScanOptions = ScanOptions()) {
        self.rules = rules
        self.options = options
        flags = [Bool](repeating: false, count: rules.patterns.count)
        ruleSeen = [Bool](repeating: false, count: rules.rules.count)
    }

    /// Scans one input (`-` is stdin). `displayName` overrides the source name shown in evidence.
    public func scan(_ file: InputFile, displayName: String? = nil) {
        let source = displayName ?? (file.path == "-" ? "<stdin>" : file.path)
        beginSource(source)
        let assembler = EventAssembler(source: source, options: options.assembler) { [unowned self] event in
            self.match(event)
        }
        let outcome = InputOpener.read(file, options: options.reader) { line in
            assembler.push(line)
        }
        assembler.finish()
        stats.files += 1
        stats.bytes += outcome.stats.bytes
        stats.lines += outcome.stats.lines
        stats.events += assembler.eventCount
        diagnostics += outcome.diagnostics.map { d in
            var d = d
            if d.source == "-" { d.source = "<stdin>" }
            return d
        }
    }

    /// Adds diagnostics found outside the session (a missing path, a broken rule).
    public func record(_ more: [Diagnostic]) { diagnostics += more }

    /// The aggregated result so far.
    public func result() -> ScanResult {
        let list = findings.values.sorted { $0.order < $1.order }
        return ScanResult(findings: list, contrast: contrast, stats: stats, diagnostics: diagnostics)
    }

    private func beginSource(_ source: String) {
        currentSource = source
        seenInSource.removeAll(keepingCapacity: true)
    }

    // MARK: Matching

    private func match(_ event: borrowing EventView) {
        eventOrdinal += 1
        let text = event.text
        rules.scanner.scan(text) { lit in
            for p in rules.literalPatterns[lit] where !flags[p] {
                flags[p] = true
                touched.append(p)
            }
        }
        if touched.isEmpty && rules.alwaysPatterns.isEmpty { return }
        for p in rules.alwaysPatterns where !flags[p] {
            flags[p] = true
            touched.append(p)
        }
        for p in touched {
            for r in rules.ownerRules[p] where !ruleSeen[r] {
                ruleSeen[r] = true
                ruleList.append(r)
            }
        }
        ruleList.sort()
        var matched: [(rule: Int, line: Int, values: [String: String])] = []
        for r in ruleList {
            if !rules.succeedsIDs[r].isEmpty {
                let key = FindingKey(rule: r, source: currentSource)
                if contrast[key] == nil, let ev = evaluateContrast(rule: r, event) { contrast[key] = ev }
            }
            if let m = evaluate(rule: r, event) { matched.append((r, m.line, m.values)) }
        }
        for p in touched { flags[p] = false }
        touched.removeAll(keepingCapacity: true)
        for r in ruleList { ruleSeen[r] = false }
        ruleList.removeAll(keepingCapacity: true)
        guard !matched.isEmpty else { return }

        let timestamp = event.timestamp()
        let time = timestamp.flatMap(TimeParser.seconds)
        var accepted: [(rule: Int, line: Int, values: [String: String], signal: Signal?)] = []
        for m in matched {
            var signal: Signal?
            if let after = rules.rules[m.rule].correlate?.after {
                guard let target = rules.afterRule[m.rule] else { continue }
                var seen: Seen?
                if let key = after.key {
                    guard let value = m.values[key] else { continue }
                    seen = seenByKey[target]?[key + "\u{0}" + value]
                    if let s = seen, after.sameSource, s.source != currentSource { seen = nil }
                } else {
                    seen = after.sameSource ? seenInSource[target] : seenAnywhere[target]
                }
                guard let seen, eventOrdinal - seen.event <= after.withinEvents else { continue }
                if let limit = after.withinSeconds, let t = time, let t0 = seen.time, abs(t - t0) > limit {
                    continue
                }
                let keyText = after.key.flatMap { k in m.values[k].map { ", same \(k) \($0)" } } ?? ""
                signal = Signal(
                    effect: "+",
                    text:
                        "follows '\(rules.rules[target].title)' (\(rules.rules[target].id)) at \(seen.source):\(seen.line), \(eventOrdinal - seen.event) event(s) earlier\(keyText)"
                )
            }
            accepted.append((m.rule, m.line, m.values, signal))
        }
        for a in accepted {
            record(rule: a.rule, event: event, line: a.line, values: a.values, timestamp: timestamp, signal: a.signal)
            if rules.isAfterTarget[a.rule] {
                let seen = Seen(
                    event: eventOrdinal, time: time, source: currentSource, line: event.lines[a.line].number)
                seenInSource[a.rule] = seen
                seenAnywhere[a.rule] = seen
                if !a.values.isEmpty {
                    var byKey = seenByKey[a.rule] ?? [:]
                    if byKey.count >= Seen.maxKeys { byKey.removeAll(keepingCapacity: true) }
                    for (k, v) in a.values { byKey[k + "\u{0}" + v] = seen }
                    seenByKey[a.rule] = byKey
                }
            }
        }
    }

    private func run(_ p: Int, _ event: borrowing EventView, rule: Int) -> RegexMatch? {
        guard flags[p] else { return nil }
        do {
            return try rules.patterns[p].regex.firstMatch(in: event.text, from: 0, using: scratch)
        } catch {
            let key = "\(rule)|\(currentSource)"
            if !limitReported.contains(key) {
                limitReported.insert(key)
                diagnostics.append(
                    Diagnostic(
                        severity: .warning, source: currentSource, line: event.firstLine,
                        message:
                            "rule '\(rules.rules[rule].id)': \(error) (pattern at \(rules.patterns[p].location)); the event was not matched by this rule"
                    ))
            }
            return nil
        }
    }

    private func evaluate(rule r: Int, _ event: borrowing EventView) -> (line: Int, values: [String: String])? {
        let rule = rules.rules[r]
        let ids = rules.matchIDs[r]
        var first: RegexMatch?
        var values: [String: String] = [:]
        switch rule.match.mode {
        case .any:
            for p in ids {
                guard let m = run(p, event, rule: r) else { continue }
                if first == nil { first = m }
                collect(m, event, into: &values)
            }
        case .all:
            for p in ids {
                guard let m = run(p, event, rule: r) else { return nil }
                if first == nil { first = m }
                collect(m, event, into: &values)
            }
        }
        guard let first, let start = first.range(0)?.lowerBound else { return nil }
        let unless = rules.unlessIDs[r]
        if !unless.isEmpty, let group = rule.unless {
            var hits = 0
            for p in unless where flags[p] || rules.patterns[p].literals == nil {
                if run(p, event, rule: r) != nil { hits += 1 }
            }
            if group.mode == .any ? hits > 0 : hits == unless.count { return nil }
        }
        return (lineIndex(of: start, in: event), values)
    }

    private func evaluateContrast(rule r: Int, _ event: borrowing EventView) -> Evidence? {
        for p in rules.succeedsIDs[r] {
            guard let m = run(p, event, rule: r), let start = m.range(0)?.lowerBound else { continue }
            let li = lineIndex(of: start, in: event)
            return Evidence(source: currentSource, line: event.lines[li].number, text: stripANSI(event.rawLineText(li)))
        }
        return nil
    }

    private func collect(_ m: RegexMatch, _ event: borrowing EventView, into values: inout [String: String]) {
        for (name, index) in m.names.sorted(by: { $0.value < $1.value }) where values[name] == nil {
            guard let range = m.range(index), !range.isEmpty else { continue }
            let slice = UnsafeBufferPointer(rebasing: event.text[range])
            values[name] = String(decoding: slice, as: UTF8.self)
        }
    }

    private func lineIndex(of offset: Int, in event: borrowing EventView) -> Int {
        var lo = 0
        var hi = event.lines.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if event.lines[mid].textRange.lowerBound <= offset { lo = mid } else { hi = mid - 1 }
        }
        return max(0, lo)
    }

    private func record(
        rule r: Int, event: borrowing EventView, line li: Int, values: [String: String], timestamp: String?,
        signal: Signal?
    ) {
        let key = FindingKey(rule: r, source: currentSource)
        var f = findings[key] ?? RuleFindings(rule: r, source: currentSource)
        if f.occurrences == 0 {
            findingOrder += 1
            f.order = findingOrder
            f.firstSeen = timestamp
        }
        f.occurrences += 1
        findingOrder += 1
        f.lastOrder = findingOrder
        if timestamp != nil { f.lastSeen = timestamp }
        let number = event.lines[li].number
        if f.evidence.count < options.maxEvidence {
            f.evidence.append(Evidence(source: currentSource, line: number, text: stripANSI(event.rawLineText(li))))
        }
        if f.lines.count < 1000 { f.lines.append((currentSource, number)) }
        for (k, v) in values where f.values[k] == nil { f.values[k] = v }
        if let signal, f.signals.isEmpty { f.signals.append(signal) }
        findings[key] = f
    }
}

/// Removes ANSI escape sequences (CSI, OSC and two-byte ESC sequences) from evidence text.
func stripANSI(_ text: String) -> String {
    guard text.utf8.contains(0x1B) else { return text }
    var out = String.UnicodeScalarView()
    var it = text.unicodeScalars.makeIterator()
    while let c = it.next() {
        guard c == "\u{1B}" else {
            out.append(c)
            continue
        }
        guard let next = it.next() else { break }
        if next == "[" {
            while let d = it.next(), !(d.value >= 0x40 && d.value <= 0x7E) {}
        } else if next == "]" {
            while let d = it.next() {
                if d == "\u{07}" { break }
                if d == "\u{1B}" {
                    _ = it.next()
                    break
                }
            }
        }
    }
    return String(out)
}
