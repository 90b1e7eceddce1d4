import Foundation
import Synchronization

/// The UI's event bus: publishing never blocks, each subscriber has its own bounded buffer, and the newest
/// events are kept so a page that (re)connects catches up from the last event it saw.
///
/// A slow subscriber loses its oldest buffered events rather than slowing the publisher; the page notices the
/// gap in ``WebEvent/seq`` and refetches what it shows.
package final class WebEventBus: Sendable {
    private struct State {
        var next = 1
        var recent: [WebEvent] = []
        var subscribers: [Int: AsyncStream<WebEvent>.Continuation] = [:]
        var nextSubscriber = 0
    }

    /// How many recent events are kept for catching up.
    package let capacity: Int
    private let state = Mutex(State())

    /// Creates a bus.
    ///
    /// - Parameter capacity: How many recent events are kept (and buffered per subscriber).
    package init(capacity: Int = 5000) {
        self.capacity = capacity
    }

    /// Numbers and timestamps an event, keeps it, and hands it to every subscriber.
    ///
    /// - Parameter event: The event.
    package func publish(_ event: WebEvent) {
        var event = event
        event.time = Date()
        state.withLock { state in
            event.seq = state.next
            state.next += 1
            state.recent.append(event)
            if state.recent.count > capacity + capacity / 4 { state.recent.removeFirst(state.recent.count - capacity) }
            for continuation in state.subscribers.values { continuation.yield(event) }
        }
    }

    /// The kept events after `seq`, oldest first.
    ///
    /// - Parameter seq: The last event the caller saw (0 for all kept).
    /// - Returns: The events.
    package func events(after seq: Int) -> [WebEvent] {
        state.withLock { state in state.recent.filter { $0.seq > seq } }
    }

    /// A stream of the kept events after `seq` followed by every later event, until the consumer stops.
    ///
    /// - Parameter seq: The last event the caller saw.
    /// - Returns: The stream.
    package func subscribe(after seq: Int) -> AsyncStream<WebEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: WebEvent.self,
            bufferingPolicy: .bufferingNewest(capacity)
        )
        let id = state.withLock { state in
            for event in state.recent where event.seq > seq { continuation.yield(event) }
            let id = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { state in _ = state.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Ends every subscription (at shutdown).
    package func finish() {
        let continuations = state.withLock { state in
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
