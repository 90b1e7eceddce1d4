import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkEngine

/// Executes a plan as a run from the CLI: picks the platform, shows progress, prints the summary, and maps the
/// result to an exit code (0 done, 1 a job failed, 130 interrupted, 75 locked, 65 bad input or journal).
package struct RunLauncher: Sendable {
    /// The run and progress flags.
    package var options: RunOptions
    /// The directory relative paths in messages are shown against.
    package var currentDirectory: String

    /// Creates a launcher.
    package init(options: RunOptions, currentDirectory: String) {
        self.options = options
        self.currentDirectory = currentDirectory
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
        try await PlatformChoice.make(for: plan, localCores: options.localCores, connection: options.connection)
    }

    /// Continues a run from its frozen plan (`resume`) on the platform the plan names.
    ///
    /// - Returns: The exit code.
    /// - Throws: ``CommandFailure`` when the run cannot start or the journal fails.
    package func resume(plan: Plan, runID: RunID) async throws(CommandFailure) -> Int32 {
        let plan = options.apply(to: plan)
        let platform = try await platform(for: plan)
        let code: Int32
        do { code = try await launch(plan: plan, runID: runID, on: platform) } catch {
            await platform.close()
            throw error
        }
        await platform.close()
        return code
    }

    /// Runs (or continues) `runID` over `plan` (the flags already applied) on `platform`, and reports how it ended.
    ///
    /// The caller closes the platform.
    ///
    /// - Returns: The exit code.
    /// - Throws: ``CommandFailure`` when the run cannot start or the journal fails.
    package func launch(plan: Plan, runID: RunID, on platform: PlatformChoice) async throws(CommandFailure) -> Int32 {
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
            crashPoint: options.crashPoint
        )
        let summary: RunSummary
        do {
            summary = try await session.execute()
        } catch let error as JournalError {
            throw CommandFailure.journal(error)
        } catch let error as PlatformError {
            throw CommandFailure(
                [.error("platform: \(error)", help: "check the platform, then: \(resume)")],
                exitCode: 69
            )
        } catch is CancellationError {
            renderer.errorOutput("interrupted; continue with: \(resume)\n")
            return 130
        } catch {
            throw CommandFailure([.error("\(error)", help: "then continue with: \(resume)")], exitCode: 74)
        }
        let report = RunReport.table(summary) + RunReport.closing(summary, resumeCommand: resume)
        switch mode {
        case .json: renderer.errorOutput(report)
        case .quiet, .lines, .live: renderer.standardOutput(report)
        }
        return RunReport.exitCode(of: summary.result)
    }
}

extension Console {
    /// Runs an async command body: reports a ``CommandFailure`` and exits with the body's code (0 returns).
    ///
    /// - Throws: `ExitCode` for any non-zero code.
    package static func exit(_ body: () async throws(CommandFailure) -> Int32) async throws {
        let code: Int32
        do { code = try await body() } catch {
            report(error.diagnostics)
            throw ExitCode(error.exitCode)
        }
        if code != 0 { throw ExitCode(code) }
    }
}
