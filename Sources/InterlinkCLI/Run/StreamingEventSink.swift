import InterlinkEngine

/// An event sink that hands every engine event to an async stream, which the progress renderer consumes as a
/// child task of the run's task group.
package struct StreamingEventSink: EventSink {
    private let continuation: AsyncStream<EngineEvent>.Continuation

    /// The events, in the order the engine sent them.
    package let events: AsyncStream<EngineEvent>

    /// Creates a sink and its stream.
    ///
    /// The buffer is unbounded: events are small and every stage event matters to `--json` consumers, while the
    /// renderer drains the stream far faster than stages produce events.
    package init() {
        (events, continuation) = AsyncStream.makeStream(of: EngineEvent.self, bufferingPolicy: .unbounded)
    }

    package func receive(_ event: EngineEvent) { continuation.yield(event) }

    /// Ends the stream once the engine has returned, so the renderer finishes.
    package func finish() { continuation.finish() }
}
