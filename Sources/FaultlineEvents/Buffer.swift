/// A growable buffer of trivial values (bytes, `EventLine`), reused across events (no per-line allocation once warm).
///
/// It owns its memory: not copyable, and freed when its owner (or, for a local, its scope) ends.
struct Buffer<Element>: ~Copyable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        self.base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Calls `body` with the elements; the buffer stays alive (and unchanged) during the call.
    @inline(__always)
    func withElements<R>(_ body: (UnsafeBufferPointer<Element>) -> R) -> R {
        body(UnsafeBufferPointer(start: base, count: count))
    }

    subscript(i: Int) -> Element { base[i] }

    @inline(__always)
    mutating func reserve(_ extra: Int) {
        let needed = count + extra
        guard needed > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ e: Element) {
        reserve(1)
        (base + count).initialize(to: e)
        count += 1
    }

    @inline(__always)
    mutating func append(_ b: UnsafeBufferPointer<Element>) {
        guard let src = b.baseAddress, b.count > 0 else { return }
        reserve(b.count)
        (base + count).initialize(from: src, count: b.count)
        count += b.count
    }
}
