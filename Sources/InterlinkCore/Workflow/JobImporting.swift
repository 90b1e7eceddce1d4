/// Reads the jobs of a jobs CSV named by a workflow's `from:` entry.
///
/// The workflow parser owns everything else about the entry; the CSV format has its own parser, wired in by the
/// caller, so InterlinkCore's workflow code does not depend on it.
package protocol JobImporting: Sendable {
    /// The jobs of one CSV file.
    ///
    /// - Parameters:
    ///   - path: The CSV's absolute path (resolved against the workflow's directory).
    ///   - location: Where the `from:` key is, for diagnostics about the import as a whole.
    ///   - defaults: The workflow's `defaults:` overlaid by the entry's own keys: values the CSV leaves empty.
    /// - Returns: The jobs, in file order.
    /// - Throws: `DiagnosticsError` with the CSV's problems, located in the CSV file.
    func importJobs(
        fromCSVAt path: String,
        location: SourceLocation,
        defaults: JobTemplate
    ) throws(DiagnosticsError) -> [JobSpec]
}

/// An importer for callers that accept no CSV imports: every `from: x.csv` is an error.
package struct NoCSVImporter: JobImporting {
    /// Creates the importer.
    package init() {}

    package func importJobs(
        fromCSVAt path: String,
        location: SourceLocation,
        defaults: JobTemplate
    ) throws(DiagnosticsError) -> [JobSpec] {
        throw DiagnosticsError(
            .error("jobs CSV imports are not available here", help: "run the workflow with rescale-int", at: location)
        )
    }
}
