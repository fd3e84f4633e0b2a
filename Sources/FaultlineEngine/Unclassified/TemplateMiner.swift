import FaultlineModel
import FaultlineText

/// Error events that matched no rule and share one message template.
public struct MinedCluster: Sendable, Hashable {
    /// The message template: literal text with `<*>` where messages of the cluster differ or
    /// carry a variable (an id, a number, a path), e.g.
    /// `openai.NotFoundError: Error code: 404 - {'error': {'code': 'DeploymentNotFound', …}}`.
    public var template: String
    /// How many events fell into the cluster.
    public var count: Int
    /// The timestamp of the earliest event (by order) that carried one.
    public var firstSeen: String?
    /// The timestamp of the latest event (by order) that carried one.
    public var lastSeen: String?
    /// One event of the cluster (the earliest by order), redacted.
    public var example: Evidence
    /// The global sequence number of the cluster's earliest event.
    public var firstOrder: Int

    /// Creates a cluster.
    public init(
        template: String, count: Int, firstSeen: String?, lastSeen: String?, example: Evidence, firstOrder: Int
    ) {
        self.template = template
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.example = example
        self.firstOrder = firstOrder
    }
}

/// Groups the messages of unclassified error events into templates, online and in bounded
/// memory, after the Drain log parser (He et al., ICWS 2017).
///
/// Each message is tokenized (whitespace; `,;()[]{}`, quotes, `=` and `:` kept as separator
/// tokens) and its variable tokens are masked as `<*>`: numbers, hex ids, UUIDs, request ids,
/// timestamps, durations, IP addresses and ports, file paths and `file.py:123` locations, the path
/// and query of URLs (the host is kept), long quoted strings. HTTP statuses in a status context
/// (`Error code: 401`, `Status: 429`, `HTTP 404`, `"HTTP/1.1 500 …"`, `401 status code`), provider
/// error codes and exception class names (`DeploymentNotFound`, `content_filter`,
/// `openai.APIConnectionError`) stay literal and are *kept*: two messages that differ in a kept
/// token never merge.
///
/// Candidates share the token count and the first two tokens. A message joins the most similar
/// candidate when its share of equal word tokens is at least `similarity`, its punctuation is the
/// same and no kept token differs; the template then shows `<*>` where the two differ. Otherwise it
/// starts a new cluster, or, once `maxClusters` exist, is counted in one final cluster,
/// ``otherTemplate``.
///
/// Messages and examples are redacted with ``Redactor/redact(_:)`` before they are stored, so
/// templates and examples are safe to print. The result depends only on the messages and their
/// `order` numbers as long as they are added in order.
public struct TemplateMiner: Sendable {
    /// The template of the cluster that counts messages once `maxClusters` clusters exist.
    public static let otherTemplate = "<other unclassified errors>"

    /// The most clusters kept (not counting ``otherTemplate``).
    public let maxClusters: Int
    /// The share of equal word tokens (0...1) from which a message joins a cluster.
    public let similarity: Double

    private var entries: [Entry] = []
    private var groups: [String: [Int]] = [:]
    private var overflow: Entry?

    /// Creates an empty miner.
    ///
    /// - Parameters:
    ///   - maxClusters: the most clusters kept; later new templates are counted in
    ///     ``otherTemplate``. Negative values count as 0.
    ///   - similarity: the share of equal word tokens (clamped to 0...1) from which a message joins
    ///     an existing cluster.
    public init(maxClusters: Int = 500, similarity: Double = 0.6) {
        self.maxClusters = max(0, maxClusters)
        self.similarity = similarity.isNaN ? 0.6 : min(1, max(0, similarity))
    }

    /// Adds one message (already prefix-stripped, see ``MessageLine``).
    ///
    /// - Parameters:
    ///   - message: the event's message.
    ///   - example: the evidence to keep if this message creates the cluster (or is earlier, by
    ///     `order`, than the cluster's example); its text is redacted before it is stored.
    ///   - timestamp: the event's time as written in the log, if it has one.
    ///   - order: a global sequence number, for deterministic output and for ``merge(_:)``.
    public mutating func add(message: String, example: Evidence, timestamp: String?, order: Int) {
        // Redact before cutting (a cut secret may no longer look like one), but only a bounded
        // head: the tokenizer keeps the first `maxBytes` bytes, far from this cut.
        var head = message
        if head.utf8.count > 4 * MessageTokenizer.maxBytes {
            head = String(decoding: head.utf8.prefix(4 * MessageTokenizer.maxBytes), as: UTF8.self)
        }
        var tokens = MessageTokenizer.tokens(of: Redactor.redact(head))
        if tokens.isEmpty {
            tokens = [TemplateToken(text: "<empty message>", isSeparator: false, isKept: true, spaceBefore: false)]
        }
        let stamp = timestamp.map { Stamp(order: order, value: $0) }
        let entry = Entry(
            tokens: tokens, count: 1, firstOrder: order, example: example, exampleRedacted: false, first: stamp,
            last: stamp)
        insert(entry)
    }

    /// The clusters, most frequent first, ties by first order; the ``otherTemplate`` cluster, if
    /// any, comes last.
    public var clusters: [MinedCluster] {
        var result = entries.map { $0.cluster() }
        result.sort { $0.count != $1.count ? $0.count > $1.count : $0.firstOrder < $1.firstOrder }
        if let overflow { result.append(overflow.cluster(template: Self.otherTemplate)) }
        return result
    }

    /// The number of messages added (over all clusters).
    public var messageCount: Int {
        entries.reduce(overflow?.count ?? 0) { $0 + $1.count }
    }

    /// Merges another miner's clusters into this one (for parallel shards).
    ///
    /// The other miner's clusters are added in their first order, each as one message carrying its
    /// count, to this miner's limits and similarity. For shards of consecutive input merged in
    /// input order, the result is the one a single miner gives on the concatenated input when the
    /// shards' templates are identical, and as close as Drain allows otherwise: counts always add
    /// up, and first/last seen and the example are those of the earliest and latest order.
    public mutating func merge(_ other: TemplateMiner) {
        for entry in other.entries.sorted(by: { $0.firstOrder < $1.firstOrder }) {
            insert(entry)
        }
        if let theirs = other.overflow {
            if overflow == nil {
                overflow = theirs
            } else {
                overflow?.absorb(theirs, generalize: false)
            }
        }
    }

    // MARK: Internals

    struct Stamp: Sendable, Hashable {
        var order: Int
        var value: String
    }

    struct Entry: Sendable, Hashable {
        var tokens: [TemplateToken]
        var count: Int
        var firstOrder: Int
        var example: Evidence
        var exampleRedacted: Bool
        var first: Stamp?
        var last: Stamp?

        /// Adds `other`'s count, stamps and (if earlier) example; with `generalize`, masks the
        /// tokens where the two templates differ.
        mutating func absorb(_ other: Entry, generalize: Bool) {
            if generalize {
                for k in tokens.indices where k < other.tokens.count && tokens[k].text != other.tokens[k].text {
                    tokens[k].text = TemplateToken.wildcard
                    tokens[k].isKept = false
                }
            }
            count += other.count
            if other.firstOrder < firstOrder {
                firstOrder = other.firstOrder
                example = other.example
                exampleRedacted = other.exampleRedacted
            }
            if let stamp = other.first, first.map({ stamp.order < $0.order }) ?? true { first = stamp }
            if let stamp = other.last, last.map({ stamp.order > $0.order }) ?? true { last = stamp }
            redactExample()
        }

        mutating func redactExample() {
            guard !exampleRedacted else { return }
            example.text = Redactor.redact(example.text)
            exampleRedacted = true
        }

        func cluster(template: String? = nil) -> MinedCluster {
            MinedCluster(
                template: template ?? MessageTokenizer.render(tokens), count: count, firstSeen: first?.value,
                lastSeen: last?.value, example: example, firstOrder: firstOrder)
        }
    }

    /// The candidates' key: the token count and the first two tokens.
    static func groupKey(_ tokens: [TemplateToken]) -> String {
        var key = String(tokens.count)
        for token in tokens.prefix(2) { key += "\u{1F}" + token.text }
        return key
    }

    /// The share of equal word tokens, or `nil` when the two may not merge (different
    /// punctuation, or a kept token that differs).
    static func score(_ template: [TemplateToken], _ message: [TemplateToken]) -> Double? {
        guard template.count == message.count else { return nil }
        var words = 0
        var equal = 0
        for k in template.indices {
            let a = template[k]
            let b = message[k]
            if a.isSeparator || b.isSeparator {
                guard a.isSeparator, b.isSeparator, a.text == b.text else { return nil }
                continue
            }
            words += 1
            if a.text == b.text {
                equal += 1
            } else if a.isKept || b.isKept {
                return nil
            }
        }
        return words == 0 ? 1 : Double(equal) / Double(words)
    }

    private mutating func insert(_ incoming: Entry) {
        var entry = incoming
        let key = Self.groupKey(entry.tokens)
        var best: (index: Int, score: Double)?
        for index in groups[key] ?? [] {
            guard let score = Self.score(entries[index].tokens, entry.tokens), score >= similarity else { continue }
            if best.map({ score > $0.score }) ?? true { best = (index, score) }
        }
        if let best {
            entries[best.index].absorb(entry, generalize: true)
            return
        }
        entry.redactExample()
        if entries.count < maxClusters {
            groups[key, default: []].append(entries.count)
            entries.append(entry)
        } else if overflow == nil {
            overflow = entry
        } else {
            overflow?.absorb(entry, generalize: false)
        }
    }
}
