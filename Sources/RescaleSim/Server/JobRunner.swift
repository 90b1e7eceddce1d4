import Foundation

/// Runs submitted jobs through the platform's status sequence, a bounded number at a time, with time scaling.
///
/// Each status lasts ``SimConfiguration/statusStep`` divided by the time scale. A stop request moves the job to
/// `Stopping` and then `Completed` with the reason `Stopped by user`.
struct JobRunner {
    let configuration: SimConfiguration
    let state: SimState
    /// The most jobs progressing at once.
    var limit = 16

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
                group.addTask { await self.progress(id) }
                running += 1
            }
            await group.waitForAll()
        }
    }

    /// Steps one job to a terminal status.
    func progress(_ id: String) async {
        let step = configuration.scaled(configuration.statusStep)
        for status in ["Queued", "Started", "Validated", "Executing"] {
            do { try await Task.sleep(for: step) } catch { return }
            guard await !stopIfRequested(id) else { return }
            await append(id, status, "")
        }
        do { try await Task.sleep(for: step) } catch { return }
        guard await !stopIfRequested(id) else { return }
        await append(id, "Completed", "Completed successfully")
    }

    private func stopIfRequested(_ id: String) async -> Bool {
        guard await state.update(id, { _ in })?.isStopRequested == true else { return false }
        await append(id, "Stopping", "Stop requested by user")
        await append(id, "Completed", "Stopped by user")
        return true
    }

    private func append(_ id: String, _ status: String, _ reason: String) async {
        await state.update(id) { $0.statuses.append(.init(status: status, reason: reason, date: Date())) }
    }
}
