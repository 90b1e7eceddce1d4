import Foundation
import InterlinkCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LocalCloud {
    /// Runs submitted jobs until the task is cancelled: first restarts jobs an earlier instance left running
    /// (their process is gone with it, or is killed), then starts jobs in submit order whenever their cores are
    /// free (a job takes `coresPerSlot × slots`, capped to ``totalCores``; no job overtakes an earlier one).
    ///
    /// Run it in the caller's task group; cancellation stops every running job's process group, and those jobs
    /// are restarted by the next `serve()` over the same root.
    ///
    /// - Throws: `CancellationError` when cancelled; `LocalCloudError` when records cannot be written.
    package nonisolated func serve() async throws {
        try await restartOrphans()
        try await withThrowingTaskGroup(of: JobID?.self) { group in
            var used: [JobID: Int] = [:]
            let interval = scanInterval
            group.addTask {
                try await Task.sleep(for: interval)
                return nil
            }
            while true {
                let free = totalCores - used.values.reduce(0, +)
                for (id, cores) in try await claimStartable(freeCores: free) {
                    used[id] = cores
                    group.addTask {
                        await self.run(id)
                        return id
                    }
                }
                guard let finished = try await group.next() else { return }
                if let id = finished {
                    used[id] = nil
                } else {
                    group.addTask {
                        try await Task.sleep(for: interval)
                        return nil
                    }
                }
            }
        }
    }

    /// Marks the jobs that fit in `freeCores` as running, in submit order, and returns them with their cores.
    func claimStartable(freeCores: Int) throws(LocalCloudError) -> [(JobID, Int)] {
        let waiting = jobs.values.filter { !$0.isRunning && ($0.status == .pending || $0.status == .queued) }
            .sorted { ($0.submitSequence ?? 0) < ($1.submitSequence ?? 0) }
        var free = freeCores
        var claimed: [(JobID, Int)] = []
        for record in waiting {
            let cores = min(record.body.jobanalyses.first?.hardware.cores ?? 1, totalCores)
            guard cores <= free else { break }
            free -= cores
            try update(record.id) {
                $0.isRunning = true
                $0.executionCount += 1
                $0.pid = nil
            }
            claimed.append((record.id, cores))
        }
        return claimed
    }

    /// Requeues jobs recorded as running: their executions belonged to an instance that is gone.
    func restartOrphans() throws(LocalCloudError) {
        for record in jobs.values where record.isRunning {
            if let pid = record.pid, pid > 0 { _ = kill(-pid, SIGKILL) }
            try update(record.id) {
                $0.isRunning = false
                $0.pid = nil
                $0.restartCount += 1
            }
            try append(.queued, to: record.id)
        }
    }

    /// Executes one claimed job and records its outputs and terminal status; on cancellation the record stays
    /// running (an orphan for the next ``serve()``).
    nonisolated func run(_ id: JobID) async {
        let work = root + "/work/\(id)/work"
        do {
            let request = try await executionRequest(for: id, workDirectory: work)
            let result = try await executor.execute(
                request,
                onStatus: { status in try? await self.append(status, to: id) },
                onSpawn: { pid in try? await self.update(id) { $0.pid = pid } }
            )
            let outputs = try await storeOutputs(result.outputs, of: id, workDirectory: work)
            try await finish(id, outputs: outputs, status: result.status)
        } catch is CancellationError {
            return
        } catch {
            if Task.isCancelled { return }
            try? await finish(id, outputs: [], status: .failed(reason: "\(error)"))
        }
    }

    func finish(_ id: JobID, outputs: [FileID], status: JobStatus) throws(LocalCloudError) {
        try update(id) {
            $0.outputs = outputs
            $0.isRunning = false
            $0.pid = nil
            // A job stopped while it ran keeps its stopped status.
            if !$0.status.isTerminal { $0.statuses.append(StatusEntry(status: status, date: Date())) }
        }
    }
}
