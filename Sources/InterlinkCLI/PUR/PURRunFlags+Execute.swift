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
        let launcher = RunLauncher(options: options, currentDirectory: currentDirectory)
        try await Console.exit { () throws(CommandFailure) -> ExitStatus in
            let plan = try makePlan(currentDirectory: currentDirectory)
            let code = try await launcher.start(plan: plan, requireExisting: requireExisting)
            if let state { try exportState(plan: plan, to: state, currentDirectory: currentDirectory) }
            return code
        }
    }

    /// The plan of the CSV with the archive flags (else config.csv's archive settings) applied to every job's
    /// archives.
    func makePlan(currentDirectory: String) throws(CommandFailure) -> Plan {
        let config = CommandContext.current.configPath == nil ? PURConfig() : CommandContext.current.config
        let noFlagPatterns = self.include.isEmpty && self.exclude.isEmpty
        let include = noFlagPatterns ? config.includePatterns : self.include
        let exclude = noFlagPatterns ? config.excludePatterns : self.exclude
        let flatten = self.flatten || config.flattenTar
        let compression =
            self.compression.flatMap(Compression.init(rawValue:))
            ?? (config.compression == .none ? nil : config.compression)
        let fileSystem = LocalFileSystem(currentDirectory: currentDirectory)
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
            }
            let store = StatCacheFile(createsDirectory: false)
            var statCache = store.load(baseDirectory: workflow.baseDirectory)
            let planned = try Planner(fileSystem: fileSystem).plan(workflow, statCache: &statCache)
            if statCache.hasChanges { store.save(statCache, baseDirectory: workflow.baseDirectory) }
            Console.report(loaded.warnings + planned.warnings)
            return planned.plan
        } catch {
            throw CommandFailure(error)
        }
    }

    /// Writes Interlink's state CSV of the CSV's latest run.
    func exportState(plan: Plan, to path: String, currentDirectory: String) throws(CommandFailure) {
        guard
            let run = try RunStore(baseDirectory: plan.baseDirectory).latestRun(
                ofWorkflowNamed: PathName.basename(plan.source)
            )
        else { return }
        try OutputFile.write(
            ExportStateCommand.csv(run),
            to: PathName.resolve(path, against: currentDirectory),
            overwrite: true,
            shownPath: path
        )
    }
}
