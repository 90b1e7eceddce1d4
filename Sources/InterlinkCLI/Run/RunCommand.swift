import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem

/// `rescale-int run <spec>`: plans a workflow and executes it, on this machine unless it says `platform: rescale`.
package struct RunCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Plan and run a workflow, continuing its unfinished run if there is one.",
        discussion: """
            Accepts a workflow (.yaml, .json), an Interlink jobs CSV, or an SGE / #RESCALE_ job script. Run state \
            lives in .interlink/runs/<run-id>/ beside the file; running the same file again continues that run, \
            redoing only jobs whose specification or inputs changed. When a run stops (130, or 1 after a failed \
            job), the summary prints the command that continues it.

            \(ExitStatus.helpText(ExitStatus.allCases))
            """
    )

    /// The workflow file.
    @Argument(help: "A workflow .yaml/.json, a jobs .csv, or a job script.")
    package var spec: String

    /// Worker and progress flags.
    @OptionGroup package var options: RunOptions

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func run() async throws {
        let currentDirectory = FileManager.default.currentDirectoryPath
        try await Console.exit { () throws(CommandFailure) -> ExitStatus in
            // Planning reads and hashes files on threads of its own and waits for them: off the cooperative pool.
            let (spec, budget) = (spec, options.expansion.budget)
            let plan = try await Blocking.run { () throws(CommandFailure) -> Plan in
                try Self.plan(spec, currentDirectory: currentDirectory, budget: budget)
            }
            return try await RunLauncher(options: options, currentDirectory: currentDirectory).start(plan: plan)
        }
    }

    /// Loads and plans a file, reporting warnings; exit 65 on errors.
    static func plan(_ path: String, currentDirectory: String, budget: DocumentBudget) throws(CommandFailure) -> Plan {
        let (plan, warnings) = try SpecPlanning.plan(
            path,
            in: LocalFileSystem(currentDirectory: currentDirectory),
            statCache: StatCacheFile(createsDirectory: false),
            budget: budget
        )
        Console.report(warnings)
        return plan
    }
}
