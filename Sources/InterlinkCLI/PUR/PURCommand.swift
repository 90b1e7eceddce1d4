import ArgumentParser

/// `rescale-int pur`: Interlink-compatible PUR (Parallel Upload and Run) commands.
///
/// Each subcommand is a thin `ParsableCommand` that validates flags, reads files, calls InterlinkCore and maps
/// failures to exit codes through ``CommandFailure``. To add one (`plan`, `run`, …) append its type to
/// `subcommands` below.
package struct PURCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "pur",
        abstract: "Interlink-compatible PUR commands: generate and check jobs CSVs.",
        discussion: """
            The files these commands read and write are the ones Rescale Interlink uses (jobs CSV, config.csv), \
            so existing PUR studies keep working.

            Examples:
              rescale-int pur make-dirs-csv -t template.csv -p 'study/Run_*' -o jobs.csv --iterate-command-patterns
              rescale-int pur scan-files -r files --primary 'inputs/*.inp' --secondary '*.mesh' -t tpl.csv -o jobs.csv
              rescale-int pur plan jobs.csv
              rescale-int pur make-script -j jobs.csv --row 1 -o job.sh
            """,
        subcommands: [
            MakeDirsCSVCommand.self, ScanFilesCommand.self, PURPlanCommand.self, PURRunCommand.self,
            PURResumeCommand.self, SubmitExistingCommand.self, ExportStateCommand.self,
            MakeScriptCommand.self,
        ]
    )

    /// Creates the command group (ArgumentParser fills it in).
    package init() {}
}
