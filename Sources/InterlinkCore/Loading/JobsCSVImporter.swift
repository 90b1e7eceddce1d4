/// Reads the jobs of an Interlink jobs CSV named by a workflow's `from:` entry, with the entry's defaults filling
/// the cells the CSV leaves empty (the CSV's own values win).
///
/// Fields a jobs CSV cannot express (environment variables beyond `LicenseSettings`, license flags, automations,
/// outputs, shared inputs) come from the defaults as they are.
package struct JobsCSVImporter: JobImporting {
    /// Where the CSV and its run directories are read.
    package let fileSystem: any FileSystem
    /// Archive settings applied to every row's run directory.
    package let options: JobsCSV.Options

    /// Creates an importer.
    ///
    /// - Parameters:
    ///   - fileSystem: Where the CSV is read; its home directory expands `~` in `Directory`.
    ///   - options: Archive settings; nil for Interlink's defaults (no filters, no compression).
    package init(fileSystem: any FileSystem, options: JobsCSV.Options? = nil) {
        self.fileSystem = fileSystem
        self.options = options ?? JobsCSV.Options(homeDirectory: fileSystem.homeDirectory)
    }

    package func importJobs(
        fromCSVAt path: String,
        location: SourceLocation,
        defaults: JobTemplate
    ) throws(DiagnosticsError) -> [JobSpec] {
        let text: String
        do throws(FileSystemError) {
            text = try fileSystem.readText(at: path)
        } catch {
            throw DiagnosticsError(
                .error(
                    "cannot read jobs CSV '\(path)': \(error.reason)",
                    help: "check the 'from:' path; it is relative to the workflow's folder",
                    at: location
                )
            )
        }
        let display = PathName.relative(path, to: fileSystem.currentDirectory).flatMap {
            PathName.staysInside($0) ? $0 : nil
        }
        let reading = JobsCSV.readAll(contents: text, path: display ?? path, defaults: defaults)
        let baseDirectory = PathName.dirname(path)
        let makeJob = { (row: JobsCSVRow) in
            Self.overlay(row.makeJob(baseDirectory: baseDirectory, options: options), row: row, with: defaults)
        }
        guard !reading.hasErrors else { throw reading.failure(fileSystem: fileSystem, makeJob: makeJob) }
        return reading.rows.map(makeJob)
    }

    /// A job read from a row, completed with the defaults the CSV has no column for.
    static func overlay(_ job: JobSpec, row: JobsCSVRow, with defaults: JobTemplate) -> JobSpec {
        var job = job
        job.environment = defaults.environment.merging(job.environment) { _, csv in csv }
        job.license.useRescaleLicense = defaults.useRescaleLicense ?? job.license.useRescaleLicense
        job.license.userDefinedSettings = defaults.userDefinedLicenseSettings ?? job.license.userDefinedSettings
        job.isLowPriority = row.isLowPriority || (defaults.isLowPriority ?? false)
        job.automations = defaults.automations ?? job.automations
        let attached = (defaults.inputs ?? []).filter { input in
            if case .archive = input { return false }
            return true
        }
        job.inputs += attached
        job.outputs.include = defaults.outputInclude ?? job.outputs.include
        job.outputs.exclude = defaults.outputExclude ?? job.outputs.exclude
        job.outputs.destination = defaults.outputDestination ?? job.outputs.destination
        job.outputs.download = defaults.outputDownload ?? job.outputs.download
        return job
    }
}
