import CPCRE2

/// Per-worker mutable matching state: PCRE2 match data, a JIT stack and a match context.
///
/// A scratch may be used with any ``Regex``; the limits of the regex being run are written into
/// the match context at each call. It is deliberately not `Sendable`: create one per thread or
/// task and never share it. All PCRE2 memory is freed in `deinit`.
public final class MatchScratch {
    /// Ovector pairs allocated up front; enough for any pattern with up to 63 capture groups.
    static let initialPairs: UInt32 = 64

    /// PCRE2 match data; `nil` only if PCRE2 could not allocate it.
    private(set) var matchData: OpaquePointer?
    /// Number of ovector pairs in ``matchData``.
    private(set) var pairCapacity: Int
    /// Match context carrying the limits and the JIT stack; `nil` only on allocation failure.
    let matchContext: OpaquePointer?
    /// JIT stack (32 KiB growing to 1 MiB); `nil` if JIT is unavailable.
    private let jitStack: OpaquePointer?
    /// A one-byte buffer used as the subject pointer for empty subjects (PCRE2 10.42 rejects NULL).
    let emptySubject: UnsafeMutablePointer<UInt8>

    /// Creates the match data, JIT stack and match context.
    public init() {
        matchData = pcre2_match_data_create_8(Self.initialPairs, nil)
        pairCapacity = matchData == nil ? 0 : Int(Self.initialPairs)
        matchContext = pcre2_match_context_create_8(nil)
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
        if let matchContext, let jitStack {
            pcre2_jit_stack_assign_8(matchContext, nil, UnsafeMutableRawPointer(jitStack))
        }
        emptySubject = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        emptySubject.initialize(to: 0)
    }

    /// Makes sure the match data can hold all groups of `code` (allocates only when it cannot).
    func ensureCapacity(pairs: Int, for code: OpaquePointer) {
        guard pairs > pairCapacity else { return }
        guard let grown = pcre2_match_data_create_from_pattern_8(code, nil) else { return }
        if let matchData { pcre2_match_data_free_8(matchData) }
        matchData = grown
        pairCapacity = Int(pcre2_get_ovector_count_8(grown))
    }

    deinit {
        if let matchData { pcre2_match_data_free_8(matchData) }
        if let matchContext { pcre2_match_context_free_8(matchContext) }
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        emptySubject.deallocate()
    }
}

/// A scratch holds mutable PCRE2 state and must stay on one thread or task at a time.
@available(*, unavailable)
extension MatchScratch: Sendable {}
