import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem

extension PURRunFlags {
    /// Loads the CSV, applies the archive and worker flags, plans, runs, and exports the state CSV if asked.
    ///
    /// - Parameter requireExisting: `pur resume`: fail when the CSV has no earlier run.
    /// - Throws: `ExitCode` with the run's code.
    func execute(requireExisting: Bool) async throws {
        let currentDirectory = FileManager.default.currentDirectoryPath
        var options = RunOptions()
        // config.csv's worker counts apply when it exists; the flags win.
        let config = CommandContext.current.configPath == nil ? nil : CommandContext.current.config
        options.archiveWorkers = tarWorkers ?? config?.tarWorkers
        options.transferWorkers = uploadWorkers ?? config?.uploadWorkers
        options.apiWorkers = jobWorkers ?? config?.jobWorkers
        options.localCores = nil
        options.crashAfterRecord = nil
        options.maxAttempts = nil
        options.restartStopped = false
        options.keepWork = false
        options.json = json
        options.quiet = quiet
        options.platform = platform
        options.pollInterval = pollInterval
        options.connection = connection
        let base = RunLauncher(options: options, currentDirectory: currentDirectory)
        try await Console.exit { () throws(CommandFailure) -> ExitStatus in
            if dryRun {
                return try dryRunReport(options: options, requireExisting: requireExisting, in: currentDirectory)
            }
            if multipart, !quiet, !json {
                Console.error(
                    "--multipart: uploads are always multipart here and archive entries keep relative names; "
                        + "nothing to change\n"
                )
            }
            // Planning reads and hashes files on threads of its own and waits for them: off the cooperative pool.
            let flags = self
            let plan = try await Blocking.run { () throws(CommandFailure) -> Plan in
                try flags.makePlan(currentDirectory: currentDirectory)
            }
            var launcher = base
            var imported: [ImportedJob]?
            if let state {
                imported = try Self.importState(
                    plan: plan,
                    from: state,
                    currentDirectory: currentDirectory,
                    announces: !quiet && !json
                )
            }
            launcher.importedJobs = imported ?? []
            // An Interlink state file is the earlier run `pur resume` continues.
            let code = try await launcher.start(plan: plan, requireExisting: requireExisting && imported == nil)
            if let state { try Self.exportState(plan: plan, to: state, currentDirectory: currentDirectory) }
            return code
        }
    }

    /// `--dry-run`: prints what the run would do to each job and changes nothing (no platform call, no journal
    /// record, no file written: not even the stat cache).
    private func dryRunReport(options: RunOptions, requireExisting: Bool, in currentDirectory: String)
        throws(CommandFailure) -> ExitStatus
    {
        let plan = options.apply(to: try makePlan(currentDirectory: currentDirectory, savesStatCache: false))
        let imported =
            try state.flatMap { path throws(CommandFailure) in
                try Self.importState(plan: plan, from: path, currentDirectory: currentDirectory, announces: false)
            } ?? []
        var latest = try RunStore(baseDirectory: plan.baseDirectory).latestRun(
            ofWorkflowNamed: PathName.basename(plan.source)
        )
        // A run's jobs exist only on its platform: another platform would start a new run.
        if let recorded = latest?.state.platform, !recorded.hasPrefix(plan.platform.rawValue) { latest = nil }
        let hasStateFile =
            state.map { FileManager.default.fileExists(atPath: PathName.resolve($0, against: currentDirectory)) }
            ?? false
        if requireExisting, latest == nil, !hasStateFile {
            throw CommandFailure.usage(
                "no earlier run of '\(plan.source)' to continue",
                help: "start one with 'rescale-int pur run \(plan.source)'"
            )
        }
        let report = PURDryRun.describe(plan: plan, latest: latest, imported: imported, statePath: state)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            guard let data = try? encoder.encode(report) else { return .success }
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(report.text, terminator: "")
        }
        return .success
    }

    /// The plan of the CSV with the archive flags (else config.csv's archive settings) applied to every job's
    /// archives, and the `--extra-input-files` attached to every job.
    ///
    /// - Parameters:
    ///   - currentDirectory: What the CSV's path is relative to.
    ///   - savesStatCache: Whether new input digests are saved (never in a dry run).
    /// - Returns: The plan.
    /// - Throws: ``CommandFailure`` with every problem of the CSV.
    package func makePlan(currentDirectory: String, savesStatCache: Bool = true) throws(CommandFailure) -> Plan {
        let config = CommandContext.current.configPath == nil ? PURConfig() : CommandContext.current.config
        let noFlagPatterns = self.include.isEmpty && self.exclude.isEmpty
        let include = noFlagPatterns ? config.includePatterns : self.include
        let exclude = noFlagPatterns ? config.excludePatterns : self.exclude
        let flatten = self.flatten || config.flattenTar
        let compression =
            self.compression.flatMap(Self.compression(named:))
            ?? (config.compression == .none ? nil : config.compression)
        // One snapshot for loading and planning: every run directory is looked at and listed once.
        let fileSystem = FileSystemSnapshot(of: LocalFileSystem(currentDirectory: currentDirectory))
        let path = jobsCSV ?? jobsCSVOption ?? ""
        do {
            let loaded = try WorkflowLoader.load(path: path, fileSystem: fileSystem)
            var workflow = loaded.workflow
            for job in workflow.jobs.indices {
                workflow.jobs[job].inputs = workflow.jobs[job].inputs.map { input in
                    guard case .archive(var archive) = input else { return input }
                    if !include.isEmpty { archive.include = include }
                    if !exclude.isEmpty { archive.exclude = exclude }
                    if flatten { archive.flatten = true }
                    if let compression { archive.compression = compression }
                    return .archive(archive)
                }
                // Interlink's order: the row's own files first, then the shared ones it does not already have.
                for id in extraFileIDs
                where !workflow.jobs[job].inputs.contains(where: {
                    if case .existing(let file) = $0 { return file.id == id }
                    return false
                }) {
                    workflow.jobs[job].inputs.append(.existing(ExistingFile(id: id, decompress: decompressExtras)))
                }
            }
            let store = StatCacheFile(createsDirectory: false)
            var statCache = store.load(baseDirectory: workflow.baseDirectory)
            let planner = Planner(fileSystem: fileSystem, parallelism: ThreadFanOut())
            let planned = try planner.plan(workflow, statCache: &statCache)
            if savesStatCache, statCache.hasChanges { store.save(statCache, baseDirectory: workflow.baseDirectory) }
            Console.report(loaded.warnings + planned.warnings)
            return planned.plan
        } catch {
            throw CommandFailure(error)
        }
    }

    /// Writes Interlink's state CSV of the CSV's latest run.
    static func exportState(plan: Plan, to path: String, currentDirectory: String) throws(CommandFailure) {
        guard
            let run = try RunStore(baseDirectory: plan.baseDirectory).latestRun(
                ofWorkflowNamed: PathName.basename(plan.source)
            )
        else { return }
        let text = ExportStateCommand.csv(run)
        try OutputFile.write(
            text,
            to: PathName.resolve(path, against: currentDirectory),
            overwrite: true,
            shownPath: path
        )
        // A copy in the run's folder tells the next `pur run --state` that the file is this run's own export.
        try? OutputFile.write(text, to: Self.exportCopy(of: run.directory), overwrite: true, shownPath: path)
    }

    /// Where a run keeps a copy of the state CSV it last exported.
    static func exportCopy(of run: RunDirectory) -> String { PathName.join(run.path, "exported-state.csv") }

    /// Reads an Interlink state file before anything runs and returns the jobs it records that the run takes over.
    ///
    /// A missing file is a fresh start; a file this CSV's latest run exported itself is left to the journal. Rows
    /// that match no job of the CSV are named: their platform jobs are left alone.
    ///
    /// - Parameters:
    ///   - plan: The plan the rows are matched to.
    ///   - path: The state file as the user named it.
    ///   - currentDirectory: What a relative path is relative to.
    ///   - announces: Whether to say on stderr how many jobs and files are taken over.
    /// - Returns: The jobs to take over; nil when there is no file or it is the run's own export.
    /// - Throws: ``CommandFailure``: exit 65 with file:line:col for a malformed file, 74 when it cannot be read.
    static func importState(
        plan: Plan,
        from path: String,
        currentDirectory: String,
        announces: Bool
    ) throws(CommandFailure) -> [ImportedJob]? {
        let absolute = PathName.resolve(path, against: currentDirectory)
        guard FileManager.default.fileExists(atPath: absolute) else { return nil }
        let contents: String
        do { contents = try String(contentsOfFile: absolute, encoding: .utf8) } catch {
            throw CommandFailure(
                [.error("cannot read the state file '\(path)': \(error.localizedDescription)")],
                status: .ioError
            )
        }
        let rows: [StateRow]
        do {
            let read = try StateCSV.read(contents: contents, path: path)
            rows = read.0
            Console.report(read.1)
        } catch {
            throw CommandFailure(error)
        }
        if let latest = try RunStore(baseDirectory: plan.baseDirectory).latestRun(
            ofWorkflowNamed: PathName.basename(plan.source)
        ),
            (try? String(contentsOfFile: Self.exportCopy(of: latest.directory), encoding: .utf8)) == contents
        {
            return nil
        }
        let matched = InterlinkStateImport.match(rows: rows, plan: plan) { row, _ in
            Self.isUnchanged(tarball: row.tarPath, directory: row.directory)
        }
        let notes =
            matched.unmatched.map { row in
                Diagnostic.warning(
                    "state row \(row.index) ('\(row.jobName)'"
                        + (row.jobID.isEmpty ? "" : ", job \(row.jobID)")
                        + ") matches no job of the CSV by name and directory; it is left alone",
                    help: "a job removed from the CSV keeps running on the platform; stop it there if needed"
                )
            }
        Console.report(notes)
        if announces {
            let jobs = matched.jobs.filter { $0.jobID != nil }.count
            let files = matched.jobs.count - jobs
            Console.error("state file \(path): taking over \(jobs) created jobs and \(files) uploaded files\n")
        }
        return matched.jobs
    }

    /// Whether Interlink's tarball still exists and no file of its directory changed after it was written.
    ///
    /// - Parameters:
    ///   - tarball: The state row's TarPath.
    ///   - directory: The state row's Directory.
    /// - Returns: True when the uploaded FileID may stand for the directory's current contents.
    package static func isUnchanged(tarball: String, directory: String) -> Bool {
        let files = FileManager.default
        guard !tarball.isEmpty, !directory.isEmpty,
            let written = (try? files.attributesOfItem(atPath: tarball))?[.modificationDate] as? Date
        else { return false }
        guard let walker = files.enumerator(atPath: directory) else { return false }
        while let relative = walker.nextObject() as? String {
            let modified = walker.fileAttributes?[.modificationDate] as? Date
            if PathName.join(directory, relative) != tarball, let modified, modified > written { return false }
        }
        return true
    }
}
