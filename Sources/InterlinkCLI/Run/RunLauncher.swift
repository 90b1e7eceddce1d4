import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkEngine
import LocalCloud
import Logging

/// Executes a plan as a run from the CLI: picks the platform, shows progress, prints the summary, and maps the
/// result to an ``ExitStatus`` (0 done, 1 a job failed, 130 interrupted, 75 locked, 65 bad input or journal, 69
/// platform unavailable, 74 a local I/O failure, 78 Rescale configuration).
package struct RunLauncher: Sendable {
    /// The run and progress flags.
    package var options: RunOptions
    /// The directory relative paths in messages are shown against.
    package var currentDirectory: String
    /// The logger the platform and the engine log to.
    package var logger: Logger
    /// Jobs an Interlink state file recorded (`pur run --state`), taken over before any step runs.
    package var importedJobs: [ImportedJob] = []

    /// Creates a launcher.
    package init(options: RunOptions, currentDirectory: String, logger: Logger = Logger(label: "rescale-int")) {
        self.options = options
        self.currentDirectory = currentDirectory
        self.logger = logger
    }

    /// The command that continues a run, with the run directory shown relative to the current directory.
    package func resumeCommand(for directory: RunDirectory) -> String {
        let shown = PathName.relative(directory.path, to: currentDirectory) ?? directory.path
        return "rescale-int resume \(shown.contains(" ") ? "'\(shown)'" : shown)"
    }

    /// The command that stops a run's jobs, with the run directory shown relative to the current directory.
    package func stopCommand(for directory: RunDirectory) -> String {
        let shown = PathName.relative(directory.path, to: currentDirectory) ?? directory.path
        return "rescale-int stop \(shown.contains(" ") ? "'\(shown)'" : shown)"
    }

    /// The one line an interrupted run prints about its submitted, unfinished jobs; empty when there are none.
    func leftRunningNote(plan: Plan, state: RunState, directory: RunDirectory) -> String {
        let unfinished = state.nodes.values.filter { node in
            guard node.jobID != nil, node.stoppedJob == nil, let status = node.jobStatus else { return false }
            return status.isSubmitted && !status.isTerminal
        }.count
        guard unfinished > 0 else { return "" }
        let stop = stopCommand(for: directory)
        return switch plan.platform {
        case .rescale: "\(unfinished) jobs keep running on Rescale; to stop them: \(stop)\n"
        case .slurm: "\(unfinished) jobs keep running on Slurm; to stop them: \(stop)\n"
        case .local:
            "\(unfinished) local jobs stop with this process and run again when the run continues; to stop "
                + "them for good: \(stop)\n"
        }
    }

    /// The platform for a plan with the flags applied.
    ///
    /// - Throws: ``CommandFailure`` when the platform cannot be set up.
    package func platform(for plan: Plan) async throws(CommandFailure) -> PlatformChoice {
        try await PlatformChoice.make(
            for: plan,
            localCores: options.localCores,
            keepWork: options.keepWork,
            connection: options.connection,
            logger: logger
        )
    }

    /// Continues a run from its frozen plan (`resume`) on the platform the plan names.
    ///
    /// - Parameters:
    ///   - frozen: The run's frozen plan.
    ///   - runID: The run.
    ///   - journal: Its journal folded, as the caller read it (nil: read here), for the progress board and, while
    ///     the file is unchanged, the engine.
    /// - Returns: How the run ended.
    /// - Throws: ``CommandFailure`` when the run cannot start or the journal fails.
    package func resume(plan frozen: Plan, runID: RunID, journal: FoldedJournal? = nil) async throws(CommandFailure)
        -> ExitStatus
    {
        let plan = options.apply(to: frozen)
        let platform = try await platform(for: plan)
        let code: ExitStatus
        do {
            let plan = try await platform.preflight(plan)
            code = try await launch(plan: plan, runID: runID, on: platform, frozenPlan: frozen, journal: journal)
        } catch {
            await platform.close()
            throw error
        }
        await platform.close()
        return code
    }

    /// The journal of a run being continued, folded, for the progress board and the engine; nil for a new run or
    /// a journal that cannot be read (the engine reports that itself).
    static func foldedJournal(of directory: RunDirectory) -> FoldedJournal? {
        guard FileManager.default.fileExists(atPath: directory.journalPath) else { return nil }
        return try? FoldedJournal.read(path: directory.journalPath)
    }

    /// Runs (or continues) `runID` over `plan` (the flags already applied) on `platform`, and reports how it ended.
    ///
    /// The caller closes the platform. A caller continuing a run passes the plan its folder holds (`frozenPlan`:
    /// not written again when unchanged) and the journal it folded (`journal`: not read again for the board, nor
    /// by the engine while the file is unchanged).
    ///
    /// - Returns: How the run ended.
    /// - Throws: ``CommandFailure`` when the run cannot start or the journal fails.
    package func launch(
        plan: Plan,
        runID: RunID,
        on platform: PlatformChoice,
        rechecksOutputs: Bool = false,
        frozenPlan: Plan? = nil,
        journal: FoldedJournal? = nil
    ) async throws(CommandFailure) -> ExitStatus {
        let directory = RunDirectory(baseDirectory: plan.baseDirectory, runID: runID)
        let resume = resumeCommand(for: directory)
        let mode = options.progressMode
        let renderer = ProgressRenderer(mode: mode)
        var session = RunSession(
            plan: plan,
            runID: runID,
            platform: platform.platform,
            services: platform.services,
            renderer: renderer,
            crashPoint: options.crashPoint,
            logger: logger,
            notices: platform.notices,
            foldedJournal: journal ?? Self.foldedJournal(of: directory)
        )
        session.frozenPlan = frozenPlan
        session.restartsStoppedJobs = options.restartStopped
        session.rechecksOutputs = rechecksOutputs
        session.importedJobs = importedJobs
        do {
            try await RunIndex().record(runID, in: plan.baseDirectory)
        } catch {
            logger.debug("run.index.unwritable", metadata: ["index.error": "\(error)"])
        }
        let summary: RunSummary
        do {
            summary = try await session.execute()
        } catch let error as JournalError {
            if case .locked(let pid) = error.reason {
                logger.debug(
                    "run.lock.held",
                    metadata: ["run.id": "\(runID)", "lock.pid": "\(pid.map(String.init) ?? "?")"]
                )
            }
            throw CommandFailure(error)
        } catch let error as PlatformError {
            let next = error.suggestion ?? "check the platform and the network"
            throw CommandFailure(
                [.error(error.message, help: "\(next); then continue with: \(resume)")],
                status: .unavailable
            )
        } catch is CancellationError {
            renderer.errorOutput("interrupted; continue with: \(resume)\n")
            if let snapshot = try? RunSnapshot(directory: directory) {
                renderer.errorOutput(leftRunningNote(plan: plan, state: snapshot.state, directory: directory))
            }
            return .interrupted
        } catch let error as LocalCloudError {
            throw CommandFailure(
                [
                    .error(
                        "the local platform failed: \(ErrorText.describe(error))",
                        help: "fix the cause, then continue with: \(resume)"
                    )
                ],
                status: .ioError
            )
        } catch {
            throw CommandFailure(
                [
                    .error(
                        "the run failed: \(ErrorText.describe(error))",
                        help: "fix the cause, then continue with: \(resume)"
                    )
                ],
                status: .ioError
            )
        }
        let failed = Set(summary.nodes.filter { $0.outcome == .failed }.map(\.name))
        let report =
            RunReport.table(summary) + RunReport.closing(summary, resumeCommand: resume)
            + RunOutputs.whereabouts(
                plan: plan,
                state: summary.state,
                failed: failed,
                currentDirectory: currentDirectory
            )
        switch mode {
        case .json: renderer.errorOutput(report)
        case .quiet, .lines, .live: renderer.standardOutput(report)
        }
        if summary.result == .interrupted {
            renderer.errorOutput(leftRunningNote(plan: plan, state: summary.state, directory: directory))
        }
        return RunReport.exitStatus(of: summary.result)
    }
}
