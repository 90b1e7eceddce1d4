import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem

/// `rescale-int pur submit-existing`: Interlink's jobs made from files already on the platform (no archive, no
/// upload), or `--ids`: submit jobs that were created but not submitted.
package struct SubmitExistingCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "submit-existing",
        abstract: "Create and submit the jobs of a jobs CSV from the file ids in its ExtraInputFileIDs column.",
        discussion: """
            Nothing is archived or uploaded: each job gets only its row's ExtraInputFileIDs (unpacked by the \
            platform), and is submitted, followed and its outputs downloaded as 'pur run' does, by the same \
            journaled engine: run it again after an interruption and it continues, never creating a job twice. \
            Every row must name at least one file id and every id must exist on the platform: otherwise nothing \
            is created. The run's Interlink state CSV is written to --state (its jobs are taken over first).

            --ids submits jobs that already exist (created with Submit=create_only, say), one by one; a job \
            already submitted is reported as such and not submitted again.

            Examples:
              rescale-int pur submit-existing -j jobs.csv --platform rescale
              rescale-int pur submit-existing --ids AbC123,DeF456

            \(ExitStatus.helpText(ExitStatus.allCases))
            """
    )

    /// The jobs CSV.
    @Option(name: [.customShort("j"), .customLong("jobs-csv")], help: "The jobs CSV (default: jobs.csv).")
    package var jobsCSV: String?

    /// Interlink's state CSV.
    @Option(
        name: .shortAndLong,
        help: "Interlink's state CSV: its jobs are taken over first; rewritten when the run ends."
    )
    package var state = "submit_existing_state.csv"

    /// Jobs to submit.
    @Option(help: "Comma-separated ids of created jobs to submit (instead of a jobs CSV).")
    package var ids: String?

    /// Stream events as JSON.
    @Flag(help: "Stream every event as one JSON object per line on stdout.")
    package var json = false
    /// No progress output.
    @Flag(help: "Show no progress; print only the summary and errors.")
    package var quiet = false
    /// The platform.
    @Option(help: "local or rescale (default: local; --ids: rescale). A run stays on its platform.")
    package var platform: PlatformKind?
    /// Seconds between status polls.
    @Option(help: "Time between job status polls: 30, 30s, 2m (default: 30 s).", transform: DurationArgument.seconds)
    package var pollInterval: Double?
    /// Interlink's worker flag.
    @Option(name: .customLong("job-workers"), help: "Job API calls (create, submit, poll) at once.")
    package var jobWorkers: Int?
    /// The Rescale profile and host options.
    @OptionGroup package var connection: ConnectionOptions
    /// The crash tests' stop point: the process kills itself right after its Nth journal record is durable.
    @Option(help: .hidden)
    package var crashAfterRecord: Int?

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func validate() throws {
        if ids != nil, jobsCSV != nil { throw ValidationError("cannot use both --ids and --jobs-csv") }
        if ids != nil, platform == .local {
            throw ValidationError("--ids submits Rescale jobs; a local run submits its own jobs")
        }
        if let jobWorkers, jobWorkers < 1 { throw ValidationError("--job-workers must be at least 1.") }
        if let pollInterval, !(pollInterval > 0 && pollInterval <= 86_400) {
            throw ValidationError("--poll-interval must be between 0 and 86400 seconds, not \(pollInterval).")
        }
    }

    package func run() async throws {
        if let ids {
            try await SubmitByID(ids: ids, connection: connection).run()
            return
        }
        let currentDirectory = FileManager.default.currentDirectoryPath
        var options = RunOptions()
        let config = CommandContext.current.configPath == nil ? nil : CommandContext.current.config
        options.archiveWorkers = nil
        options.transferWorkers = nil
        options.apiWorkers = jobWorkers ?? config?.jobWorkers
        options.localCores = nil
        options.crashAfterRecord = crashAfterRecord
        options.maxAttempts = nil
        options.restartStopped = false
        options.keepWork = false
        options.json = json
        options.quiet = quiet
        options.platform = platform
        options.pollInterval = pollInterval
        options.connection = connection
        let path = jobsCSV ?? "jobs.csv"
        try await Console.exit { () throws(CommandFailure) -> ExitStatus in
            let plan = try Self.plan(csv: path, currentDirectory: currentDirectory)
            if !quiet, !json {
                Console.error(
                    "submit-existing: \(plan.jobs.count) jobs from the file ids of '\(path)' (state: \(state))\n"
                )
            }
            var launcher = RunLauncher(options: options, currentDirectory: currentDirectory)
            let imported = try PURRunFlags.importState(
                plan: plan,
                from: state,
                currentDirectory: currentDirectory,
                announces: !quiet && !json
            )
            launcher.importedJobs = imported ?? []
            let code = try await launcher.start(plan: plan)
            try PURRunFlags.exportState(plan: plan, to: state, currentDirectory: currentDirectory)
            return code
        }
    }

    /// The plan of a jobs CSV's rows with their ExtraInputFileIDs as their only inputs.
    ///
    /// The run is kept apart from `pur run`'s runs of the same CSV (whose jobs carry archives): its plan's source
    /// is `<csv>#submit-existing`.
    ///
    /// - Parameters:
    ///   - csv: The jobs CSV as the user named it.
    ///   - currentDirectory: What a relative path is relative to.
    /// - Returns: The plan.
    /// - Throws: ``CommandFailure`` (65) naming every row without file ids, or any other problem of the CSV.
    package static func plan(csv: String, currentDirectory: String) throws(CommandFailure) -> Plan {
        let fileSystem = LocalFileSystem(currentDirectory: currentDirectory)
        let absolute = PathName.resolve(csv, against: currentDirectory)
        let text: String
        do throws(FileSystemError) {
            text = try fileSystem.readText(at: absolute)
        } catch {
            throw .unreadable(error, role: "jobs CSV")
        }
        let reading = JobsCSV.readAll(contents: text, path: csv, requiresDirectory: false)
        guard !reading.hasErrors else { throw CommandFailure(reading.diagnostics, status: .invalidInput) }
        let missing = rowsWithoutFileIDs(reading.rows, text: text, path: csv)
        guard missing.isEmpty else { throw CommandFailure(reading.diagnostics + missing, status: .invalidInput) }
        let baseDirectory = PathName.dirname(absolute)
        let options = JobsCSV.Options(homeDirectory: fileSystem.homeDirectory)
        let jobs = reading.rows.map { row in
            var job = row.makeJob(baseDirectory: baseDirectory, options: options)
            job.inputs.removeAll {
                if case .archive = $0 { return true }
                return false
            }
            return job
        }
        let workflow = Workflow(
            name: PathName.basename(csv).split(separator: ".").first.map(String.init) ?? "jobs",
            sourcePath: csv + "#submit-existing",
            baseDirectory: baseDirectory,
            jobs: jobs
        )
        do {
            let planned = try Planner(fileSystem: fileSystem).plan(workflow)
            Console.report(reading.diagnostics + planned.warnings)
            return planned.plan
        } catch {
            throw CommandFailure(error)
        }
    }

    /// One located error per row whose ExtraInputFileIDs is empty, at that cell (or the row when the CSV has no
    /// such column).
    static func rowsWithoutFileIDs(_ rows: [JobsCSVRow], text: String, path: String) -> [Diagnostic] {
        let table = CSVReader.read(text, path: path)
        let column = table.header?.fields.firstIndex {
            $0.value.trimmingWhitespace().lowercased() == JobsCSVColumn.extraInputFileIDs.rawValue.lowercased()
        }
        let records = Dictionary(table.dataRecords.map { ($0.line, $0) }) { first, _ in first }
        return rows.enumerated().filter { $0.element.extraInputFileIDs.isEmpty }.map { offset, row in
            let record = row.origin.flatMap { records[$0.line] }
            let location =
                column.flatMap { index in
                    record.flatMap { index < $0.fields.count ? $0.fields[index].location(in: path) : nil }
                } ?? record?.location(in: path) ?? row.origin
            return Diagnostic.error(
                "job \(offset + 1) ('\(row.jobName)'): ExtraInputFileIDs is empty; submit-existing needs the ids "
                    + "of files already on the platform",
                help: column == nil
                    ? "add an ExtraInputFileIDs column with the file ids of each job's inputs"
                    : "put the file ids of its inputs here, comma-separated ('rescale-int files upload' prints "
                        + "them), or run the row with 'rescale-int pur run'",
                at: location
            )
        }
    }
}
