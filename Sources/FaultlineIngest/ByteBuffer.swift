/// Heap bytes owned by one value: not copyable, and freed when their owner goes away (there is
/// no `free()` to call). Reallocated only on demand, so a warm buffer costs no allocation.
struct ByteBuffer: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int

    /// A buffer of `capacity` bytes (at least one byte is allocated, so that `base` is valid).
    init(capacity: Int) {
        self.capacity = capacity
        self.base = .allocate(capacity: max(capacity, 1))
    }

    deinit { base.deallocate() }

    @inline(__always)
    subscript(i: Int) -> UInt8 { base[i] }

    /// Replaces the memory with `newCapacity` bytes whose first `keeping` bytes are the old ones.
    mutating func reallocate(capacity newCapacity: Int, keeping: Int) {
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: max(newCapacity, 1))
        if keeping > 0 { fresh.update(from: base, count: keeping) }
        base.deallocate()
        base = fresh
        capacity = newCapacity
    }
}
