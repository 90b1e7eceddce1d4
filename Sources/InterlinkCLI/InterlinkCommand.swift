import ArgumentParser
import InterlinkCore

/// The `rescale-int` command: plan and run batch workflows on Rescale or on this machine.
package struct InterlinkCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "rescale-int",
        abstract: "Plan and run batch simulation workflows on Rescale or on this machine.",
        discussion: """
            Examples:
              rescale-int validate examples/dag-shared/workflow.yaml
              rescale-int plan examples/pur-basic/jobs.csv
              rescale-int pur plan examples/pur-basic/jobs.csv
              rescale-int upload model.inp --folder-id AbC123
              rescale-int folders upload-dir --folder-id AbC123 --dir cases -r

            \(LoggingOptions.helpText)

            \(GlobalOptions.helpText)

            \(ExitStatus.helpText(ExitStatus.allCases))
            """,
        version: "0.1.0",
        subcommands: [
            ValidateCommand.self, PlanCommand.self, RunCommand.self, ResumeCommand.self, StatusCommand.self,
            RunsCommand.self, StopCommand.self, OutputsCommand.self, GCCommand.self, PURCommand.self,
            ConfigCommand.self, FilesCommand.self, FoldersCommand.self, UploadShortcutCommand.self,
            DownloadShortcutCommand.self, JobsCommand.self, LsCommand.self, HardwareCommand.self, SoftwareCommand.self,
            AutomationsCommand.self, DaemonCommand.self, UICommand.self, CompletionCommand.self,
        ]
    )

    package init() {}

    /// Parses a command line, runs the command, and ends the process: every error a command throws is rendered
    /// here or by ``ErrorReport``, once, and ends the process with its ``ExitStatus``.
    ///
    /// - Parameter arguments: The command line without the program name (and without the logging flags).
    package static func execute(_ arguments: [String]) async -> Never {
        // `runs` takes a positional directory, which ArgumentParser would match before a subcommand's name.
        let removing = arguments.starts(with: ["runs", "rm"])
        do {
            let parsed: any ParsableCommand
            do {
                parsed =
                    removing
                    ? try RunsRemoveCommand.parseAsRoot(Array(arguments.dropFirst(2)))
                    : try parseAsRoot(arguments)
            } catch {
                if let failure = CommandSuggestion.failure(for: arguments) { throw failure }
                throw error
            }
            var command = parsed
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(withError: nil)
        } catch let error as any UserFacingError {
            exit(withError: ErrorReport.report(error))
        } catch {
            if removing { RunsRemoveCommand.exit(withError: error) }
            exit(withError: error)
        }
    }
}
