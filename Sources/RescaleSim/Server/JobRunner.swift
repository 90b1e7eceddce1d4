import Foundation

/// Runs submitted jobs for real, a bounded number at a time, each through ``JobExecution``.
///
/// Submissions arrive on a stream; a task group holds at most ``limit`` running jobs, and a new one starts only
/// when one finishes. Cancelling the runner cancels every job, which kills their process groups.
struct JobRunner {
    let configuration: SimConfiguration
    let state: SimState
    let objects: SimObjects
    /// The simulator's base URL.
    let origin: String
    /// Where job directories are made (`<root>/<job id>/…`).
    let root: String
    /// The most jobs running at once.
    var limit = 4

    /// Consumes submitted job ids until the stream ends or the task is cancelled.
    func run(_ submissions: AsyncStream<String>) async {
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for await id in submissions {
                // Bounded fan-out: at the limit, wait for one job to finish before starting the next.
                if running == limit {
                    await group.next()
                    running -= 1
                }
                group.addTask { await progress(id) }
                running += 1
            }
            await group.waitForAll()
        }
    }

    /// Takes one job to a terminal status.
    func progress(_ id: String) async {
        guard let job = await state.update(id, { _ in }),
            let user = configuration.users.first(where: { $0.apiKey == job.ownerKey })
        else { return }
        let execution = JobExecution(
            configuration: configuration,
            state: state,
            objects: objects,
            user: user,
            origin: origin,
            directory: root + "/" + id
        )
        await execution.run(job)
    }
}
