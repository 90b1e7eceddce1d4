import ArgumentParser

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
            """,
        version: "0.1.0",
        subcommands: [
            ValidateCommand.self, PlanCommand.self, RunCommand.self, ResumeCommand.self, StatusCommand.self,
            RunsCommand.self, PURCommand.self, ConfigCommand.self,
        ]
    )

    package init() {}
}
