/// A growable buffer of trivial values (bytes, `EventLine`), reused across events (no per-line allocation once warm).
struct Buffer<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        self.base = .allocate(capacity: capacity)
    }

    func free() { base.deallocate() }

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
