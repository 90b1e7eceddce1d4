import Foundation
import InterlinkCore
import InterlinkSystem
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LocalCloud {
    /// A job this instance has claimed: to start it, or to wait for the process an earlier runner started.
    struct Claim: Sendable {
        /// The job.
        var id: JobID
        /// The cores it occupies.
        var cores: Int
        /// Whether an earlier runner's execution is taken over (never started again) rather than started.
        var adopts: Bool
    }

    /// What a task of ``serve()`` reports when it ends.
    enum ServeEvent: Sendable {
        /// The scan interval passed.
        case tick
        /// A job's command ended (its cores are free); with the result whose outputs are still to be stored, or
        /// nil when the job needs nothing more (queued again, failed before it ran, or cancelled).
        case commandEnded(JobID, ExecutionResult?)
        /// A job's outputs are stored and its end recorded; its claim is released.
        case stored(JobID)
    }

    /// How many jobs' outputs may be stored at once, besides the commands running: their encryption and syncs
    /// overlap the next commands, with each job's part buffers bounded.
    ///
    /// - Parameter cores: The cores the jobs share.
    /// - Returns: At least 2, so that with one core a job's storing never waits for the next command's end.
    static func storingLimit(cores: Int) -> Int { max(cores, 2) }

    /// Runs submitted jobs until the task is cancelled: takes over jobs an earlier runner left running (waits for
    /// their process, or reads the exit status it recorded: a started command never runs twice), and starts jobs
    /// in submit order whenever their cores are free (a job takes `coresPerSlot × slots`, capped to
    /// ``totalCores``; no job overtakes an earlier one).
    ///
    /// A job's cores are free as soon as its command ends: the next command starts while this job's outputs are
    /// stored and its end is recorded (at most ``storingLimit(cores:)`` jobs at once; while that many are storing,
    /// no job is started).
    ///
    /// Run it in the caller's task group; cancellation stops every running job's process group and queues those
    /// jobs again, so the next `serve()` over the same root starts them afresh. A runner killed outright leaves its
    /// jobs running, with their claims free: the next `serve()` takes them over.
    ///
    /// - Throws: `CancellationError` when cancelled; `LocalCloudError` when records cannot be written.
    package nonisolated func serve() async throws {
        try await withThrowingTaskGroup(of: ServeEvent.self) { group in
            var used: [JobID: Int] = [:]
            var storing = 0
            let storingLimit = Self.storingLimit(cores: totalCores)
            let interval = scanInterval
            group.addTask {
                try await Task.sleep(for: interval)
                return .tick
            }
            // Jobs left running by a runner that is gone are looked for at the start and at each tick; waiting jobs
            // whenever a core is free.
            var adopting = true
            while true {
                // A cancelled runner claims nothing more: a job it just queued again (its stopped command) would
                // otherwise be claimed and queued again at once, counted as a second restart.
                try Task.checkCancellation()
                let free = storing < storingLimit ? totalCores - used.values.reduce(0, +) : 0
                let claimed = adopting || free > 0 ? try await claimRunnable(freeCores: free) : []
                adopting = false
                // Claims are durable before their commands start (one group commit for all of them).
                if !claimed.isEmpty { try await commit() }
                for claim in claimed {
                    used[claim.id] = claim.cores
                    group.addTask { .commandEnded(claim.id, await self.runCommand(claim)) }
                }
                guard let event = try await group.next() else { return }
                switch event {
                case .tick:
                    adopting = true
                    group.addTask {
                        try await Task.sleep(for: interval)
                        return .tick
                    }
                case .commandEnded(let id, let result):
                    used[id] = nil
                    if let result {
                        storing += 1
                        group.addTask {
                            await self.storeAndFinish(id, result: result)
                            return .stored(id)
                        }
                    }
                case .stored: storing -= 1
                }
            }
        }
    }

    /// Claims the jobs left running by a runner that is gone, and the waiting jobs that fit in `freeCores` (in
    /// submit order), marking the latter as running.
    ///
    /// Only jobs this instance's client created, found, submitted or asked the status of are candidates: another
    /// runner's jobs (another workflow's run sharing the root) are left to it, so that a runner ending never stops
    /// a job it does not own.
    ///
    /// A job is claimed by taking its `claims/<id>.lock` without waiting, so a job run or awaited by another
    /// instance (in this process or another) is skipped; its record is then read afresh.
    func claimRunnable(freeCores: Int) throws(LocalCloudError) -> [Claim] {
        // Only the wanted jobs are looked at, and of the waiting ones only those taken from the submit-ordered
        // heap until the cores are used up (not a scan of every record, nor of every waiting job: at each event
        // of `serve()` either made a long run quadratic). With no free cores only jobs left running are candidates.
        var free = freeCores
        var claimed: [Claim] = []
        let running = runningWanted.filter { claims[$0] == nil }.sorted {
            (jobs[$0]?.submitSequence ?? 0, $0.rawValue) < (jobs[$1]?.submitSequence ?? 0, $1.rawValue)
        }
        for id in running {
            if try claim(id, free: &free, into: &claimed) == .doesNotFit { return claimed }
        }
        // Entries passed over (claimed elsewhere, or the first that does not fit) go back for the next event.
        var passed: [WaitingJobs.Entry] = []
        defer { for entry in passed { waiting.insert(entry) } }
        while free > 0, let entry = waiting.popFirst() {
            guard wanted.contains(entry.id), claims[entry.id] == nil, let record = jobs[entry.id],
                record.waitsForCores, record.submitSequence == entry.sequence
            else { continue }  // stale: the job was claimed, stopped or ended since it was filed
            let outcome: ClaimOutcome
            do {
                outcome = try claim(entry.id, free: &free, into: &claimed)
            } catch {
                passed.append(entry)
                throw error
            }
            switch outcome {
            case .claimed, .notRunnable: continue
            case .heldElsewhere: passed.append(entry)
            case .doesNotFit:
                passed.append(entry)
                return claimed
            }
        }
        return claimed
    }

    /// What ``claim(_:free:into:)`` did with a candidate.
    enum ClaimOutcome {
        /// Claimed: started or taken over.
        case claimed
        /// Another instance holds its claim.
        case heldElsewhere
        /// It waits, but needs more cores than are free: no later job may overtake it.
        case doesNotFit
        /// Its record, read afresh, is neither running nor waiting.
        case notRunnable
    }

    /// Claims one candidate of ``claimRunnable(freeCores:)`` if its record, read afresh under its claim, allows:
    /// a job left running is taken over whatever the free cores; a waiting one is queued if its cores are free.
    private func claim(_ id: JobID, free: inout Int, into claimed: inout [Claim]) throws(LocalCloudError)
        -> ClaimOutcome
    {
        guard let lock = try? FileLock(path: root + "/claims/\(id).lock") else { return .heldElsewhere }
        let record: StoredJob
        do {
            record = try job(id)
        } catch {
            lock.release()
            throw error
        }
        let cores = min(record.body.jobanalyses.first?.hardware.cores ?? 1, totalCores)
        if record.isRunning {
            claims[record.id] = lock
            free -= cores
            claimed.append(Claim(id: record.id, cores: cores, adopts: true))
            return .claimed
        }
        guard record.waitsForCores else {
            lock.release()
            return .notRunnable
        }
        guard cores <= free else {
            lock.release()
            return .doesNotFit
        }
        claims[record.id] = lock
        free -= cores
        // A process record left by a stopped execution must not be taken for this one's.
        JobExecutor.removeProcessRecord(controlFile(of: record.id))
        // Queued with the claim, in the same record: the executor's own `Pending` and `Queued` are not saved.
        try update(record.id) {
            $0.isRunning = true
            $0.pid = nil
            $0.processStartTime = nil
            $0.exitStatus = nil
            $0.exitSignal = nil
            if $0.status != .queued { $0.statuses.append(StatusEntry(status: .queued, date: Date())) }
        }
        claimed.append(Claim(id: record.id, cores: cores, adopts: false))
        return .claimed
    }

    /// Releases this instance's claim on a job.
    func releaseClaim(_ id: JobID) {
        claims.removeValue(forKey: id)?.release()
    }

    /// Starts a claimed job, or waits for the one an earlier runner started, until its command ends.
    ///
    /// When cancelled while the command runs, the command is stopped and the job queued again.
    ///
    /// - Returns: How the command ended, for ``storeAndFinish(_:result:)``; nil when nothing more is to be done
    ///   (the job was queued again or recorded as failed, and its claim released).
    nonisolated func runCommand(_ claim: Claim) async -> ExecutionResult? {
        // Preparing the work directory and starting the command write and sync files: on the blocking executor,
        // never on the cooperative pool's few threads the engine runs on.
        await withTaskExecutorPreference(BlockingExecutor.shared) { await runCommandPreferringBlockingThreads(claim) }
    }

    private nonisolated func runCommandPreferringBlockingThreads(_ claim: Claim) async -> ExecutionResult? {
        let id = claim.id
        let work = homeDirectory(of: id) + "/work"
        do {
            let request = try await executionRequest(for: id, workDirectory: work)
            if claim.adopts {
                let record = try await jobRecord(id)
                let process = record.pid.map { ProcessIdentity(pid: $0, startTime: record.processStartTime ?? 0) }
                let executing = record.statuses.last { $0.status == .executing }?.date
                switch try await executor.adopt(request, process: process, executingSince: executing) {
                case .notStarted:
                    try await requeue(id)
                    await releaseClaim(id)
                    return nil
                case .ended(let ended):
                    // Started by the runner that died before it recorded the process: count that start.
                    if process == nil { try await update(id) { $0.executionCount += 1 } }
                    return ended
                }
            }
            // `Pending` and `Queued` were saved with the claim. `Started` (the work directory is made) and
            // `Validated` (the inputs are placed) come before the spawn and `Executing` right after it: all three
            // are saved with the process, in one record. A runner that dies before it has lost nothing the next
            // one needs: it adopts or queues again from the claim's record and the control directory.
            let validated = DeferredStatuses()
            let result = try await executor.execute(
                request,
                onStatus: { status in
                    switch status {
                    case .pending, .queued, .executing: return
                    case .started, .validated: validated.hold(StatusEntry(status: status, date: Date()))
                    default: try? await self.append(status, to: id)
                    }
                },
                onSpawn: { process in
                    let held = validated.take()
                    try? await self.update(id) {
                        $0.executionCount += 1
                        $0.pid = process.pid
                        $0.processStartTime = process.startTime
                        for entry in held + [StatusEntry(status: .executing, date: Date())]
                        where $0.status != entry.status {
                            $0.statuses.append(entry)
                        }
                    }
                }
            )
            // Ended without a spawn (an input refused): the statuses it reached are saved before its end.
            let unsaved = validated.take()
            if !unsaved.isEmpty {
                try await update(id) { record in
                    for entry in unsaved where record.status != entry.status { record.statuses.append(entry) }
                }
            }
            return result
        } catch {
            if Task.isCancelled || error is CancellationError {
                try? await requeue(id)
            } else {
                try? await finish(id, outputs: [], result: Self.failure(error))
            }
            await releaseClaim(id)
            return nil
        }
    }

    /// Stores the outputs of a job whose command ended, records its end with them, and releases its claim.
    ///
    /// When cancelled, the job stays recorded as running: the next `serve()` reads the status its supervisor
    /// recorded and stores the outputs.
    ///
    /// - Parameters:
    ///   - id: The job.
    ///   - result: How its command ended, with the outputs it left.
    nonisolated func storeAndFinish(_ id: JobID, result: ExecutionResult) async {
        // Encrypting and syncing the outputs: on the blocking executor, as the command's start.
        await withTaskExecutorPreference(BlockingExecutor.shared) {
            let work = homeDirectory(of: id) + "/work"
            do {
                if let beforeStoringOutputs { await beforeStoringOutputs(id) }
                let outputs = try await storeOutputs(result.outputs, workDirectory: work)
                try await finish(id, storing: outputs, result: result)
                // The exit status is in the record now; the outputs are objects.
                JobExecutor.removeProcessRecord(controlFile(of: id))
                if !keepsWork { try? FileManager.default.removeItem(atPath: homeDirectory(of: id)) }
            } catch {
                if !(Task.isCancelled || error is CancellationError) {
                    try? await finish(id, outputs: [], result: Self.failure(error))
                }
            }
            await releaseClaim(id)
        }
    }

    /// The result recorded for a job whose execution failed outside its command (the work directory, the record
    /// log, the outputs' storage).
    static func failure(_ error: any Error) -> ExecutionResult {
        ExecutionResult(exitStatus: nil, signal: nil, timedOut: false, outputs: [], status: .failed(reason: "\(error)"))
    }

    /// Queues a job again whose command did not run to an end (never started, or stopped by a cancelled runner).
    func requeue(_ id: JobID) async throws(LocalCloudError) {
        try update(id) {
            $0.isRunning = false
            $0.restartCount += 1
            if $0.status != .queued { $0.statuses.append(StatusEntry(status: .queued, date: Date())) }
        }
        try await commit()
    }

    /// Registers a job's stored outputs (typeId 5) and records how it ended with them, in one call: returns once
    /// both are durable (one commit).
    func finish(_ id: JobID, storing outputs: [OutputRegistration], result: ExecutionResult)
        async throws(LocalCloudError)
    {
        var files: [FileID] = []
        for output in outputs {
            files.append(try addFile(output.registration, typeId: 5, relativePath: output.relativePath, job: id).id)
        }
        try await finish(id, outputs: files, result: result)
    }

    /// Records how a job ended, with its outputs, and makes the terminal status visible; returns once it is durable
    /// with every record before it (the outputs' file records, the statuses of the run).
    func finish(_ id: JobID, outputs: [FileID], result: ExecutionResult) async throws(LocalCloudError) {
        try update(id) {
            $0.outputs = outputs
            $0.isRunning = false
            $0.exitStatus = result.exitStatus
            $0.exitSignal = result.signal
            // A job stopped while it ran keeps its stopped status.
            if !$0.status.isTerminal { $0.statuses.append(StatusEntry(status: result.status, date: Date())) }
        }
        try await commit()
    }
}

/// Statuses a job reached that are saved with its next record (``LocalCloud/run(_:)``'s `Validated`).
final class DeferredStatuses: Sendable {
    private let entries = Mutex<[StatusEntry]>([])

    /// Keeps a status for the next record.
    func hold(_ entry: StatusEntry) { entries.withLock { $0.append(entry) } }

    /// The statuses held, in order; none afterwards.
    func take() -> [StatusEntry] {
        entries.withLock { entries in
            defer { entries = [] }
            return entries
        }
    }
}
