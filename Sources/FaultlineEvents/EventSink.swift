import FaultlineIngest

/// Receives the events of one input from an ``EventAssembler``: the second stage of the push
/// pipeline (lines → events → findings).
///
/// The assembler calls ``begin(source:)`` once, ``event(_:)`` for each event in order, and
/// ``finish(source:)`` once at the end of the input, also after a ``SinkAction/stop``. The event
/// is borrowed: copy out what must outlive the call.
public protocol EventSink: AnyObject {
    /// Called before the first event of `source`.
    func begin(source: String)
    /// Called for each event; ``SinkAction/stop`` ends the input after this event.
    func event(_ event: borrowing EventView) -> SinkAction
    /// Called after the last event of `source`.
    func finish(source: String)
}

extension EventSink {
    /// Does nothing.
    public func begin(source: String) {}
    /// Does nothing.
    public func finish(source: String) {}
}

/// An ``EventSink`` that hands every event to a closure and never stops (tests, small tools).
public final class EventCallback: EventSink {
    private let body: (borrowing EventView) -> Void

    /// A sink calling `body` for each event.
    public init(_ body: @escaping (borrowing EventView) -> Void) { self.body = body }

    /// Calls `body` with the event and returns ``SinkAction/proceed``.
    public func event(_ event: borrowing EventView) -> SinkAction {
        body(event)
        return .proceed
    }
}
