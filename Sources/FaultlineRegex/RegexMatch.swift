/// The result of a successful match: byte ranges of the whole match and of each capture group.
public struct RegexMatch: Sendable, Hashable {
    /// Byte ranges in the subject. Index 0 is the whole match; index `i` is capture group `i`;
    /// `nil` means the group did not participate in the match.
    public let ranges: [Range<Int>?]
    /// Group name to group index, copied from the ``Regex``.
    public let names: [String: Int]

    /// Creates a match value.
    public init(ranges: [Range<Int>?], names: [String: Int]) {
        self.ranges = ranges
        self.names = names
    }

    /// The byte range of group `group` (0 = whole match); `nil` if the group did not participate
    /// or does not exist.
    public func range(_ group: Int) -> Range<Int>? {
        guard group >= 0, group < ranges.count else { return nil }
        return ranges[group]
    }

    /// The byte range of the named group; `nil` if the name is unknown or the group did not participate.
    public func range(named name: String) -> Range<Int>? {
        guard let index = names[name] else { return nil }
        return range(index)
    }
}
