/// Reads any file `rescale-int` accepts into a ``Workflow``, choosing the parser from the file.
///
/// * `.yaml`, `.yml`, `.json`: a workflow document (``WorkflowParser``); `from: jobs.csv` entries are read with
///   ``JobsCSVImporter``.
/// * `.csv`: an Interlink (PUR) jobs CSV with PUR's defaults: no archive filters, uncompressed
///   tar, 4 workers per resource, every job submitted unless its row says otherwise. Relative `Directory` values
///   resolve as ``JobsCSV/DirectoryResolution`` says: against the working directory, else the CSV's folder.
///   No sibling `config.csv` is read: PUR takes config only from `--config` or the per-user config path.
/// * A job script (`.sh`, or `#$` / `#RESCALE_` directives in its first lines): one job read in strict mode
///   (every required directive must be present), or as rescale-cli reads it in compat mode.
///
/// Pure: it reads only through the `FileSystem` port.
package enum WorkflowLoader {
    /// How many leading lines are searched for directives when a file has no recognised extension.
    package static let sniffedLines = 20

    /// Loads a workflow.
    ///
    /// - Parameters:
    ///   - path: The file as the user named it (relative to the file system's current directory, or absolute).
    ///   - fileSystem: Where the file and everything it names are read.
    ///   - budget: How far the document may expand (nodes, text, jobs).
    ///   - scriptMode: How a job script is read: strictly, or as rescale-cli reads it (`--compat`).
    ///   - parallelism: What looks a jobs CSV's directories up several at once, if anything (the result is the
    ///     same).
    ///   - timeline: Where the end of each phase of loading is recorded, if anywhere.
    /// - Returns: The workflow and its warnings.
    /// - Throws: `DiagnosticsError` with every problem found (warnings included) when any is an error.
    package static func load(
        path: String,
        fileSystem: some FileSystem,
        budget: DocumentBudget = .standard,
        scriptMode: JobScript.Mode = .strict,
        parallelism: (any ParallelRunner)? = nil,
        timeline: PlanningTimeline? = nil
    ) throws(DiagnosticsError) -> LoadedWorkflow {
        let absolute = fileSystem.absolute(path, relativeTo: fileSystem.currentDirectory)
        let file = SourceLocation(file: path)
        let text: String
        do throws(FileSystemError) {
            guard fileSystem.entry(at: absolute) != nil else {
                throw FileSystemError(path: absolute, reason: "no such file")
            }
            guard !fileSystem.isDirectory(followingLinksAt: absolute) else {
                throw FileSystemError(path: absolute, reason: "it is a directory")
            }
            text = try fileSystem.readText(at: absolute)
        } catch {
            throw DiagnosticsError(
                .error("cannot read '\(path)': \(error.reason)", help: "give the path of a \(acceptedKinds)", at: file)
            )
        }
        let baseDirectory = PathName.dirname(absolute)
        let lowered = path.lowercased()
        if lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") || lowered.hasSuffix(".json") {
            let parsed = try WorkflowParser.parseWithWarnings(
                contents: text,
                path: path,
                baseDirectory: baseDirectory,
                fileSystem: fileSystem,
                importer: JobsCSVImporter(fileSystem: fileSystem),
                budget: budget
            )
            let kind: LoadedWorkflow.SourceKind = lowered.hasSuffix(".json") ? .json : .yaml
            timeline?.end("read and expand the workflow")
            return LoadedWorkflow(workflow: parsed.workflow, kind: kind, warnings: parsed.warnings)
        }
        if lowered.hasSuffix(".csv") {
            return try jobsCSV(
                text,
                path: path,
                baseDirectory: baseDirectory,
                fileSystem: fileSystem,
                parallelism: parallelism,
                timeline: timeline
            )
        }
        if lowered.hasSuffix(".sh") || hasDirectives(text) {
            defer { timeline?.end("read the job script") }
            return try jobScript(text, path: path, baseDirectory: baseDirectory, mode: scriptMode)
        }
        throw DiagnosticsError(
            .error("cannot tell what kind of file '\(path)' is", help: "give a \(acceptedKinds)", at: file)
        )
    }

    /// The kinds of file accepted, for `help:` lines.
    package static let acceptedKinds =
        "workflow (.yaml, .yml, .json), a jobs CSV (.csv) or a job script (.sh, or '#$' / '#RESCALE_' directives)"

    /// Whether a text's first lines carry SGE or rescale-cli directives.
    static func hasDirectives(_ text: String) -> Bool {
        text.split(separator: "\n", maxSplits: sniffedLines, omittingEmptySubsequences: false)
            .prefix(sniffedLines)
            .contains { $0.hasPrefix("#$") || $0.hasPrefix("#RESCALE_") }
    }

    private static func jobsCSV(
        _ text: String,
        path: String,
        baseDirectory: String,
        fileSystem: some FileSystem,
        parallelism: (any ParallelRunner)?,
        timeline: PlanningTimeline?
    ) throws(DiagnosticsError) -> LoadedWorkflow {
        var reading = JobsCSV.readAll(contents: text, path: path, parallelism: parallelism)
        timeline?.end("read the jobs CSV")
        let options = JobsCSV.Options(homeDirectory: fileSystem.homeDirectory)
        let resolution = JobsCSV.DirectoryResolution(
            workingDirectory: fileSystem.currentDirectory,
            csvDirectory: baseDirectory,
            options: options,
            fileSystem: fileSystem,
            parallelism: parallelism
        ).resolve(reading.rows)
        timeline?.end("look up the run directories")
        reading.rows = resolution.rows
        reading.diagnostics = JobsCSV.merge(reading.diagnostics, resolution.diagnostics)
        guard !reading.hasErrors else {
            throw reading.failure(fileSystem: fileSystem) { $0.makeJob(baseDirectory: baseDirectory, options: options) }
        }
        let workflow = Workflow(
            name: stem(of: path),
            sourcePath: path,
            baseDirectory: baseDirectory,
            jobs: reading.rows.map { $0.makeJob(baseDirectory: baseDirectory, options: options) }
        )
        timeline?.end("make the jobs")
        return LoadedWorkflow(workflow: workflow, kind: .jobsCSV, warnings: reading.diagnostics)
    }

    private static func jobScript(
        _ text: String,
        path: String,
        baseDirectory: String,
        mode: JobScript.Mode
    ) throws(DiagnosticsError) -> LoadedWorkflow {
        let script = JobScriptParser.parse(contents: text, path: path, mode: mode).applyingDefaults(for: mode)
        let job = try script.makeRunnableJob(mode: mode, directory: baseDirectory)
        let workflow = Workflow(name: stem(of: path), sourcePath: path, baseDirectory: baseDirectory, jobs: [job])
        return LoadedWorkflow(
            workflow: workflow,
            kind: .jobScript,
            warnings: script.diagnostics.filter { $0.severity == .warning }
        )
    }

    /// The file name without its directory and last extension.
    static func stem(of path: String) -> String {
        let base = PathName.basename(path)
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
        return String(base[..<dot])
    }
}
