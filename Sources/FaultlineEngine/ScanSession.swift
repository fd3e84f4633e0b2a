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
    /// How many unclassified templates are kept before new ones are counted together.
    public var maxUnclassified: Int
    /// Bounds on what an archive may decompress to (zip bombs end in a diagnostic).
    public var archive = ArchiveLimits()

    public init(
        reader: ReaderOptions = ReaderOptions(), assembler: AssemblerOptions = AssemblerOptions(), maxEvidence: Int = 5,
        maxUnclassified: Int = 500
    ) {
        self.reader = reader
        self.assembler = assembler
        self.maxEvidence = maxEvidence
        self.maxUnclassified = maxUnclassified
    }
}

/// Identifies what one rule found in one source for one set of grouping values.
public struct FindingKey: Hashable, Sendable {
    public let rule: Int
    public let source: String
    /// The rule's `group_by` values, joined.
    public let group: String
    /// The docker compose service within the source, or "".
    public let service: String

    public init(rule: Int, source: String, group: String = "", service: String = "") {
        self.rule = rule
        self.source = source
        self.group = group
        self.service = service
    }
}

/// A rule's signal seen in a source.
public struct SignalKey: Hashable, Sendable {
    public let rule: Int
    public let signal: Int
    public let source: String
}

/// Requests to one operation (host and path, without the query) seen in one source.
public struct OperationKey: Hashable, Sendable {
    public let operation: String
    public let source: String
}

/// How requests to one operation ended in one source.
public struct Outcomes: Sendable, Hashable {
    public var succeeded = 0
    public var failed = 0
    /// Failures per HTTP status.
    public var failedByStatus: [Int: Int] = [:]
    public var firstSeen: String?
    public var lastSeen: String?
    /// Words of the log prefix (runner, pod, thread, logger) present on every succeeding /
    /// failing request line, and on any of them: what differs between the two kinds.
    public var okCommon: Set<String>?
    public var okAny: Set<String> = []
    public var failCommon: Set<String>?
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
    }
}

/// Everything one rule found in one source for one set of grouping values, before folding.
public struct RuleFindings: Sendable {
    public let rule: Int
    public let source: String
    /// The docker compose service within the source (several services share one stream in
    /// `docker compose logs`), or "".
    public internal(set) var service: String = ""
    /// The `group_by` values (same order as the rule's `group_by`), empty strings where absent.
    public internal(set) var groupValues: [String] = []
    public internal(set) var occurrences: Int = 0
    public internal(set) var firstSeen: String?
    public internal(set) var lastSeen: String?
    /// Unredacted evidence (redaction happens when the report is built).
    public internal(set) var evidence: [Evidence] = []
    /// Evidence line numbers, for example checks; capped.
    public internal(set) var lines: [(source: String, line: Int)] = []
    public internal(set) var values: [String: String] = [:]
    public internal(set) var signals: [Signal] = []
    /// Global order of the first and the last finding, to keep ties and time spans deterministic.
    public internal(set) var order: Int = 0
    public internal(set) var lastOrder: Int = 0
}

/// The outcome of scanning, before folding and ranking.
public struct ScanResult: Sendable {
    public var findings: [RuleFindings]
    /// Per rule and source: where a succeeding request of the contrasting kind was seen.
    public var contrast: [FindingKey: Evidence]
    /// Where each rule signal was seen, per source.
    public var signals: [SignalKey: Evidence]
    /// Package versions seen per source (`version.<package>` names without the prefix).
    public var versions: [String: [String: String]]
    /// Request outcomes per operation and source.
    public var outcomes: [OperationKey: Outcomes]
    /// Error events that no rule matched, clustered by template.
    public var miner: TemplateMiner
    public var stats: ScanStats
    public var diagnostics: [Diagnostic]

    /// The unclassified clusters, most frequent first.
    public var unclassified: [UnclassifiedCluster] {
        miner.clusters.map {
            UnclassifiedCluster(
                template: $0.template, count: $0.count, firstSeen: $0.firstSeen, lastSeen: $0.lastSeen,
                example: $0.example)
        }
    }

    /// Combines results of disjoint inputs, in input order, as one session reading them in that
    /// order would have produced them (sessions numbered their findings from distinct bases).
    public static func combine(_ parts: [ScanResult]) -> ScanResult? {
        guard var out = parts.first else { return nil }
        for p in parts.dropFirst() {
            out.findings += p.findings
            out.contrast.merge(p.contrast) { a, _ in a }
            out.signals.merge(p.signals) { a, _ in a }
            out.versions.merge(p.versions) { a, b in a.merging(b) { x, _ in x } }
            out.outcomes.merge(p.outcomes) { a, b in
                var m = a
                m.merge(b)
                return m
            }
            out.miner.merge(p.miner)
            out.stats.files += p.stats.files
            out.stats.lines += p.stats.lines
            out.stats.events += p.stats.events
            out.stats.bytes += p.stats.bytes
            out.diagnostics += p.diagnostics
        }
        out.findings.sort { $0.order < $1.order }
        return out
    }
}

/// Runs inputs through reader → assembler → matcher and aggregates what the rules find.
///
/// Not thread-safe: one session per worker.
public final class ScanSession {
    public let rules: CompiledRules
    public let options: ScanOptions
    private let scratch = MatchScratch()
    // Copies of the compiled set's hot-path tables: read per event without going through `rules`.
    private let scanner: LiteralSetScanner
    private let literalPatterns: [[Int]]
    private let literalBuiltins: [BuiltinLiterals]
    private let hasAlwaysPatterns: Bool
    private var flags: [Bool]
    private var touched: [Int] = []
    private var ruleSeen: [Bool]
    private var ruleList: [Int] = []
    private var applicable: [Bool]
    private var findings: [FindingKey: RuleFindings] = [:]
    private var contrast: [FindingKey: Evidence] = [:]
    private var signalSeen: [SignalKey: Evidence] = [:]
    private var versions: [String: [String: String]] = [:]
    private var outcomes: [OperationKey: Outcomes] = [:]
    private var miner: TemplateMiner
    private var stats = ScanStats()
    private var diagnostics: [Diagnostic] = []
    private var limitReported: Set<String> = []
    private var order: Int
    private var currentSource = ""
    private var versionLinesLeft = 0
    /// The values of the event being matched, extracted once when a rule first needs them.
    private var cachedValues: [String: String]?
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

    /// When set, the event holding this line (1-based, in the next scanned source) is explained
    /// rule by rule into ``explanation``.
    public var explainLine: Int?
    /// The explanation of the event holding ``explainLine``, once scanned.
    public private(set) var explanation: Explanation?
    /// The event lines (peeled text) holding ``explainLine``, for rule skeletons.
    public private(set) var explainedEventText: [String] = []
    /// Called for each finding as it is recorded (`isNew` for the first event of its rule and
    /// grouping in a source): live mode prints incidents the moment they are recognised.
    public var onFinding: ((_ finding: RuleFindings, _ isNew: Bool) -> Void)?
    /// Checked for each line when set: once it returns true, the rest of the input is skipped
    /// (Ctrl-C in live mode), and the report covers what was read.
    public var isCancelled: (() -> Bool)?
    /// Where to report bytes read as the scan goes (about every MiB), for a progress display.
    public var progress: ScanProgress?
    /// Lines read from the last scanned source.
    public private(set) var lastSourceLines = 0

    /// - Parameter orderBase: the first number this session gives its findings; sessions that
    ///   scan disjoint inputs in parallel use distinct, increasing bases so their combined result
    ///   orders findings as one session reading the inputs in order would.
    public init(rules: CompiledRules, options: ScanOptions = ScanOptions(), orderBase: Int = 0) {
        self.order = orderBase
        self.rules = rules
        self.options = options
        scanner = rules.scanner
        literalPatterns = rules.literalPatterns
        literalBuiltins = rules.literalBuiltins
        hasAlwaysPatterns = !rules.alwaysPatterns.isEmpty
        flags = [Bool](repeating: false, count: rules.patterns.count)
        ruleSeen = [Bool](repeating: false, count: rules.rules.count)
        applicable = [Bool](repeating: true, count: rules.rules.count)
        miner = TemplateMiner(maxClusters: options.maxUnclassified)
    }

    /// Scans one input (`-` is stdin). `displayName` overrides the source name shown in evidence.
    public func scan(_ file: InputFile, displayName: String? = nil) {
        let shown = displayName ?? (file.path == "-" ? "<stdin>" : file.path)
        /// A member's source as shown: the file's own name for a plain file, `shown!inner` for an
        /// archive member.
        func rename(_ source: String) -> String {
            if source == file.path || source == file.displayName || source == "-" { return shown }
            if source.hasPrefix(file.path + "!") { return shown + source.dropFirst(file.path.count) }
            return source
        }
        let cancelled = isCancelled
        let progress = self.progress
        var reported = 0
        var pending = 0
        var events = 0
        let outcome = InputOpener.readMembers(file, options: options.reader, limits: options.archive) {
            member, reader in
            let source = rename(member)
            beginSource(source)
            // Events never span archive members: one assembler per member.
            let assembler = EventAssembler(source: source, options: options.assembler) { [unowned self] event in
                self.match(event)
            }
            reader.forEachLine { line in
                if let cancelled, cancelled() { return }
                if let progress {
                    pending += line.raw.count + 1
                    if pending >= 1 << 20 {
                        progress.add(bytes: pending)
                        reported += pending
                        pending = 0
                    }
                }
                assembler.push(line)
            }
            assembler.finish()
            events += assembler.eventCount
        }
        if let progress {
            progress.add(bytes: max(0, outcome.stats.bytes - reported))
            progress.fileDone()
        }
        stats.files += 1
        lastSourceLines = outcome.stats.lines
        stats.bytes += outcome.stats.bytes
        stats.lines += outcome.stats.lines
        stats.events += events
        diagnostics += outcome.diagnostics.map { d in
            var d = d
            if let source = d.source { d.source = rename(source) }
            return d
        }
    }

    /// Adds diagnostics found outside the session (a missing path, a broken rule).
    public func record(_ more: [Diagnostic]) { diagnostics += more }

    /// The aggregated result so far.
    public func result() -> ScanResult {
        let list = findings.values.sorted { $0.order < $1.order }
        return ScanResult(
            findings: list, contrast: contrast, signals: signalSeen, versions: versions, outcomes: outcomes,
            miner: miner, stats: stats, diagnostics: diagnostics)
    }

    private func beginSource(_ source: String) {
        currentSource = source
        versionLinesLeft = Self.versionLineBudget
        seenInSource.removeAll(keepingCapacity: true)
        let name = source.split(separator: "/").last.map(String.init) ?? source
        for (i, rule) in rules.rules.enumerated() { applicable[i] = rule.applies(toFileNamed: name) }
    }

    // MARK: Matching

    private func match(_ event: borrowing EventView) {
        eventOrdinal += 1
        cachedValues = nil
        var builtins: BuiltinLiterals = []
        scanner.scan(event.text) { lit in
            builtins.formUnion(literalBuiltins[lit])
            for p in literalPatterns[lit] where !flags[p] {
                flags[p] = true
                touched.append(p)
            }
        }
        let explaining =
            explainLine.map { explanation == nil && event.firstLine <= $0 && $0 <= event.lastLine } ?? false
        if touched.isEmpty && !hasAlwaysPatterns && builtins.isEmpty && !explaining { return }
        if builtins.contains(.version) && versionLinesLeft > 0 { recordVersions(event) }
        if builtins.contains(.request) { recordRequests(event) }
        for p in rules.alwaysPatterns where !flags[p] {
            flags[p] = true
            touched.append(p)
        }
        for p in touched {
            let r = rules.ownerRule[p]
            if !ruleSeen[r] && applicable[r] {
                ruleSeen[r] = true
                ruleList.append(r)
            }
        }
        ruleList.sort()
        var matched: [(rule: Int, line: Int, values: [String: String])] = []
        for r in ruleList {
            if !rules.succeedsIDs[r].isEmpty {
                let key = FindingKey(rule: r, source: currentSource)
                if contrast[key] == nil, let ev = firstEvidence(of: rules.succeedsIDs[r], event, rule: r) {
                    contrast[key] = ev
                }
            }
            for (i, p) in rules.hot[r].sourceSignals where flags[p] {
                let key = SignalKey(rule: r, signal: i, source: currentSource)
                if signalSeen[key] == nil, let ev = firstEvidence(of: [p], event, rule: r) {
                    signalSeen[key] = ev
                }
            }
            if let m = evaluate(rule: r, event) { matched.append((r, m.line, m.values)) }
        }

        var accepted: [(rule: Int, line: Int, values: [String: String], signal: Signal?)] = []
        var timestamp: String?
        var time: Double?
        if !matched.isEmpty {
            timestamp = event.timestamp()
            time = timestamp.flatMap(TimeParser.seconds)
        }
        for m in matched {
            guard case .accepted(let signal) = correlate(m.rule, values: m.values, time: time) else { continue }
            accepted.append((m.rule, m.line, m.values, signal))
        }
        if !accepted.isEmpty {
            if builtins.contains(.version) && versionLinesLeft == 0 { recordVersions(event, force: true) }
            let extracted = eventValues(event)
            for a in accepted {
                var values = extracted
                for (k, v) in a.values { values[k] = v }
                record(rule: a.rule, event: event, line: a.line, values: values, timestamp: timestamp, signal: a.signal)
                for (i, signal) in rules.rules[a.rule].signals.enumerated() where signal.scope == .event {
                    let key = SignalKey(rule: a.rule, signal: i, source: currentSource)
                    if signalSeen[key] == nil,
                        let ev = firstEvidence(of: [rules.signalIDs[a.rule][i]], event, rule: a.rule)
                    {
                        signalSeen[key] = ev
                    }
                }
                if rules.isAfterTarget[a.rule] {
                    remember(a.rule, values: values, time: time, line: event.lines[a.line].number)
                }
            }
        } else if builtins.contains(.errorish), let level = event.level(), level >= .error {
            addUnclassified(event)
        }
        if let target = explainLine, explanation == nil, event.firstLine <= target, target <= event.lastLine {
            explanation = explain(
                event, applicable: applicable, accepted: Set(accepted.map(\.rule)), scratch: scratch)
            explainedEventText = (0..<event.lines.count).map { event.lineText($0) }
        }

        for p in touched { flags[p] = false }
        touched.removeAll(keepingCapacity: true)
        for r in ruleList { ruleSeen[r] = false }
        ruleList.removeAll(keepingCapacity: true)
    }

    private enum SequenceOutcome {
        case rejected
        case accepted(Signal?)
    }

    /// Checks `correlate.after`: rejected when the rule's sequence condition is not met.
    private func correlate(_ r: Int, values: [String: String], time: Double?) -> SequenceOutcome {
        guard let after = rules.rules[r].correlate?.after else { return .accepted(nil) }
        guard let target = rules.afterRule[r] else { return .rejected }
        var seen: Seen?
        if let key = after.key {
            guard let value = values[key] else { return .rejected }
            seen = seenByKey[target]?[key + "\u{0}" + value]
            if let s = seen, after.sameSource, s.source != currentSource { seen = nil }
        } else {
            seen = after.sameSource ? seenInSource[target] : seenAnywhere[target]
        }
        guard let seen, eventOrdinal - seen.event <= after.withinEvents else { return .rejected }
        if let limit = after.withinSeconds, let t = time, let t0 = seen.time, abs(t - t0) > limit { return .rejected }
        let keyText = after.key.flatMap { k in values[k].map { ", same \(k) \($0)" } } ?? ""
        let target_ = rules.rules[target]
        return .accepted(
            Signal(
                effect: "+",
                text:
                    "follows '\(target_.title)' (\(target_.id)) at \(seen.source):\(seen.line), \(eventOrdinal - seen.event) event(s) earlier\(keyText)"
            ))
    }

    private func remember(_ r: Int, values: [String: String], time: Double?, line: Int) {
        let seen = Seen(event: eventOrdinal, time: time, source: currentSource, line: line)
        seenInSource[r] = seen
        seenAnywhere[r] = seen
        guard !values.isEmpty else { return }
        var byKey = seenByKey[r] ?? [:]
        if byKey.count >= Seen.maxKeys { byKey.removeAll(keepingCapacity: true) }
        for (k, v) in values { byKey[k + "\u{0}" + v] = seen }
        seenByKey[r] = byKey
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
        let hot = rules.hot[r]
        let ids = rules.matchIDs[r]
        // The prefilter decides first: a pattern whose literal is absent cannot match.
        if hot.matchAll ? !ids.allSatisfy({ flags[$0] }) : !ids.contains(where: { flags[$0] }) { return nil }
        // Field tests next: the event's values are extracted once and shared by all rules, and a
        // failed field test saves the rule's regexes.
        if let filter = hot.fieldFilter, !filter.matches(eventValues(event)) { return nil }
        var first: RegexMatch?
        var values: [String: String] = [:]
        for p in ids {
            guard let m = run(p, event, rule: r) else {
                if hot.matchAll { return nil }
                continue
            }
            if first == nil { first = m }
            collect(m, event, into: &values)
        }
        guard let first, let start = first.range(0)?.lowerBound else { return nil }
        if let unlessAny = hot.unlessAny {
            let unless = rules.unlessIDs[r]
            let hits = unless.filter { run($0, event, rule: r) != nil }.count
            if unlessAny ? hits > 0 : hits == unless.count { return nil }
        }
        return (lineIndex(of: start, in: event), values)
    }

    private func firstEvidence(of ids: [Int], _ event: borrowing EventView, rule r: Int) -> Evidence? {
        for p in ids {
            guard let m = run(p, event, rule: r), let start = m.range(0)?.lowerBound else { continue }
            let li = lineIndex(of: start, in: event)
            return Evidence(source: currentSource, line: event.lines[li].number, text: stripANSI(event.rawLineText(li)))
        }
        return nil
    }

    private func collect(_ m: RegexMatch, _ event: borrowing EventView, into values: inout [String: String]) {
        for (name, index) in m.names.sorted(by: { $0.value < $1.value }) where values[name] == nil {
            guard let range = m.range(index), !range.isEmpty else { continue }
            values[name] = String(decoding: UnsafeBufferPointer(rebasing: event.text[range]), as: UTF8.self)
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
        let groupValues = rules.rules[r].groupBy.map { values[$0] ?? "" }
        let key = FindingKey(
            rule: r, source: currentSource, group: groupValues.joined(separator: "\u{1F}"), service: event.service)
        var f =
            findings[key]
            ?? RuleFindings(rule: r, source: currentSource, service: event.service, groupValues: groupValues)
        order += 1
        if f.occurrences == 0 {
            f.order = order
            f.firstSeen = timestamp
        }
        f.lastOrder = order
        f.occurrences += 1
        if timestamp != nil { f.lastSeen = timestamp }
        let number = event.lines[li].number
        if f.evidence.count < options.maxEvidence {
            f.evidence.append(Evidence(source: currentSource, line: number, text: stripANSI(event.rawLineText(li))))
        }
        if f.lines.count < 1000 { f.lines.append((currentSource, number)) }
        for (k, v) in values where f.values[k] == nil { f.values[k] = v }
        if let signal, f.signals.isEmpty { f.signals.append(signal) }
        findings[key] = f
        onFinding?(f, f.occurrences == 1)
    }

    // MARK: Values

    /// Fields of a JSON log record that hold the values rules test, by value name, in order of
    /// preference (a value the text already gave wins).
    static let recordFields: [(name: String, paths: [String])] = [
        ("error.code", ["cause.code", "err.code", "error.code", "code", "errorCode", "error_code"]),
        (
            "status",
            [
                "status", "statusCode", "status_code", "cause.status", "err.status", "err.statusCode", "error.status",
                "response.status",
            ]
        ),
        ("error.type", ["cause.type", "err.type", "error.type", "type"]),
        ("error.message", ["cause.message", "err.message", "error.message"]),
        ("request_id", ["requestID", "request_id", "requestId", "cause.requestID", "req_id"]),
        ("model", ["model", "cause.model"]),
    ]

    /// The event's values: extracted from its text, completed from its record's fields.
    private func eventValues(_ event: borrowing EventView) -> [String: String] {
        if let cachedValues { return cachedValues }
        var values = rules.extractor.values(in: event.text, using: scratch)
        if event.isStructured {
            for (name, paths) in Self.recordFields where values[name] == nil {
                for path in paths {
                    if let v = event.field(path), !v.isEmpty, v.count <= 512, !v.hasPrefix("{"), !v.hasPrefix("[") {
                        values[name] = v
                        break
                    }
                }
            }
        }
        cachedValues = values
        return values
    }

    // MARK: Built-in steps

    /// Version banners and `User-Agent` headers: looked for in the first
    /// ``versionLineBudget`` candidate lines of each source (where banners are) and in every
    /// event a rule matched; the version literals (`openai`, `litellm`) are too common to chase
    /// through a whole gigabyte.
    static let versionLineBudget = 4000

    private func recordVersions(_ event: borrowing EventView, force: Bool = false) {
        for i in 0..<event.lines.count {
            if !force {
                guard versionLinesLeft > 0 else { return }
                versionLinesLeft -= 1
            }
            let found = rules.extractor.versions(inLine: event.lineBytes(i), using: scratch)
            guard !found.isEmpty else { continue }
            var known = versions[currentSource] ?? [:]
            for (k, v) in found {
                let package = k.hasPrefix("version.") ? String(k.dropFirst(8)) : k
                if known[package] == nil { known[package] = v }
            }
            versions[currentSource] = known
        }
    }

    private static let requestMarker = Array("HTTP Request: ".utf8)

    private func recordRequests(_ event: borrowing EventView) {
        guard let regex = rules.requestLine else { return }
        for i in 0..<event.lines.count {
            let line = event.lineBytes(i)
            guard Self.contains(line, Self.requestMarker),
                let m = try? regex.firstMatch(in: line, from: 0, using: scratch),
                let urlRange = m.range(named: "url"), let statusRange = m.range(named: "status")
            else { continue }
            var status = 0
            for b in line[statusRange] { status = status * 10 + Int(b &- 48) }
            var urlEnd = urlRange.upperBound
            if let q = line[urlRange].firstIndex(of: UInt8(ascii: "?")) { urlEnd = q }
            let operation = String(
                decoding: UnsafeBufferPointer(rebasing: line[urlRange.lowerBound..<urlEnd]), as: UTF8.self)
            let key = OperationKey(operation: operation, source: currentSource)
            var o = outcomes[key] ?? Outcomes()
            let prefixEnd = m.range(0)?.lowerBound ?? 0
            o.add(status: status, words: Self.prefixWords(UnsafeBufferPointer(rebasing: line[0..<prefixEnd])))
            let ts = event.timestamp()
            if o.firstSeen == nil { o.firstSeen = ts }
            if ts != nil { o.lastSeen = ts }
            outcomes[key] = o
        }
    }

    static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard hay.count >= needle.count, let first = needle.first else { return false }
        var i = 0
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == first {
                var k = 1
                while k < needle.count && hay[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
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

    /// Lines that mark a CI step's end, not an application error ("Process completed with exit
    /// code 1"): the errors before them are what counts.
    static let ciNoise = ["Process completed with exit code", "##[error]Process completed", "ERROR: Job failed"]

    private func addUnclassified(_ event: borrowing EventView) {
        if event.lines.count == 1 {
            let first = event.lineText(0)
            if Self.ciNoise.contains(where: { first.contains($0) }) { return }
        }
        var lines: [String] = []
        lines.reserveCapacity(min(event.lines.count, 200))
        for i in 0..<min(event.lines.count, 200) { lines.append(event.lineText(i)) }
        let (index, message) = MessageLine.pick(lines)
        order += 1
        let li = min(index, event.lines.count - 1)
        let example = Evidence(
            source: currentSource, line: event.lines[li].number, text: Redactor.redact(stripANSI(event.rawLineText(li)))
        )
        miner.add(message: message, example: example, timestamp: event.timestamp(), order: order)
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
