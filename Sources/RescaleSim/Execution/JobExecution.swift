import Foundation
import InterlinkCore
import LocalCloud
import Synchronization

/// One submitted job, run for real: queue delays (time-scaled), inputs staged out of the simulator's storage,
/// LocalCloud's ``JobExecutor`` for the command and the status sequence, outputs published into storage, then the
/// terminal status.
///
/// Statuses, oldest first: `Pending` (at submit), `Queued`, `Started`, `Validated`, `Executing`, then
/// `Completed` / `Completed successfully`. A failed run (non-zero exit, signal, walltime, refused input) adds
/// `Stopping` / `A run failed` before `Completed` / `A run failed`, with the detail appended to
/// `process_output.log`. A stop request cancels the executor (killing the process group), publishes the outputs
/// that exist (a graceful stop still uploads them) and ends `Stopping` → `Completed` / `Stopped by user`.
/// Outputs are always stored before the terminal status appears.
struct JobExecution {
    let configuration: SimConfiguration
    let state: SimState
    let objects: SimObjects
    let user: SimConfiguration.User
    /// The simulator's base URL, which S3 file records show as the storage endpoint.
    let origin: String
    /// The job's scratch directory: `objects/` (staged encrypted inputs) and `work/`.
    let directory: String

    /// The reason on both entries of a failed run.
    static let runFailed = "A run failed"
    /// How long a job may run when its create body has no walltime.
    static let defaultWalltime: Duration = .seconds(24 * 3600)

    private enum Outcome: Sendable {
        case finished(ExecutionResult)
        case failed(String)
        case stopped
    }

    func run(_ job: SimJob) async {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let work = directory + "/work"
        guard await queueDelay(job.id) else { return }
        let inputs: [ExecutionInput]
        do {
            inputs = try await InputStaging(state: state, objects: objects, user: user)
                .stage(job, into: directory + "/objects")
        } catch {
            await append(job.id, "Queued", "")
            await append(job.id, "Started", "")
            await fail(job.id, work: work, detail: error.description, outputs: nil)
            return
        }
        let request = ExecutionRequest(
            jobID: JobID(job.id),
            command: Self.command(of: job),
            environment: Self.environment(of: job),
            walltime: Self.walltime(of: job),
            killGrace: .seconds(2),
            workDirectory: work,
            inputs: inputs
        )
        let placed = PlacedInputs()
        switch await execute(request, placed: placed) {
        case .finished(let result) where result.succeeded:
            await publish(job.id, result.outputs, work: work)
            await append(job.id, "Completed", "Completed successfully")
        case .finished(let result):
            await fail(
                job.id,
                work: work,
                detail: result.status.failureReason ?? "the run failed",
                outputs: result.outputs
            )
        case .failed(let detail):
            await fail(job.id, work: work, detail: detail, outputs: nil)
        case .stopped:
            await append(job.id, "Stopping", "Stop requested by user")
            let outputs = JobExecutor.listOutputs(in: work, excluding: placed.stamps)
            await publish(job.id, outputs, work: work)
            await append(job.id, "Completed", "Stopped by user")
        }
    }

    /// Runs the executor next to a watcher that cancels it when a stop is requested.
    private func execute(_ request: ExecutionRequest, placed: PlacedInputs) async -> Outcome {
        let id = request.jobID.rawValue
        return await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                do {
                    let result = try await JobExecutor().execute(request) { status in
                        await record(status, jobID: id, work: request.workDirectory, placed: placed)
                    }
                    return .finished(result)
                } catch is CancellationError {
                    return .stopped
                } catch {
                    return .failed(String(describing: error))
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    if await state.update(id, { _ in })?.isStopRequested == true { return nil }
                    try? await Task.sleep(for: .milliseconds(25))
                }
                return nil
            }
            var outcome = Outcome.stopped
            while let next = await group.next() {
                group.cancelAll()  // whichever ends first ends the other: a stop cancels the run, a run the watcher
                if let next { outcome = next }
            }
            return outcome
        }
    }

    /// Maps an executor status to the platform's entry; `Pending` is already there from the submit.
    private func record(_ status: JobStatus, jobID: String, work: String, placed: PlacedInputs) async {
        switch status {
        case .queued:
            await append(jobID, "Queued", "")
            // The queue delay; a stop cuts it short.
            try? await Task.sleep(for: configuration.scaled(configuration.statusStep))
        case .started: await append(jobID, "Started", "")
        case .validated:
            placed.stamps = OutputListing.stamps(in: work)
            await append(jobID, "Validated", "")
        case .executing: await append(jobID, "Executing", "")
        case .stopping: await append(jobID, "Stopping", Self.runFailed)
        default: break
        }
    }

    /// Waits in `Pending` for one scaled status step; false when the job was stopped meanwhile (it is then done).
    private func queueDelay(_ id: String) async -> Bool {
        do { try await Task.sleep(for: configuration.scaled(configuration.statusStep)) } catch { return false }
        guard await state.update(id, { _ in })?.isStopRequested == true else { return true }
        await append(id, "Stopping", "Stop requested by user")
        await append(id, "Completed", "Stopped by user")
        return false
    }

    /// Ends a failed run: the detail goes into `process_output.log`, the outputs are stored, then the statuses.
    private func fail(_ id: String, work: String, detail: String, outputs: [String]?) async {
        let log = work + "/" + JobExecutor.logName
        try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: log) {
            _ = FileManager.default.createFile(atPath: log, contents: nil)
        }
        if let handle = FileHandle(forWritingAtPath: log) {
            _ = try? handle.seekToEnd()
            try? handle.write(contentsOf: Data("rescale-sim: \(detail)\n".utf8))
            try? handle.close()
        }
        var files = outputs ?? [JobExecutor.logName]
        if !files.contains(JobExecutor.logName) { files = (files + [JobExecutor.logName]).sorted() }
        await publish(id, files, work: work)
        if await state.update(id, { _ in })?.current?.status != "Stopping" {
            await append(id, "Stopping", Self.runFailed)
        }
        await append(id, "Completed", Self.runFailed)
    }

    private func publish(_ id: String, _ outputs: [String], work: String) async {
        let publisher = OutputPublisher(
            configuration: configuration,
            state: state,
            objects: objects,
            user: user,
            storage: configuration.storageRecord(for: user, origin: origin)
        )
        do {
            try await publisher.publish(outputs, from: work, jobID: id)
        } catch {
            await append(id, "Stopping", "Could not upload the outputs: \(error)")
        }
    }

    private func append(_ id: String, _ status: String, _ reason: String) async {
        await state.update(id) { $0.statuses.append(.init(status: status, reason: reason, date: Date())) }
    }
}

extension JobExecution {
    /// The commands of every analysis, one per line (multi-analysis jobs give the others a no-op such as `:`).
    static func command(of job: SimJob) -> String {
        (job.body["jobanalyses"]?.array ?? []).compactMap { $0["command"]?.string }.joined(separator: "\n")
    }

    /// The analyses' `envVars` (later analyses win) plus `RESCALE_JOB_ID`.
    static func environment(of job: SimJob) -> [String: String] {
        var environment: [String: String] = [:]
        for analysis in job.body["jobanalyses"]?.array ?? [] {
            guard case .object(let variables) = analysis["envVars"] ?? .null else { continue }
            for (name, value) in variables { environment[name] = value.string ?? "" }
        }
        environment["RESCALE_JOB_ID"] = job.id
        return environment
    }

    /// The largest `hardware.walltime` (integer hours), or ``defaultWalltime``.
    ///
    /// Walltime is real time: the time scale shortens queue delays, not the command's allowance.
    static func walltime(of job: SimJob) -> Duration {
        let hours = (job.body["jobanalyses"]?.array ?? []).compactMap { $0["hardware"]?["walltime"]?.int }.max()
        return hours.map { .seconds($0 * 3600) } ?? defaultWalltime
    }
}

/// The stamps of the work directory right after the inputs were placed, so a stopped job's outputs exclude
/// unchanged inputs as a finished job's do.
final class PlacedInputs: Sendable {
    private let storage = Mutex<[String: FileStamp]>([:])

    /// The stamps, by path relative to the work directory.
    var stamps: [String: FileStamp] {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
