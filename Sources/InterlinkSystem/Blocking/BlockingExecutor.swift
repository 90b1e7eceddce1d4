import Foundation

/// A fixed set of dedicated threads that runs blocking work (fsync, file reads, tar, compression, AES) instead of
/// Swift's cooperative pool.
///
/// The cooperative pool has one thread per core. A task that blocks one of them (a read, an fsync, a long
/// encryption) takes that core away from every other task, so with more blocking workers than cores the run stalls:
/// deadlines pass and progress stops. Work run here only ever waits for a thread of this executor.
///
/// Use it as a task executor preference (``Blocking/run(_:)`` for synchronous work, `withTaskExecutorPreference`
/// for an async function whose steps block). The threads live as long as the process, like NIO's thread pool.
package final class BlockingExecutor: TaskExecutor {
    /// The process's executor: twice the active cores, at least 4 threads.
    package static let shared = BlockingExecutor(
        threadCount: max(4, 2 * ProcessInfo.processInfo.activeProcessorCount),
        name: "interlink-blocking"
    )

    /// How many threads run the work.
    package let threadCount: Int
    private let threads = JobThreads()

    private init(threadCount: Int, name: String) {
        self.threadCount = threadCount
        threads.start(count: threadCount, name: name) { [self] job in job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    /// Queues a job; a free thread runs it.
    ///
    /// - Parameter job: The job the runtime hands over.
    package func enqueue(_ job: consuming ExecutorJob) {
        threads.enqueue(UnownedJob(job))
    }
}
