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
package final class BlockingExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked Sendable: `queue` is only read or written while `condition` is locked; the rest is immutable.

    /// The process's executor: twice the active cores, at least 4 threads.
    package static let shared = BlockingExecutor(
        threadCount: max(4, 2 * ProcessInfo.processInfo.activeProcessorCount),
        name: "interlink-blocking"
    )

    /// How many threads run the work.
    package let threadCount: Int
    private let condition = NSCondition()
    private var queue: [UnownedJob] = []
    private var head = 0

    private init(threadCount: Int, name: String) {
        precondition(threadCount > 0, "an executor needs a thread")
        self.threadCount = threadCount
        for index in 0..<threadCount {
            let thread = Thread { [self] in serve() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Queues a job; a free thread runs it.
    ///
    /// - Parameter job: The job the runtime hands over.
    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        queue.append(job)
        condition.signal()
        condition.unlock()
    }

    private func serve() {
        while true {
            condition.lock()
            while head == queue.count { condition.wait() }
            let job = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
