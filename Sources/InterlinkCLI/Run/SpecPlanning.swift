import InterlinkCore
import InterlinkSystem

/// Loads and plans the file `run` is given.
///
/// Until the shared loader lands this reads workflow documents (.yaml, .yml, .json) only; the loader adds jobs
/// CSVs and job scripts behind the same call.
package enum SpecPlanning {
    /// Loads and plans a file; warnings are returned beside the plan.
    ///
    /// - Throws: `DiagnosticsError` with every problem found.
    package static func plan(path: String, currentDirectory: String) throws(DiagnosticsError)
        -> (plan: Plan, warnings: [Diagnostic])
    {
        let fileSystem = LocalFileSystem(currentDirectory: currentDirectory)
        let absolute = PathName.resolve(path, against: currentDirectory)
        let text: String
        do { text = try fileSystem.readText(at: absolute) } catch {
            throw DiagnosticsError(.error("cannot read '\(path)': \(error.reason)", at: SourceLocation(file: path)))
        }
        let parsed = try WorkflowParser.parseWithWarnings(
            contents: text,
            path: path,
            baseDirectory: PathName.dirname(absolute),
            fileSystem: fileSystem,
            importer: NoCSVImporter()
        )
        let planned = try Planner(fileSystem: fileSystem).plan(parsed.workflow)
        return (planned.plan, parsed.warnings + planned.warnings)
    }
}

/// Refuses `from:` entries until the shared loader provides the jobs CSV importer.
private struct NoCSVImporter: JobImporting {
    func importJobs(fromCSVAt path: String, location: SourceLocation, defaults: JobTemplate) throws(DiagnosticsError)
        -> [JobSpec]
    {
        throw DiagnosticsError(.error("jobs CSV imports are not available in this build yet", at: location))
    }
}
