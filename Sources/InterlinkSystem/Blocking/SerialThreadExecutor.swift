import Foundation

/// A serial executor on one dedicated thread, for actors whose methods do blocking I/O (the journal's write and
/// fsync, the local cloud's atomic record writes).
///
/// An actor on the default executor runs on the cooperative pool, so each fsync would hold one of its threads. Given
/// this executor (`nonisolated var unownedExecutor`), the actor keeps its isolation and its order, and its blocking
/// calls only ever hold this thread. Several actors may share it; their work then runs one job at a time.
package final class SerialThreadExecutor: SerialExecutor {
    /// The process's executor for the journal.
    package static let journal = SerialThreadExecutor(name: "interlink-journal")
    /// The process's executor for the local cloud's records.
    package static let localCloud = SerialThreadExecutor(name: "interlink-local-cloud")

    private let thread = JobThreads()

    private init(name: String) {
        thread.start(count: 1, name: name) { [self] job in job.runSynchronously(on: asUnownedSerialExecutor()) }
    }

    /// Queues a job; the thread runs jobs in the order queued.
    ///
    /// - Parameter job: The job the runtime hands over.
    package func enqueue(_ job: consuming ExecutorJob) {
        thread.enqueue(UnownedJob(job))
    }
}
