import Foundation

/// Dedicated threads that take executor jobs from one queue, first in first out.
///
/// The threads live as long as the process; the executors that own them are process-wide singletons.
final class JobThreads: @unchecked Sendable {
    // @unchecked Sendable: `queue` and `head` are only read or written while `condition` is locked.
    private let condition = NSCondition()
    private var queue: [UnownedJob] = []
    private var head = 0

    /// Starts `count` threads named `<name>-<index>` that hand each job to `run`.
    func start(count: Int, name: String, run: @escaping @Sendable (UnownedJob) -> Void) {
        precondition(count > 0, "an executor needs a thread")
        for index in 0..<count {
            let thread = Thread { [self] in
                while true { run(next()) }
            }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Queues a job; a free thread runs it.
    func enqueue(_ job: UnownedJob) {
        condition.lock()
        queue.append(job)
        condition.signal()
        condition.unlock()
    }

    private func next() -> UnownedJob {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count { condition.wait() }
        let job = queue[head]
        head += 1
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        }
        return job
    }
}
