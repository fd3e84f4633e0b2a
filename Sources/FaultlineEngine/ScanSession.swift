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
    /// The rules this session matches, shared with other sessions.
    public let rules: CompiledRules
    /// The settings every input of this session is read and scanned with.
    public let options: ScanOptions
    let matcher: RuleMatcher
    private var sequences = SequenceMemory()
    private var aggregator: FindingAggregator
    private var requests: RequestOutcomes
    private var versions = VersionBanners()
    private var unclassified: UnclassifiedCollector
    private var ledger = SignalLedger()
    var stats = ScanStats()
    var diagnostics = Diagnostics()
    private var order: Int
    var currentSource = ""
    var stopRequested = false

    /// The events to explain rule by rule into ``explanations``; `nil` explains none.
    public var explain: ExplainTarget?
    /// The explanations of the events ``explain`` asked for, in scan order.
    public internal(set) var explanations: [Explanation] = []
    /// The explanation of the event holding the ``ExplainTarget/line(_:)``, once scanned.
    public var explanation: Explanation? { explanations.first }
    /// The event lines (peeled text) of the first explained event, for rule skeletons.
    public internal(set) var explainedEventText: [String] = []
    /// Told of each finding as it is recorded (live mode prints incidents as they come).
    public var findingSink: FindingSink?
    /// Stops the scan once cancelled (Ctrl-C in live mode); the result covers what was read.
    public var cancellation: Cancellation?
    /// Where readers count bytes read, for a progress display.
    public var progress: ScanProgress?
    /// Lines read from the last scanned source.
    public internal(set) var lastSourceLines = 0

    /// Creates a session that has read nothing yet.
    ///
    /// - Parameters:
    ///   - rules: the compiled rules to match.
    ///   - options: how inputs are read and what is kept.
    ///   - orderBase: the first number this session gives its findings; sessions that
    ///     scan disjoint inputs in parallel use distinct, increasing bases so their combined result
    ///     orders findings as one session reading the inputs in order would.
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
        diagnostics.add(contentsOf: reader.diagnostics)
        return action
    }

    /// Reads one member's lines through an event assembler into this session.
    func scan(reader: LineReader, source: String) -> SinkAction {
        let assembler = EventAssembler(source: source, options: options.assembler, sink: self)
        let action = reader.read(into: assembler)
        stats.events += assembler.eventCount
        return isStopped ? .stop : action
    }

    /// Adds diagnostics found outside the session (a missing path), before its own.
    public func record(_ more: Diagnostics) { diagnostics.add(contentsOf: more.all) }

    /// The aggregated result so far.
    public func result() -> ScanResult {
        ScanResult(
            findings: aggregator.sorted, contrast: ledger.contrast, signals: ledger.signals,
            versions: versions.bySource,
            outcomes: requests.bySource, miner: unclassified.miner, stats: stats,
            diagnostics: diagnostics.all + matcher.diagnostics)
    }

    // MARK: EventSink

    /// Starts the next source: what follows is recorded under `source`, sequences forget the
    /// previous source's events (the cross-file memory stays) and the version-banner budget starts
    /// over.
    public func begin(source: String) {
        currentSource = source
        versions.begin()
        sequences.begin()
        matcher.begin(source: source)
    }

    /// Matches one event against the rules and records what it finds: findings, signals, request
    /// outcomes and versions, or an unclassified error; returns ``SinkAction/stop`` once
    /// ``isStopped``.
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
            ledger.noteSourceScope(rule: r, event, matcher: matcher, source: currentSource)
            var trace: [Explanation.Step]? = explaining ? [] : nil
            if let hit = matcher.evaluate(rule: r, event, trace: &trace) { matched.append((r, hit)) }
            if let trace { traces[r] = trace }
        }
        let accepted = sequences.accept(
            matched, event, rules: rules, source: currentSource, explaining: explaining, traces: &traces)
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

    /// Records accepted matches: findings, `scope: event` signals, sequence memory.
    private func record(_ accepted: [SequenceMemory.Accepted], _ event: borrowing EventView, builtins: BuiltinLiterals)
    {
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
            ledger.noteEventScope(rule: a.rule, event, matcher: matcher, source: currentSource)
            if rules.isAfterTarget[a.rule] {
                sequences.remember(
                    a.rule, values: values, time: a.time, source: currentSource, line: event.lines[a.hit.line].number)
            }
        }
    }

}
