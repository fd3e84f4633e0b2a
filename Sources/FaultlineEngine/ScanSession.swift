import FaultlineEvents
import FaultlineIngest
import FaultlineModel
import FaultlineRegex
import FaultlineRules

/// Which events a session explains rule by rule (`faultline explain`).
public enum ExplainTarget: Sendable, Equatable {
    /// The event holding this 1-based line of the first source scanned; the scan stops after it.
    case line(Int)
    /// Every event (tests check that explanations and findings agree).
    case everyEvent
}

/// Wires the engine's parts for one worker: it is the ``EventSink`` of the pipeline
/// (bytes → lines → events → findings), and hands each event to the ``RuleMatcher``, the
/// sequence memory, the finding aggregator, the request and version counters and the
/// unclassified collector.
///
/// Entry points: ``scan(_:name:)`` for bytes (`FileScan.swift` adds files, walks and archives).
/// Not thread-safe: one session per worker.
public final class ScanSession: EventSink {
    public let rules: CompiledRules
    public let options: ScanOptions
    private var matcher: RuleMatcher
    private var sequences = SequenceMemory()
    private var aggregator: FindingAggregator
    private var requests: RequestOutcomes
    private var versions = VersionBanners()
    private var unclassified: UnclassifiedCollector
    private var contrast: [FindingKey: Evidence] = [:]
    private var signalSeen: [SignalKey: Evidence] = [:]
    var stats = ScanStats()
    var diagnostics: [Diagnostic] = []
    private var order: Int
    private var currentSource = ""
    private var stopRequested = false

    /// The events to explain rule by rule into ``explanations``; `nil` explains none.
    public var explain: ExplainTarget?
    /// The explanations of the events ``explain`` asked for, in scan order.
    public private(set) var explanations: [Explanation] = []
    /// The explanation of the event holding the ``ExplainTarget/line(_:)``, once scanned.
    public var explanation: Explanation? { explanations.first }
    /// The event lines (peeled text) of the first explained event, for rule skeletons.
    public private(set) var explainedEventText: [String] = []
    /// Told of each finding as it is recorded (live mode prints incidents as they come).
    public var findingSink: FindingSink?
    /// Stops the scan once cancelled (Ctrl-C in live mode); the result covers what was read.
    public var cancellation: Cancellation?
    /// Where readers count bytes read, for a progress display.
    public var progress: ScanProgress?
    /// Lines read from the last scanned source.
    public internal(set) var lastSourceLines = 0

    /// - Parameter orderBase: the first number this session gives its findings; sessions that
    ///   scan disjoint inputs in parallel use distinct, increasing bases so their combined result
    ///   orders findings as one session reading the inputs in order would.
    public init(rules: CompiledRules, options: ScanOptions = ScanOptions(), orderBase: Int = 0) {
        self.order = orderBase
        self.rules = rules
        self.options = options
        matcher = RuleMatcher(rules: rules)
        aggregator = FindingAggregator(maxEvidence: options.maxEvidence)
        requests = RequestOutcomes(requestLine: rules.requestLine)
        unclassified = UnclassifiedCollector(maxClusters: options.maxUnclassified)
    }

    /// What readers of this session are steered by.
    var control: ReadControl { ReadControl(cancellation: cancellation, progress: progress) }

    /// `true` once the scan must end: cancelled, the finding sink said stop, or the explained
    /// line was reached.
    public var isStopped: Bool { stopRequested || cancellation?.isCancelled == true }

    /// Scans the bytes of one input named `name` (the name evidence shows). Returns
    /// ``SinkAction/stop`` when the scan was stopped (see ``isStopped``).
    @discardableResult
    public func scan(_ source: some ByteSource, name: String) -> SinkAction {
        let reader = LineReader(input: source, source: name, options: options.reader, control: control)
        let action = scan(reader: reader, source: name)
        stats.files += 1
        stats.bytes += reader.bytesRead
        stats.lines += reader.lineCount
        lastSourceLines = reader.lineCount
        diagnostics += reader.diagnostics
        return action
    }

    /// Reads one member's lines through an event assembler into this session.
    func scan(reader: LineReader, source: String) -> SinkAction {
        let assembler = EventAssembler(source: source, options: options.assembler, sink: self)
        let action = reader.read(into: assembler)
        stats.events += assembler.eventCount
        return isStopped ? .stop : action
    }

    /// Adds diagnostics found outside the session (a missing path, a broken rule).
    public func record(_ more: [Diagnostic]) { diagnostics += more }

    /// The aggregated result so far.
    public func result() -> ScanResult {
        ScanResult(
            findings: aggregator.sorted, contrast: contrast, signals: signalSeen, versions: versions.bySource,
            outcomes: requests.bySource, miner: unclassified.miner, stats: stats,
            diagnostics: diagnostics + matcher.diagnostics)
    }

    // MARK: EventSink

    public func begin(source: String) {
        currentSource = source
        versions.begin()
        sequences.begin()
        matcher.begin(source: source)
    }

    public func event(_ event: borrowing EventView) -> SinkAction {
        sequences.next()
        let builtins = matcher.prefilter(event)
        let explaining = wantsExplanation(event)
        if !matcher.hasCandidates && builtins.isEmpty && !explaining { return isStopped ? .stop : .proceed }
        if builtins.contains(.version) && versions.hasBudget {
            versions.record(event, source: currentSource, extractor: rules.extractor, scratch: matcher.scratch)
        }
        if builtins.contains(.request) { requests.record(event, source: currentSource, scratch: matcher.scratch) }
        matcher.selectCandidates()
        var traces: [Int: [Explanation.Step]] = [:]
        var matched: [(rule: Int, hit: RuleHit)] = []
        for r in matcher.candidates {
            noteContrastAndSourceSignals(rule: r, event)
            var trace: [Explanation.Step]? = explaining ? [] : nil
            if let hit = matcher.evaluate(rule: r, event, trace: &trace) { matched.append((r, hit)) }
            if let trace { traces[r] = trace }
        }
        let accepted = correlate(matched, event, explaining: explaining, traces: &traces)
        if !accepted.isEmpty {
            record(accepted, event, builtins: builtins)
        } else if builtins.contains(.errorish), let level = event.level(), level >= .error,
            !UnclassifiedCollector.isCINoise(event)
        {
            order += 1
            unclassified.add(event, source: currentSource, order: order)
        }
        if explaining { addExplanation(event, accepted: Set(accepted.map(\.rule)), traces: traces) }
        matcher.reset()
        return isStopped ? .stop : .proceed
    }

    // MARK: Steps

    private func wantsExplanation(_ event: borrowing EventView) -> Bool {
        switch explain {
        case nil: return false
        case .everyEvent: return true
        case .line(let n): return explanations.isEmpty && event.firstLine <= n && n <= event.lastLine
        }
    }

    /// Where a succeeding request of the contrasting kind and a `scope: source` signal were seen.
    private func noteContrastAndSourceSignals(rule r: Int, _ event: borrowing EventView) {
        if !rules.succeedsIDs[r].isEmpty {
            let key = FindingKey(rule: r, source: currentSource)
            if contrast[key] == nil, let ev = matcher.firstEvidence(of: rules.succeedsIDs[r], event, rule: r) {
                contrast[key] = ev
            }
        }
        for (i, p) in rules.hot[r].sourceSignals where matcher.flagged(p) {
            let key = SignalKey(rule: r, signal: i, source: currentSource)
            if signalSeen[key] == nil, let ev = matcher.firstEvidence(of: [p], event, rule: r) {
                signalSeen[key] = ev
            }
        }
    }

    private typealias Accepted = (rule: Int, hit: RuleHit, signal: Signal?, time: Double?, timestamp: String?)

    /// The matches whose `correlate.after` condition holds, with the signal saying what they follow.
    private func correlate(
        _ matched: [(rule: Int, hit: RuleHit)], _ event: borrowing EventView,
        explaining: Bool, traces: inout [Int: [Explanation.Step]]
    ) -> [Accepted] {
        guard !matched.isEmpty else { return [] }
        let timestamp = event.timestamp()
        let time = timestamp.flatMap(TimeParser.seconds)
        var accepted: [Accepted] = []
        for m in matched {
            switch sequences.check(m.rule, rules: rules, values: m.hit.values, time: time, source: currentSource) {
            case .rejected:
                if explaining, let after = rules.rules[m.rule].correlate?.after {
                    traces[m.rule, default: []].append(
                        .sequenceUnmet(
                            rule: after.rule, withinEvents: after.withinEvents, withinSeconds: after.withinSeconds,
                            key: after.key, sameSource: after.sameSource))
                }
            case .accepted(let signal):
                if explaining, let signal { traces[m.rule, default: []].append(.sequenceMet(signal.text)) }
                accepted.append((m.rule, m.hit, signal, time, timestamp))
            }
        }
        return accepted
    }

    /// Records accepted matches: findings, `scope: event` signals, sequence memory.
    private func record(_ accepted: [Accepted], _ event: borrowing EventView, builtins: BuiltinLiterals) {
        if builtins.contains(.version) && !versions.hasBudget {
            versions.record(
                event, source: currentSource, extractor: rules.extractor, scratch: matcher.scratch, force: true)
        }
        let extracted = matcher.values(event)
        for a in accepted {
            var values = extracted
            for (k, v) in a.hit.values { values[k] = v }
            order += 1
            let finding = aggregator.record(
                rule: a.rule, groupBy: rules.rules[a.rule].groupBy, event: event, line: a.hit.line, values: values,
                timestamp: a.timestamp, signal: a.signal, source: currentSource, order: order)
            if let sink = findingSink, sink.finding(finding, isNew: finding.occurrences == 1) == .stop {
                stopRequested = true
            }
            for (i, p) in rules.hot[a.rule].eventSignals {
                let key = SignalKey(rule: a.rule, signal: i, source: currentSource)
                if signalSeen[key] == nil, let ev = matcher.firstEvidence(of: [p], event, rule: a.rule) {
                    signalSeen[key] = ev
                }
            }
            if rules.isAfterTarget[a.rule] {
                sequences.remember(
                    a.rule, values: values, time: a.time, source: currentSource, line: event.lines[a.hit.line].number)
            }
        }
    }

    /// Every rule's verdict on `event`, from the traces the scan's own evaluation recorded (rules
    /// that were no candidate are evaluated by the same matcher, which rules them out).
    private func addExplanation(
        _ event: borrowing EventView, accepted: Set<Int>, traces: [Int: [Explanation.Step]]
    ) {
        var verdicts: [Explanation.Verdict] = []
        for (r, rule) in rules.rules.enumerated() {
            var steps = traces[r] ?? []
            if traces[r] == nil {
                var trace: [Explanation.Step]? = []
                let hit = matcher.evaluate(rule: r, event, trace: &trace)
                assert(hit == nil, "a rule the prefilter ruled out matched")
                steps = trace ?? []
            }
            if let contrast = rule.correlate?.contrast {
                steps.append(.contrast(required: contrast.required, patterns: contrast.succeeds.map(\.source)))
            }
            verdicts.append(.init(rule: rule.id, matched: accepted.contains(r), steps: steps))
        }
        verdicts.sort { a, b in a.matched != b.matched ? a.matched : a.rule < b.rule }
        let lines = (0..<event.lines.count).map { (event.lines[$0].number, Redactor.redact(event.lineText($0))) }
        let values = matcher.values(event).mapValues { Redactor.redact($0) }
        explanations.append(
            Explanation(
                source: currentSource, firstLine: event.firstLine, lastLine: event.lastLine, level: event.level(),
                timestamp: event.timestamp(), lines: lines, values: values, verdicts: verdicts))
        if case .line = explain {
            explainedEventText = (0..<event.lines.count).map { event.lineText($0) }
            stopRequested = true
        }
    }
}
