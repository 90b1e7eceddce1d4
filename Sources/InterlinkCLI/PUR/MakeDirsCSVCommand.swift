import ArgumentParser
import InterlinkCore
import InterlinkSystem

/// `rescale-int pur make-dirs-csv`: one jobs-CSV row per run directory, from a template row.
package struct MakeDirsCSVCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "make-dirs-csv",
        abstract: "Generate a jobs CSV with one row per run directory, from a one-row template.",
        discussion: """
            The pattern's last component is matched against directory names in its directory part (or in \
            --cwd); hidden directories are skipped and directory links are followed. Directories are taken in \
            natural order (Run_2 before Run_10). A directory's number is the LAST run of digits in its name \
            (DOE1_Run_5 is 5); names without digits are numbered by position plus --start-index. Job names are \
            the template's JobName without a trailing _1, then _<number> (and _<part> with --part-dirs); two \
            directories that would share a job name are an error. A part directory that does not exist or has \
            no --run-subpath is skipped with a warning.

            With --iterate-command-patterns, numbers in the template command follow the directory number. \
            Better: write {index} or {index:03} in the command where the number belongs.

            Examples:
              rescale-int pur make-dirs-csv -t template.csv -p 'Run_*' -o jobs.csv --iterate-command-patterns
              rescale-int pur make-dirs-csv -t template.csv -p 'study/Run_*' --validation-pattern '*.avg.fnc' -o jobs.csv
              rescale-int pur make-dirs-csv -t tpl.csv -p 'Run_*' --run-subpath Simcodes/Powerflow \\
                  --part-dirs doe/DOE_A,doe/DOE_B -o jobs.csv
              rescale-int pur make-dirs-csv -t template.csv -p 'Run_*' --command-pattern-test

            \(ExitStatus.helpText([.success, .usage, .invalidInput, .ioError]))
            """
    )

    @Option(name: [.long, .customShort("t")], help: "The template jobs CSV; its first row is copied.")
    var template: String

    @Option(name: [.long, .customShort("p")], help: "The run-directory glob, such as 'study/Run_*'.")
    var pattern: String

    @Option(name: [.long, .customShort("o")], help: "The jobs CSV to write (not needed with --command-pattern-test).")
    var output: String?

    @Flag(help: "Replace the output file if it exists.")
    var overwrite = false

    @Flag(help: "Make numbers in the template command follow each directory's number.")
    var iterateCommandPatterns = false

    @Flag(help: "Show what the command iteration would do, and write nothing.")
    var commandPatternTest = false

    @Option(help: "Scan this directory instead of the pattern's directory part.")
    var cwd: String?

    @Option(help: "Look for run directories under this path of the base (or of each part directory).")
    var runSubpath: String?

    @Option(help: "Keep only directories with a file, anywhere below, whose name matches this glob.")
    var validationPattern: String?

    @Option(help: "The first number for directories whose names have no digits.")
    var startIndex = 1

    @Option(
        parsing: .singleValue,
        help: "Part (project) directories, comma-separated or with the flag repeated."
    )
    var partDirs: [String] = []

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func validate() throws {
        if output == nil, !commandPatternTest {
            throw ValidationError("--output is required unless --command-pattern-test is given.")
        }
    }

    package func run() throws {
        try Console.run { () throws(CommandFailure) in try execute(in: LocalFileSystem()) }
    }

    /// Does the work against a file system; returns stdout text and warnings.
    ///
    /// - Parameter fileSystem: The file system; relative paths resolve against its current directory.
    /// - Returns: The text for stdout and the warnings for stderr.
    /// - Throws: `CommandFailure` for invalid input (65), usage problems (64) or write failures (74).
    package func execute(in fileSystem: LocalFileSystem) throws(CommandFailure) -> (
        output: String, warnings: [Diagnostic]
    ) {
        let (row, templateWarnings) = try TemplateReader.read(template, in: fileSystem)
        var warnings = templateWarnings
        if commandPatternTest {
            return (CommandPattern.preview(command: row.command, jobName: row.jobName), warnings)
        }
        guard let output else { throw .usage("--output is required") }
        let options = RunDirectoryScan.Options(
            pattern: pattern,
            cwd: cwd,
            runSubpath: runSubpath,
            partDirectories: partDirs.flatMap { $0.split(separator: ",").map { String($0).trimmingWhitespace() } }
                .filter { !$0.isEmpty },
            validationPattern: validationPattern,
            startIndex: startIndex
        )
        let runs: [RunDirectoryScan.RunDirectory]
        do {
            let scan = try RunDirectoryScan.scanWithWarnings(options, templateJobName: row.jobName, in: fileSystem)
            runs = scan.runs
            warnings += scan.warnings
        } catch {
            throw CommandFailure(warnings + error.diagnostics, status: .invalidInput)
        }
        let target = PathName.resolve(output, against: fileSystem.currentDirectory)
        let rows = JobsCSVGeneration.rows(template: row, runs: runs, iterateCommands: iterateCommandPatterns).map {
            var row = $0
            row.directory = JobsCSVGeneration.rebase(
                row.directory,
                from: fileSystem.currentDirectory,
                to: PathName.dirname(target)
            )
            return row
        }
        try OutputFile.write(JobsCSV.render(rows), to: target, overwrite: overwrite, shownPath: output)
        return ("Generated \(rows.count) jobs in \(output)\n", warnings)
    }
}
