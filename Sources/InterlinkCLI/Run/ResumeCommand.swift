import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkEngine

/// `rescale-int resume [run]`: continues a run from its journal and frozen plan.
package struct ResumeCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue a run from its journal.",
        discussion: """
            Without an argument, continues the newest unfinished run under ./.interlink/runs. Steps the journal \
            shows in flight are first reconciled with the platform, so nothing is created or uploaded twice. Jobs \
            that ended unsuccessfully get a new job; failed steps are attempted again.

            \(ExitStatus.helpText(ExitStatus.allCases))
            """
    )

    /// The run: a workflow file, its directory, a run id or a run directory, from any working directory.
    @Argument(help: "A workflow file, its directory, a run id or a run directory (default: the newest unfinished).")
    package var run: String?

    /// Worker and progress flags.
    @OptionGroup package var options: RunOptions

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func run() async throws {
        let currentDirectory = FileManager.default.currentDirectoryPath
        try await Console.exit { () throws(CommandFailure) -> ExitStatus in
            let directory = try RunStore.resolve(run, currentDirectory: currentDirectory)
            let snapshot = try RunSnapshot(directory: directory)
            let launcher = RunLauncher(options: options, currentDirectory: currentDirectory)
            return try await launcher.resume(plan: snapshot.plan, runID: snapshot.runID, journal: snapshot.journal)
        }
    }
}
