import FaultlineModel

/// A partial line being joined (one per output stream): its text so far and a copy of its first
/// physical line (the evidence). Buffers grow on demand up to the line cap and are reused.
/// A final class, not a `~Copyable` struct: the reader keeps its two slots in a tuple and picks
/// one per piece; its buffers are ``ByteBuffer``s, freed with it.
final class JoinSlot {
    enum Kind: UInt8 {
        case docker, cri
    }

    var active = false
    var kind = Kind.docker
    var stream = LineStream.unknown
    var number = 0
    var truncated = false
    private(set) var text = ByteBuffer(capacity: 1)
    private(set) var count = 0
    private(set) var raw = ByteBuffer(capacity: 1)
    private(set) var rawCount = 0

    /// Starts a new joined line whose first physical line is `raw`.
    func start(kind: Kind, stream: LineStream, number: Int, raw first: UnsafeBufferPointer<UInt8>, cap: Int) {
        active = true
        self.kind = kind
        self.stream = stream
        self.number = number
        truncated = false
        count = 0
        if raw.capacity < first.count {
            raw.reallocate(capacity: max(first.count, min(raw.capacity * 2, cap)), keeping: 0)
        }
        if let base = first.baseAddress, first.count > 0 {
            raw.base.update(from: base, count: first.count)
        }
        rawCount = first.count
    }

    /// Appends `n` bytes (the caller keeps `count + n` within `cap`).
    func append(_ p: UnsafePointer<UInt8>, _ n: Int, cap: Int) {
        guard n > 0 else { return }
        if count + n > text.capacity {
            let size = min(max(count + n, text.capacity * 2, 256), max(cap, count + n))
            text.reallocate(capacity: size, keeping: count)
        }
        (text.base + count).update(from: p, count: n)
        count += n
    }
}
