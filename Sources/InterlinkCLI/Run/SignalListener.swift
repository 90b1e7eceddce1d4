import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT and SIGTERM as an async sequence, so a run's task group can consume them like any other child.
///
/// While the stream is alive the signals' default action (ending the process) is replaced by delivery to the
/// stream; when the consumer stops iterating, the default action is restored.
package enum SignalListener {
    /// The signals a run listens for: Ctrl-C and a polite kill.
    package static let stopSignals: [Int32] = [SIGINT, SIGTERM]

    /// A stream yielding each received signal's number, and its continuation to end it.
    ///
    /// - Parameter signals: The signals to catch.
    /// - Returns: The stream and its continuation; finishing it (or the consumer's cancellation) releases the
    ///   handlers and restores the default actions.
    package static func makeStream(_ signals: [Int32] = stopSignals)
        -> (stream: AsyncStream<Int32>, continuation: AsyncStream<Int32>.Continuation)
    {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self, bufferingPolicy: .unbounded)
        let sources = SignalSources(signals: signals) { continuation.yield($0) }
        continuation.onTermination = { _ in sources.cancel() }
        return (stream, continuation)
    }
}

/// The dispatch sources behind one ``SignalListener`` stream; cancelling restores the default actions.
private final class SignalSources: Sendable {
    private let sources: Mutex<[any DispatchSourceSignal]>
    private let signals: [Int32]

    init(signals: [Int32], deliver: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        var created: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { deliver(number) }
            source.resume()
            created.append(source)
        }
        sources = Mutex(created)
    }

    func cancel() {
        sources.withLock { sources in
            for source in sources { source.cancel() }
            sources = []
        }
        for number in signals { signal(number, SIG_DFL) }
    }
}
