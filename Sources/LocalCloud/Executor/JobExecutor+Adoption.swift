import Foundation
import InterlinkCore
import InterlinkSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JobExecutor {
    /// What an earlier runner's execution left behind, as ``adopt(_:process:executingSince:pollInterval:)`` finds it.
    package enum Adoption: Hashable, Sendable {
        /// The command never started: the job can be started afresh.
        case notStarted
        /// The command ran (or was still running and has now ended): how it ended.
        case ended(ExecutionResult)
    }

    /// How long a runner waits for the pid of a process whose start an earlier runner may have begun.
    static let startGrace: Duration = .seconds(2)

    /// Takes over a job whose runner died: waits for its process if it still runs (stopping it at the walltime),
    /// then reads the exit status its supervisor recorded; never starts the command.
    ///
    /// - Parameters:
    ///   - request: The job as it was started (its control file is where the process left its record).
    ///   - process: The process the earlier runner recorded, if it got that far.
    ///   - executingSince: When the command started, for the walltime; nil counts from now.
    ///   - pollInterval: How often to look at the process (it is not this process's child, so it cannot be awaited).
    /// - Returns: ``Adoption/notStarted`` when no process was ever started, else how it ended. A process that ended
    ///   without recording a status (killed with its supervisor) fails the job.
    /// - Throws: `CancellationError` after stopping the process group when the task is cancelled.
    package func adopt(
        _ request: ExecutionRequest,
        process: ProcessIdentity?,
        executingSince: Date?,
        pollInterval: Duration = .milliseconds(50)
    ) async throws -> Adoption {
        guard let control = request.controlFile else { return .notStarted }
        guard let identity = try await startedProcess(in: control, recorded: process, pollInterval: pollInterval) else {
            return .notStarted
        }
        let elapsed = executingSince.map { Date().timeIntervalSince($0) } ?? 0
        let deadline = ContinuousClock.now + request.walltime - .milliseconds(Int64(max(elapsed, 0) * 1000))
        var timedOut = false
        var killAt: ContinuousClock.Instant?
        while ShellProcess.recordedTermination(at: control) == nil, identity.isRunning {
            if Task.isCancelled {
                await stop(identity, grace: request.killGrace, pollInterval: pollInterval)
                throw CancellationError()
            }
            let now = ContinuousClock.now
            if !timedOut, now >= deadline {
                timedOut = true
                _ = kill(-identity.pid, SIGTERM)
                killAt = now + request.killGrace
            } else if let due = killAt, now >= due {
                _ = kill(-identity.pid, SIGKILL)
                killAt = nil
            }
            try? await Task.sleep(for: pollInterval)
        }
        _ = kill(-identity.pid, SIGKILL)  // background jobs die with the command, as on a cluster
        let placed = Self.readPlacement(for: control)
        let outputs = Self.listOutputs(in: request.workDirectory, excluding: placed)
        guard let termination = ShellProcess.recordedTermination(at: control) else {
            let reason =
                timedOut
                ? "the walltime of \(request.walltime) was exceeded"
                : "the command's process ended without recording its exit status"
            return .ended(
                ExecutionResult(
                    exitStatus: nil,
                    signal: SIGKILL,
                    timedOut: timedOut,
                    outputs: outputs,
                    status: .failed(reason: reason)
                )
            )
        }
        let ending = Ending(termination: termination, timedOut: timedOut)
        return .ended(Self.result(of: ending, walltime: request.walltime, outputs: outputs))
    }

    /// The process an earlier runner started for this job, if it started one: the recorded identity, else the
    /// supervisor's own pid file (waiting briefly when the start had begun but the pid is not written yet).
    private func startedProcess(in control: String, recorded: ProcessIdentity?, pollInterval: Duration) async throws
        -> ProcessIdentity?
    {
        if let recorded { return recorded }
        var pid = ShellProcess.recordedPID(at: control)
        if pid == nil, FileManager.default.fileExists(atPath: Self.placementPath(for: control)) {
            // The inputs were placed, so the start may have begun: a supervisor writes its pid at once.
            let until = ContinuousClock.now + Self.startGrace
            while pid == nil, ContinuousClock.now < until {
                try await Task.sleep(for: pollInterval)
                pid = ShellProcess.recordedPID(at: control)
            }
        }
        guard let pid else { return nil }
        // Not recorded by the earlier runner: the pid's current process is taken as it (a supervisor that ended
        // has its status, which is read first).
        return ProcessIdentity.current(of: pid) ?? ProcessIdentity(pid: pid, startTime: 0)
    }

    /// Stops an adopted process group: SIGTERM, then SIGKILL when it outlives the grace period.
    private func stop(_ identity: ProcessIdentity, grace: Duration, pollInterval: Duration) async {
        _ = kill(-identity.pid, SIGTERM)
        let until = ContinuousClock.now + grace
        while identity.isRunning, ContinuousClock.now < until {
            // Cancelled already: sleep without the task's cancellation.
            _ = await Blocking.onOwnThread { usleep(20_000) }
        }
        _ = kill(-identity.pid, SIGKILL)
    }

    /// The file beside the control file holding the stamps of the placed inputs: `<control>.placed.json`, or
    /// `placed.json` inside an earlier version's control directory.
    static func placementPath(for control: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: control, isDirectory: &isDirectory), isDirectory.boolValue {
            return control + "/placed.json"
        }
        return control + ".placed.json"
    }

    /// Records the stamps of the placed inputs (written before the command starts).
    static func writePlacement(_ placed: [String: FileStamp], for control: String) throws(ExecutionError) {
        let path = control + ".placed.json"
        do {
            try AtomicFile.write(try AtomicFile.encodeJSON(placed), to: path)
        } catch {
            throw ExecutionError(.workDirectory("cannot write '\(path)': \(error)"))
        }
    }

    /// The stamps recorded by ``writePlacement(_:for:)``; empty when missing.
    static func readPlacement(for control: String) -> [String: FileStamp] {
        (try? AtomicFile.readJSON([String: FileStamp].self, from: placementPath(for: control))) ?? [:]
    }

    /// Removes a job's process record: the control file and its placement record, or an earlier version's control
    /// directory.
    package static func removeProcessRecord(_ control: String) {
        if unlink(control) != 0, errno == EISDIR || errno == EPERM {
            try? FileManager.default.removeItem(atPath: control)
        }
        unlink(control + ".placed.json")
    }
}
