import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkSystem

/// `rescale-int pur scan-files`: one job per primary file, with the secondary files it needs.
package struct ScanFilesCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "scan-files",
        abstract: "Find one job per primary file and its secondary files; optionally write a jobs CSV.",
        discussion: """
            --primary is a glob relative to --root (it may have directory parts). Each --secondary spec is \
            relative to the primary's directory; every '*' in it stands for the primary's name without its last \
            extension, and '?' or '[...]' still glob when no file has the literal name. End a spec with \
            ':optional' to keep jobs whose file is missing (a warning), or ':required' (the default) to skip them.

            With --template and --output, the jobs CSV lists each job's files in an InputFiles column, so each \
            job archives only its own files; Directory is the folder that holds them. When every primary file \
            is skipped, nothing is written and the command exits 65.

            Examples:
              rescale-int pur scan-files -r files --primary 'inputs/*.inp' --secondary '*.mesh' \\
                  --secondary '../common.cfg:optional'
              rescale-int pur scan-files -r files --primary 'inputs/*.inp' --secondary '*.mesh' -t tpl.csv -o jobs.csv
              rescale-int pur scan-files --primary '*.inp' --json

            \(ExitStatus.helpText([.success, .usage, .invalidInput, .ioError]))
            """
    )

    @Option(help: "The primary file glob, relative to --root.")
    var primary: String

    @Option(parsing: .singleValue, help: "A secondary file spec (repeat the flag for more; commas are literal).")
    var secondary: [String] = []

    @Option(name: [.long, .customShort("r")], help: "The directory the primary glob is relative to.")
    var root = "."

    @Option(name: [.long, .customShort("t")], help: "A template jobs CSV for generating rows (needs --output).")
    var template: String?

    @Option(name: [.long, .customShort("o")], help: "The jobs CSV to write (needs --template).")
    var output: String?

    @Flag(help: "Replace the output file if it exists.")
    var overwrite = false

    @Flag(help: "Print the scan result as JSON and stop.")
    var json = false

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func validate() throws {
        if (template == nil) != (output == nil) {
            throw ValidationError("--template and --output must be given together.")
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
        let result: FileScan.Result
        do {
            result = try FileScan.scan(root: root, primary: primary, secondaries: secondary, in: fileSystem)
        } catch {
            throw CommandFailure(error)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
            let data = (try? encoder.encode(result)) ?? Data()
            return (String(decoding: data, as: UTF8.self) + "\n", [])
        }
        guard let template, let output else {
            let list = (result.jobs ?? []).map { "  \($0.primaryFile): \($0.inputFiles.joined(separator: ", "))\n" }
            return (result.summary + "\nJobs:\n" + list.joined(), [])
        }
        guard result.matchCount > 0 else {
            // A header-only CSV would plan and run nothing without saying why; nothing is written instead.
            let skipped = (result.skippedFiles ?? []).map { Diagnostic.warning("skipped \($0)") }
            throw CommandFailure(
                skipped + [
                    .error(
                        "no jobs to write: none of the \(result.totalCount) primary files has its required files",
                        help: "check the --secondary specs (end one with ':optional' if the file may be missing); "
                            + "'\(output)' was not written"
                    )
                ],
                status: .invalidInput
            )
        }
        let (row, warnings) = try TemplateReader.read(template, in: fileSystem)
        let target = PathName.resolve(output, against: fileSystem.currentDirectory)
        let rows = JobsCSVGeneration.rows(template: row, scan: result).map {
            var row = $0
            row.directory = JobsCSVGeneration.rebase(
                row.directory,
                from: fileSystem.currentDirectory,
                to: PathName.dirname(target)
            )
            return row
        }
        try OutputFile.write(JobsCSV.render(rows), to: target, overwrite: overwrite, shownPath: output)
        return (result.summary + "Generated \(rows.count) jobs in \(output)\n", warnings)
    }
}
