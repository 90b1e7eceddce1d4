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

    /// The platform for a plan with the flags applied.
    ///
    /// - Throws: ``CommandFailure`` when the platform cannot be set up.
    package func platform(for plan: Plan) async throws(CommandFailure) -> PlatformChoice {
        try await PlatformChoice.make(
            for: plan,
            localCores: options.localCores,
            connection: options.connection,
            logger: logger
        )
    }

    /// Continues a run from its frozen plan (`resume`) on the platform the plan names.
    ///
    /// - Returns: How the run ended.
    /// - Throws: ``CommandFailure`` when the run cannot start or the journal fails.
    package func resume(plan: Plan, runID: RunID) async throws(CommandFailure) -> ExitStatus {
        let plan = options.apply(to: plan)
        let platform = try await platform(for: plan)
        let code: ExitStatus
        do { code = try await launch(plan: plan, runID: runID, on: platform) } catch {
            await platform.close()
            throw error
        }
        await platform.close()
        return code
    }

    /// The journal of a run being continued, folded, for the progress board; nil for a new run or a journal
    /// that cannot be read (the engine reports that itself).
    static func journalState(of directory: RunDirectory) -> RunState? {
        guard let data = FileManager.default.contents(atPath: directory.journalPath), !data.isEmpty,
            let records = try? JournalReader.parse(data, path: directory.journalPath).records
        else { return nil }
        return RunState(replaying: records)
    }

    /// Runs (or continues) `runID` over `plan` (the flags already applied) on `platform`, and reports how it ended.
    ///
    /// The caller closes the platform.
    ///
    /// - Returns: How the run ended.
    /// - Throws: ``CommandFailure`` when the run cannot start or the journal fails.
    package func launch(plan: Plan, runID: RunID, on platform: PlatformChoice) async throws(CommandFailure)
        -> ExitStatus
    {
        let directory = RunDirectory(baseDirectory: plan.baseDirectory, runID: runID)
        let resume = resumeCommand(for: directory)
        let mode = options.progressMode
        let renderer = ProgressRenderer(mode: mode)
        let session = RunSession(
            plan: plan,
            runID: runID,
            platform: platform.platform,
            services: platform.services,
            renderer: renderer,
            crashPoint: options.crashPoint,
            logger: logger,
            notices: platform.notices,
            priorState: Self.journalState(of: directory)
        )
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
            return .interrupted
        } catch let error as LocalCloudError {
            throw CommandFailure(
                [.error("the local platform failed: \(error)", help: "fix the cause, then continue with: \(resume)")],
                status: .ioError
            )
        } catch {
            throw CommandFailure(
                [.error("the run failed: \(error)", help: "fix the cause, then continue with: \(resume)")],
                status: .ioError
            )
        }
        let report = RunReport.table(summary) + RunReport.closing(summary, resumeCommand: resume)
        switch mode {
        case .json: renderer.errorOutput(report)
        case .quiet, .lines, .live: renderer.standardOutput(report)
        }
        return RunReport.exitStatus(of: summary.result)
    }
}
