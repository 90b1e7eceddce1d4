import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `rescale-int stop <workflow|run>`: stops a run's unfinished jobs on their platform and waits until they end.
package struct StopCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop a run's unfinished jobs.",
        discussion: """
            Accepts a workflow file, its directory, a run id or a run directory. A runner still working on the \
            run is interrupted first (SIGINT, then a second one). Each unfinished job is journaled as stopped, \
            asked to stop (Rescale: POST /api/v3/jobs/{id}/stop/; local: its process group gets SIGTERM), and \
            waited for until its status is terminal. A later 'run' redoes stopped jobs only with \
            --restart-stopped.

            \(ExitStatus.helpText([.success, .usage, .invalidInput, .unavailable, .ioError, .inUse, .configuration]))
            """
    )

    /// The run.
    @Argument(help: "A workflow file, its directory, a run id or a run directory (default: the newest unfinished run).")
    package var run: String?

    /// The Rescale profile and host options.
    @OptionGroup package var connection: ConnectionOptions

    /// Time between status reads while waiting.
    @Option(
        help: "Time between status reads while waiting: 1, 5s (default: 1 s; local: 0.05 s).",
        transform: DurationArgument.seconds
    )
    package var pollInterval: Double?

    /// The longest wait for terminal statuses.
    @Option(help: "The longest wait for the jobs to end: 300, 5m (default: 5m).", transform: DurationArgument.seconds)
    package var timeout: Double = 300

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func run() async throws {
        let currentDirectory = FileManager.default.currentDirectoryPath
        try await Console.exit { () throws(CommandFailure) -> ExitStatus in
            let directory = try RunStore.resolve(run, currentDirectory: currentDirectory)
            var snapshot = try RunSnapshot(directory: directory)
            if snapshot.isRunning {
                try await Self.interruptRunner(of: directory)
                snapshot = try RunSnapshot(directory: directory)
            }
            let platform = try await PlatformChoice.make(for: snapshot.plan, connection: connection)
            let interval = pollInterval ?? (snapshot.plan.platform == .rescale ? 1 : 0.05)
            let stopper = RunStopper(
                plan: snapshot.plan,
                runID: snapshot.runID,
                platform: platform.platform,
                pollInterval: .milliseconds(Int64(interval * 1000)),
                timeout: .milliseconds(Int64(timeout * 1000))
            )
            let stopped: [RunStopper.Stopped]
            do {
                stopped = try await stopper.stop()
            } catch {
                await platform.close()
                throw Self.failure(error, run: snapshot.runID)
            }
            await platform.close()
            return Self.report(stopped, run: snapshot.runID)
        }
    }

    /// Prints what was stopped; 75 when some job had not ended when the wait ran out.
    static func report(_ stopped: [RunStopper.Stopped], run: RunID) -> ExitStatus {
        guard !stopped.isEmpty else {
            print("run \(run): no unfinished jobs to stop")
            return .success
        }
        var table = TextTable(header: ["JOB", "JOB ID", "STATUS"])
        for job in stopped {
            table.rows.append([
                job.name, job.jobID.rawValue, job.status.isSubmitted ? job.status.name : "not submitted",
            ])
        }
        print(table.rendered, terminator: "")
        let pending = stopped.filter { $0.status.isSubmitted && !$0.status.isTerminal }.count
        print("run \(run): \(stopped.count) jobs stopped" + (pending > 0 ? ", \(pending) still stopping" : ""))
        print("a later 'rescale-int run' leaves them stopped; --restart-stopped redoes them with new jobs")
        return pending > 0 ? .inUse : .success
    }

    /// The failure a stop error maps to.
    static func failure(_ error: any Error, run: RunID) -> CommandFailure {
        switch error {
        case let error as JournalError: return CommandFailure(error)
        case let error as PlatformError:
            return CommandFailure(
                [.error(error.message, help: "\(error.suggestion ?? "check the platform"); then stop again")],
                status: .unavailable
            )
        default:
            return CommandFailure([.error("stopping run \(run) failed: \(error)")], status: .ioError)
        }
    }

    /// Interrupts the runner holding the run's lock (SIGINT; a second one after 2 s) and waits for it to let go.
    ///
    /// - Throws: ``CommandFailure`` (exit 75) when it still holds the lock after about 12 s.
    static func interruptRunner(of directory: RunDirectory) async throws(CommandFailure) {
        let lock = PathName.join(directory.path, "lock")
        let text = (try? String(contentsOfFile: lock, encoding: .utf8)) ?? ""
        let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        for wait in [40, 200] where pid > 0 {  // polls of 50 ms
            _ = kill(pid, SIGINT)
            for _ in 0..<wait {
                if !FileLock.isHeld(at: lock) {
                    FileHandle.standardError.write(Data("interrupted the runner (pid \(pid))\n".utf8))
                    return
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        throw CommandFailure(
            [
                .error(
                    "a runner (pid \(pid)) still holds run \(directory.runID)",
                    help: "stop it with Ctrl-C, then run 'rescale-int stop' again"
                )
            ],
            status: .inUse
        )
    }
}
