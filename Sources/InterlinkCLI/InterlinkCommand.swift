import ArgumentParser

/// The `rescale-int` command: plan and run batch workflows on Rescale or on this machine.
package struct InterlinkCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "rescale-int",
        abstract: "Plan and run batch simulation workflows on Rescale or on this machine.",
        version: "0.1.0",
        subcommands: [
            RunCommand.self, ResumeCommand.self, StatusCommand.self, RunsCommand.self, PURCommand.self,
        ]
    )

    package init() {}
}
