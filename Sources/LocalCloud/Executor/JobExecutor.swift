import Dispatch
import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTransfer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one job on this machine the way a Rescale cluster does, independent of where inputs are stored.
///
/// It prepares the work directory (decrypts each input, checks its size and SHA-512, unpacks archives safely),
/// runs the command with `/bin/bash -c` in its own process group with stdout and stderr in `process_output.log`,
/// stops it at the walltime (SIGTERM, then SIGKILL after a grace period) or on task cancellation (the whole
/// group), and lists the files left behind as outputs.
///
/// Statuses reported through `onStatus`, in order: `Pending`, `Queued`, `Started` (work directory ready),
/// `Validated` (inputs verified and placed), `Executing`, and `Stopping` when the command is stopped or fails.
/// The terminal status is in the result (see ``ExecutionResult``).
package struct JobExecutor: Sendable {
    /// Variables every job gets before its own (`PATH`, `LANG`; `HOME` is the work directory's parent).
    package var baseEnvironment: [String: String]

    /// Creates an executor.
    ///
    /// - Parameter baseEnvironment: The base variables; by default this process's `PATH` and `LANG=C.UTF-8`.
    package init(baseEnvironment: [String: String]? = nil) {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        self.baseEnvironment = baseEnvironment ?? ["PATH": path, "LANG": "C.UTF-8"]
    }

    /// Runs one job.
    ///
    /// - Parameters:
    ///   - request: The job.
    ///   - onStatus: Called with each non-terminal status as it is reached.
    ///   - onSpawn: Called with the command's process (also its process group and session) once it runs, before
    ///     `Executing`. With a control directory the process is the supervisor that records the exit status.
    /// - Returns: How it ended. A refused input ends the job as ``JobStatus/failed(reason:)`` without running
    ///   the command, with the reason also written to `process_output.log`.
    /// - Throws: `CancellationError` after killing the process group when the task is cancelled;
    ///   ``ExecutionError`` when the work directory cannot be prepared or the shell cannot start.
    package func execute(
        _ request: ExecutionRequest,
        onStatus: @Sendable (JobStatus) async -> Void,
        onSpawn: @Sendable (ProcessIdentity) async -> Void = { _ in }
    ) async throws -> ExecutionResult {
        await onStatus(.pending)
        await onStatus(.queued)
        let work = request.workDirectory
        let logPath = work + "/" + Self.logName
        try Self.makeEmptyDirectory(work)
        if let control = request.controlFile { Self.removeProcessRecord(control) }
        await onStatus(.started)
        let placed: [String: FileStamp]
        do {
            try Task.checkCancellation()
            placed = try InputPlacement(request: request).placeAll()
        } catch let error as ExecutionError {
            try Self.appendLog("interlink: \(error)\n", to: logPath)
            let outputs = OutputListing.files(in: work, excluding: [:])
            return ExecutionResult(
                exitStatus: nil,
                signal: nil,
                timedOut: false,
                outputs: outputs,
                status: .failed(reason: error.description)
            )
        }
        await onStatus(.validated)
        try Task.checkCancellation()
        var environment = baseEnvironment
        environment["HOME"] = PathName.dirname(work)
        environment.merge(request.environment) { $1 }
        // No placed inputs is what a missing record says already (the earlier one was just removed): a job
        // without inputs writes no record, and spares its two syncs.
        if let control = request.controlFile, !placed.isEmpty { try Self.writePlacement(placed, for: control) }
        let process: ShellProcess
        do {
            process = try ShellProcess.start(
                command: request.command,
                environment: environment,
                directory: work,
                logPath: logPath,
                controlFile: request.controlFile
            )
        } catch {
            throw ExecutionError(.spawn(error.reason))
        }
        await onSpawn(ProcessIdentity.current(of: process.pid) ?? ProcessIdentity(pid: process.pid, startTime: 0))
        await onStatus(.executing)
        let ending = await withTaskCancellationHandler {
            await Self.supervise(process, walltime: request.walltime, grace: request.killGrace)
        } onCancel: {
            process.signalGroup(SIGTERM)
        }
        if Task.isCancelled { throw CancellationError() }
        var recorded = ending
        if let control = request.controlFile, let termination = ShellProcess.recordedTermination(at: control) {
            recorded.termination = termination
        }
        let outputs = Self.listOutputs(in: work, excluding: placed)
        let result = Self.result(of: recorded, walltime: request.walltime, outputs: outputs)
        if case .failed(let reason) = result.status { await onStatus(.stopping(reason: reason)) }
        return result
    }

    /// Lists the outputs after giving each a name the platform can carry (``OutputNames``), noting every rename in
    /// the job's log.
    ///
    /// - Parameters:
    ///   - work: The work directory.
    ///   - placed: The placed inputs' stamps.
    /// - Returns: The outputs, relative to `work`, sorted.
    package static func listOutputs(in work: String, excluding placed: [String: FileStamp]) -> [String] {
        for rename in OutputNames.normalize(in: work) {
            try? appendLog(
                "interlink: output '\(rename.from)' is stored as '\(rename.to)': its name is not valid UTF-8 "
                    + "(each invalid byte is written as %XX)\n",
                to: work + "/" + logName
            )
        }
        return OutputListing.files(in: work, excluding: placed)
    }

    /// The name of the command's log, an output of every job.
    package static let logName = "process_output.log"

    /// What ``supervise(_:walltime:grace:)`` saw.
    struct Ending {
        var termination: ShellProcess.Termination
        var timedOut: Bool
    }

    /// Waits for the process, stopping its group at the walltime or on cancellation; kills stragglers at the end.
    ///
    /// The exit is reaped by a blocking `waitpid` on a thread of its own, so nothing polls; a child task owns the
    /// deadlines. After a cancel the process still gets its grace period and is still reaped.
    static func supervise(_ process: ShellProcess, walltime: Duration, grace: Duration) async -> Ending {
        let exit = ExitSignal()
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                // Ends at the walltime, or early when cancelled: by the caller, or below once the process exited.
                let timedOut = await Self.sleep(for: walltime)
                guard !exit.hasFired else { return false }
                process.signalGroup(SIGTERM)
                if await !exit.wait(upTo: grace) { process.signalGroup(SIGKILL) }
                return timedOut
            }
            let termination = await process.waitForExit()
            exit.fire()
            process.signalGroup(SIGKILL)  // background jobs die with the command, as on a cluster
            group.cancelAll()
            var timedOut = false
            for await stopped in group { timedOut = timedOut || stopped }
            return Ending(termination: termination, timedOut: timedOut)
        }
    }

    /// Sleeps for `duration` in slices of at most a second; returns false when cancelled first.
    ///
    /// A cancelled `Task.sleep` keeps its timer, and the memory of the task that slept, until its deadline: one
    /// sleep for the whole walltime (hours) held about a kilobyte per finished job to the end of a run.
    ///
    /// - Parameter duration: How long.
    /// - Returns: Whether the whole duration passed.
    package static func sleep(for duration: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: duration)
        while clock.now < deadline {
            guard (try? await Task.sleep(for: min(deadline - clock.now, .seconds(1)))) != nil else { return false }
        }
        return true
    }

    static func result(of ending: Ending, walltime: Duration, outputs: [String]) -> ExecutionResult {
        let status: JobStatus
        var exitStatus: Int32?
        var signal: Int32?
        switch ending.termination {
        case .exited(let code): exitStatus = code
        case .signalled(let number): signal = number
        }
        if ending.timedOut {
            status = .failed(reason: "the walltime of \(walltime) was exceeded")
        } else if let signal {
            status = .failed(reason: "the command was ended by signal \(signal)")
        } else if exitStatus != 0 {
            status = .failed(reason: "the command exited with status \(exitStatus ?? -1)")
        } else {
            status = .completed(.success)
        }
        return ExecutionResult(
            exitStatus: exitStatus,
            signal: signal,
            timedOut: ending.timedOut,
            outputs: outputs,
            status: status
        )
    }
}
