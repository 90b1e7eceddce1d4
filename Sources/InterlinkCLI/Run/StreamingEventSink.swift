import InterlinkEngine
import Synchronization

/// What the progress renderer shows: engine events, and the messages a run has for the user beside them.
package enum ProgressInput: Hashable, Sendable {
    /// An engine event.
    case event(EngineEvent)
    /// A message from the platform's client (a retry while the platform is unreachable).
    case notice(String)
    /// The user asked to stop; the text says what happens now.
    case stopping(String)
}

/// An event sink that hands every engine event, and the run's other messages, to an async stream, which the
/// progress renderer consumes as a child task of the run's task group.
package final class StreamingEventSink: EventSink {
    private let continuation: AsyncStream<ProgressInput>.Continuation
    private let progress = Mutex(Progress())

    private struct Progress {
        var hasStarted = false
        var isWaitingForPlatform = false
    }

    /// The inputs, in the order they were sent.
    package let inputs: AsyncStream<ProgressInput>

    /// Creates a sink and its stream.
    ///
    /// The buffer is unbounded: events are small and every stage event matters to `--json` consumers, while the
    /// renderer drains the stream far faster than stages produce events.
    package init() {
        (inputs, continuation) = AsyncStream.makeStream(of: ProgressInput.self, bufferingPolicy: .unbounded)
    }

    package func receive(_ event: EngineEvent) {
        progress.withLock { progress in
            switch event.event {
            case .runStarted: progress.hasStarted = true
            case .stageSucceeded, .stageReconciled: progress.isWaitingForPlatform = false
            default: break
            }
        }
        continuation.yield(.event(event))
    }

    /// Sends a message that is not an engine event.
    package func post(_ input: ProgressInput) {
        if case .notice = input { progress.withLock { $0.isWaitingForPlatform = true } }
        continuation.yield(input)
    }

    /// Whether a stop can wait for running steps to reach a checkpoint: the run has started its steps and is not
    /// waiting for an unreachable platform (whose retries would hold the stop for minutes).
    package var stopCanWait: Bool { progress.withLock { $0.hasStarted && !$0.isWaitingForPlatform } }

    /// Ends the stream once the engine has returned, so the renderer finishes.
    package func finish() { continuation.finish() }
}
