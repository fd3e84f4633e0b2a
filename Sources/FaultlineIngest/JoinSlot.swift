import FaultlineModel

/// A partial line being joined (one per output stream): its text so far and a copy of its first
/// physical line (the evidence). Buffers grow on demand up to the line cap and are reused.
final class JoinSlot {
    enum Kind: UInt8 {
        case docker, cri
    }

    var active = false
    var kind = Kind.docker
    var stream = LineStream.unknown
    var number = 0
    var truncated = false
    private(set) var text: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var textCapacity = 0
    private(set) var raw: UnsafeMutablePointer<UInt8>
    private(set) var rawCount = 0
    private var rawCapacity = 0

    init() {
        text = .allocate(capacity: 1)
        raw = .allocate(capacity: 1)
        textCapacity = 1
        rawCapacity = 1
    }

    deinit {
        text.deallocate()
        raw.deallocate()
    }

    /// Starts a new joined line whose first physical line is `raw`.
    func start(kind: Kind, stream: LineStream, number: Int, raw first: UnsafeBufferPointer<UInt8>, cap: Int) {
        active = true
        self.kind = kind
        self.stream = stream
        self.number = number
        truncated = false
        count = 0
        if rawCapacity < first.count {
            raw.deallocate()
            rawCapacity = max(first.count, min(rawCapacity * 2, cap))
            raw = .allocate(capacity: rawCapacity)
        }
        if let base = first.baseAddress, first.count > 0 {
            raw.update(from: base, count: first.count)
        }
        rawCount = first.count
    }

    /// Appends `n` bytes (the caller keeps `count + n` within `cap`).
    func append(_ p: UnsafePointer<UInt8>, _ n: Int, cap: Int) {
        guard n > 0 else { return }
        if count + n > textCapacity {
            let size = min(max(count + n, textCapacity * 2, 256), max(cap, count + n))
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
            bigger.update(from: text, count: count)
            text.deallocate()
            text = bigger
            textCapacity = size
        }
        (text + count).update(from: p, count: n)
        count += n
    }
}
