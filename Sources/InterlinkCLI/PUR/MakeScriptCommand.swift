import ArgumentParser
import InterlinkCore
import InterlinkSystem

/// `rescale-int pur make-script -j jobs.csv --row N -o job.sh`: one row of a jobs CSV as a `#RESCALE_` job script.
package struct MakeScriptCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "make-script",
        abstract: "Write one row of a jobs CSV as a #RESCALE_ job script that reads back to the same job.",
        discussion: """
            The script carries the row's name, analysis, core type, cores per slot, slots, walltime (whole hours, \
            rounded up as the platform rounds them), tags, project and LicenseSettings (as #RESCALE_ENV_ lines), \
            with the command as #RESCALE_COMMAND (one line) or as the script body. Directory, TarSubpath, \
            ExtraInputFileIDs, OrgCode, OnDemandLicenseSeller, NoDecompress, IsLowPriority and Submit have no \
            directive and are left out: the script's own folder becomes the job's input. The file is written \
            to a temporary name and renamed; an existing file is kept unless --overwrite is given.

            Examples:
              rescale-int pur make-script -j jobs.csv --row 2 -o run_2.sh
              rescale-int validate run_2.sh

            \(ExitStatus.helpText([.success, .usage, .invalidInput, .ioError]))
            """
    )

    @Option(name: [.customLong("jobs-csv"), .customShort("j")], help: "The jobs CSV.")
    var jobsCSV: String

    @Option(help: "The data row to write, 1 for the first row under the header.")
    var row: Int

    @Option(name: [.long, .customShort("o")], help: "The script to write.")
    var output: String

    @Flag(name: [.long, .customLong("force")], help: "Replace the output file if it exists.")
    var overwrite = false

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func validate() throws {
        guard row >= 1 else { throw ValidationError("--row must be at least 1 (the first row under the header).") }
    }

    package func run() throws {
        try Console.run { () throws(CommandFailure) in try execute(in: LocalFileSystem()) }
    }

    /// Does the work against a file system; returns stdout text and warnings.
    ///
    /// - Parameter fileSystem: The file system; relative paths resolve against its current directory.
    /// - Returns: `Wrote <job> to <path>` and the CSV's warnings.
    /// - Throws: `CommandFailure`: 65 for an invalid CSV or a row it does not have, 64 for an existing output
    ///   without `--overwrite`, 74 when the file cannot be written.
    package func execute(in fileSystem: some FileSystem) throws(CommandFailure) -> (
        output: String, warnings: [Diagnostic]
    ) {
        let loaded: LoadedWorkflow
        do {
            loaded = try WorkflowLoader.load(path: jobsCSV, fileSystem: fileSystem)
        } catch {
            throw CommandFailure(error)
        }
        guard loaded.kind == .jobsCSV else {
            throw .usage("'\(jobsCSV)' is not a jobs CSV", help: "give an Interlink jobs CSV (.csv)")
        }
        let jobs = loaded.workflow.jobs
        guard row <= jobs.count else {
            throw CommandFailure(
                [
                    .error(
                        "'\(jobsCSV)' has \(jobs.count) job row\(jobs.count == 1 ? "" : "s"), not \(row)",
                        help: "give --row between 1 and \(jobs.count)",
                        at: SourceLocation(file: jobsCSV)
                    )
                ],
                status: .invalidInput
            )
        }
        let job = jobs[row - 1]
        let target = PathName.resolve(output, against: fileSystem.currentDirectory)
        try OutputFile.write(JobScriptWriter.script(for: job), to: target, overwrite: overwrite, shownPath: output)
        return ("Wrote job '\(job.name)' to \(output)\n", loaded.warnings)
    }
}
