import ArgumentParser
import InterlinkCore
import InterlinkSystem
import RescalePlatform

/// `rescale-int pur plan <jobs.csv>`: check a jobs CSV row by row, as Interlink's `pur plan` does, offline.
package struct PURPlanCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Check every row of a jobs CSV and print '[i/N] ✓ name' or '[i/N] ✗ name' with its problems.",
        discussion: """
            Interlink-compatible output: one line per job, each problem under it as '        - <problem>', then \
            '✓ Pipeline plan is valid', or 'validation failed: one or more jobs have errors' and exit code 65. \
            Unlike Interlink it needs no API key, and it also checks that run directories exist and hold files, \
            that walltimes are finite and at most 336 h, and that job names are unique. Every problem is also \
            printed on stderr as 'file:line:col: error: ...' with a help line. --validate-coretype also checks \
            every row against the platform's catalogue (analysis, version, core type, cores per slot): this needs \
            the Rescale API.

            Examples:
              rescale-int pur plan examples/pur-basic/jobs.csv
              rescale-int pur plan -j jobs.csv
              rescale-int pur plan -j jobs.csv --validate-coretype

            \(ExitStatus.helpText([.success, .usage, .invalidInput, .unavailable, .configuration]))
            """
    )

    @Argument(help: "The jobs CSV to check.")
    var csv: String?

    @Option(name: [.customLong("jobs-csv"), .customShort("j")], help: "The jobs CSV to check (Interlink's flag).")
    var jobsCSV: String?

    /// Whether rows are checked against the platform's catalogue.
    @Flag(
        name: .customLong("validate-coretype"),
        help: "Also check each row's analysis, version, core type and cores per slot against the platform."
    )
    var validateCoreType = false

    /// The Rescale profile and host options (for --validate-coretype).
    @OptionGroup var connection: ConnectionOptions

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func validate() throws {
        if (csv == nil) == (jobsCSV == nil) {
            throw ValidationError("Give the jobs CSV once: as an argument or with --jobs-csv.")
        }
    }

    package func run() async throws {
        var catalog: AnalysisCatalog?
        if validateCoreType {
            do {
                catalog = try await RescaleConnection.with(connection) { try await $0.platform.catalog() }
            } catch let error as CommandFailure {
                throw ErrorReport.report(error)
            }
        }
        let result = execute(in: LocalFileSystem(), catalog: catalog)
        print(result.output, terminator: "")
        Console.report(result.diagnostics)
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }

    /// What the command prints and how it exits.
    package struct Result: Hashable, Sendable {
        /// The text for stdout.
        package var output: String
        /// Warnings and errors for stderr.
        package var diagnostics: [Diagnostic]
        /// 0, 64 (not a jobs CSV) or 65 (invalid).
        package var exitCode: Int32
    }

    /// Does the work against a file system.
    ///
    /// - Parameters:
    ///   - fileSystem: The file system; relative paths resolve against its current directory.
    ///   - catalog: The platform's catalogue, to check every row against (`--validate-coretype`); nil for none.
    /// - Returns: The per-row report, the diagnostics and the exit code.
    package func execute(in fileSystem: some FileSystem, catalog: AnalysisCatalog? = nil) -> Result {
        let path = csv ?? jobsCSV ?? ""
        let failed = "validation failed: one or more jobs have errors"
        let loaded: LoadedWorkflow
        do {
            loaded = try WorkflowLoader.load(path: path, fileSystem: fileSystem)
        } catch {
            // A CSV with wrong values still gets its per-row report: every row, each with all of its problems.
            let rows = path.lowercased().hasSuffix(".csv") ? Self.rows(of: path, in: fileSystem) : []
            return Result(
                output: rows.isEmpty ? "" : Self.report(rows, problems: error.diagnostics),
                diagnostics: error.diagnostics + [.error(failed)],
                exitCode: ExitStatus.invalidInput.rawValue
            )
        }
        guard loaded.kind == .jobsCSV else {
            let help = "use 'rescale-int plan \(path)' for workflows and job scripts"
            return Result(
                output: "",
                diagnostics: [.error("'\(path)' is not a jobs CSV", help: help)],
                exitCode: ExitStatus.usage.rawValue
            )
        }
        var problems: [Diagnostic]
        do {
            problems = try Planner(fileSystem: fileSystem).plan(loaded.workflow).warnings
        } catch {
            problems = error.diagnostics
        }
        if let catalog { problems += Self.catalogProblems(of: loaded.workflow.jobs, in: catalog) }
        let output = Self.report(loaded.workflow.jobs.map { ($0.name, $0.origin) }, problems: problems)
        let diagnostics = loaded.warnings + problems
        guard diagnostics.contains(where: { $0.severity == .error }) else {
            return Result(
                output: output + "✓ Pipeline plan is valid\n",
                diagnostics: diagnostics,
                exitCode: ExitStatus.success.rawValue
            )
        }
        return Result(
            output: output,
            diagnostics: diagnostics + [.error(failed)],
            exitCode: ExitStatus.invalidInput.rawValue
        )
    }

    /// Interlink's per-row lines: `[i/N] ✓ name`, or `✗` with each of the row's errors under it; errors of no row
    /// follow the rows.
    ///
    /// - Parameters:
    ///   - rows: Each row's job name and location.
    ///   - problems: The diagnostics; an error belongs to the row on its line.
    /// - Returns: The text for stdout.
    static func report(_ rows: [(name: String, origin: SourceLocation?)], problems: [Diagnostic]) -> String {
        var output = ""
        var unattributed = problems.filter { $0.severity == .error }
        for (offset, row) in rows.enumerated() {
            let isOwn = { (problem: Diagnostic) in
                guard let origin = row.origin, let location = problem.location else { return false }
                return location.file == origin.file && location.line == origin.line
            }
            let own = unattributed.filter(isOwn)
            unattributed.removeAll(where: isOwn)
            output += "[\(offset + 1)/\(rows.count)] \(own.isEmpty ? "✓" : "✗") \(row.name)\n"
            for problem in own { output += "        - \(problem.message)\n" }
        }
        for problem in unattributed { output += "        - \(problem.message)\n" }
        return output
    }

    /// The rows of a jobs CSV read to its end (names and lines), or none when it cannot be read.
    private static func rows(of path: String, in fileSystem: some FileSystem) -> [(
        name: String, origin: SourceLocation?
    )] {
        let absolute = fileSystem.absolute(path, relativeTo: fileSystem.currentDirectory)
        guard let text = try? fileSystem.readText(at: absolute) else { return [] }
        return JobsCSV.readAll(contents: text, path: path).rows.map { ($0.jobName, $0.origin) }
    }

    /// One error per job the platform's catalogue refuses, at the job's row.
    ///
    /// - Parameters:
    ///   - jobs: The jobs of the CSV.
    ///   - catalog: The platform's analyses and core types.
    /// - Returns: The errors, in row order.
    static func catalogProblems(of jobs: [JobSpec], in catalog: AnalysisCatalog) -> [Diagnostic] {
        jobs.compactMap { job in
            var checked = job
            guard let reason = catalog.check(&checked) else { return nil }
            let (problem, fix) = AnalysisCheckError.describe(reason)
            return .error(problem, help: fix, at: job.origin)
        }
    }
}
