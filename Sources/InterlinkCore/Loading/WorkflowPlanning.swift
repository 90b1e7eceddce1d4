/// Loads and plans a workflow file in one call: ``WorkflowLoader`` then ``Planner``.
package enum WorkflowPlanning {
    /// Loads a file and plans it.
    ///
    /// Input files are hashed through the stat cache `statCacheStore` keeps beside the workflow's runs, so files
    /// unchanged since the last plan are not read again; without a store every file is hashed.
    ///
    /// - Parameters:
    ///   - path: The file as the user named it.
    ///   - fileSystem: Where the file and its inputs are read.
    ///   - statCacheStore: Where the stat cache is loaded from and saved to, if anywhere.
    ///   - budget: How far the document may expand (nodes, text, jobs).
    ///   - scriptMode: How a job script is read: strictly, or as rescale-cli reads it.
    ///   - parallelism: What looks the inputs up, lists, hashes and digests them several at once, if anything (the
    ///     plan is the same).
    ///   - timeline: Where the end of each phase of loading and planning is recorded, and the number of input
    ///     files read, if anywhere (`plan --timings`).
    /// - Returns: The plan and every warning from loading and planning, in that order.
    /// - Throws: `DiagnosticsError` with every problem found when the file cannot be loaded or planned.
    package static func plan(
        path: String,
        fileSystem: some FileSystem,
        statCacheStore: (any StatCacheStore)? = nil,
        budget: DocumentBudget = .standard,
        scriptMode: JobScript.Mode = .strict,
        parallelism: (any ParallelRunner)? = nil,
        timeline: PlanningTimeline? = nil
    ) throws(DiagnosticsError) -> (plan: Plan, warnings: [Diagnostic]) {
        // One snapshot for loading and planning: every run directory is looked at and listed once.
        let fileSystem = FileSystemSnapshot(of: fileSystem)
        let loaded = try WorkflowLoader.load(
            path: path,
            fileSystem: fileSystem,
            budget: budget,
            scriptMode: scriptMode,
            parallelism: parallelism,
            timeline: timeline
        )
        do {
            let base = loaded.workflow.baseDirectory
            var statCache = statCacheStore?.load(baseDirectory: base) ?? StatCache()
            if statCacheStore != nil { timeline?.end("load the stat cache") }
            var planner = Planner(fileSystem: fileSystem, parallelism: parallelism)
            planner.timeline = timeline
            let planned = try planner.plan(loaded.workflow, statCache: &statCache)
            timeline?.noteFilesRead(statCache.contentReads)
            if let statCacheStore, statCache.hasChanges {
                statCacheStore.save(statCache, baseDirectory: base)
                timeline?.end("save the stat cache")
            }
            return (planned.plan, loaded.warnings + planned.warnings)
        } catch {
            throw DiagnosticsError(loaded.warnings + error.diagnostics)
        }
    }
}
