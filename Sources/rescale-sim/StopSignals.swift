import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT and SIGTERM caught for the emulator, so that either ends it by a graceful shutdown rather than by the
/// default action (which would kill it with connections and jobs mid-way).
enum StopSignals {
    /// Returns at the first element of `stops`, to which SIGINT and SIGTERM are added meanwhile; the default actions
    /// are restored afterwards.
    ///
    /// - Parameters:
    ///   - stops: Other reasons to stop (such as the end of standard input).
    ///   - stop: The continuation of `stops`, which the signal handlers yield to.
    static func wait(_ stops: AsyncStream<Void>, _ stop: AsyncStream<Void>.Continuation) async {
        let numbers: [Int32] = [SIGINT, SIGTERM]
        var sources: [any DispatchSourceSignal] = []
        for number in numbers {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.yield() }
            source.resume()
            sources.append(source)
        }
        defer {
            for source in sources { source.cancel() }
            for number in numbers { signal(number, SIG_DFL) }
        }
        var iterator = stops.makeAsyncIterator()
        _ = await iterator.next()
    }
}
