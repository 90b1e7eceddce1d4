extension JobsCSV.Reading {
    /// The error a jobs CSV with wrong values fails with: its diagnostics and the checks of every row's run
    /// directory, tar subpath and name, merged by line.
    ///
    /// Without these the directory, subpath and duplicate-name problems would show only once the values are
    /// fixed, one more round for the user.
    ///
    /// - Parameters:
    ///   - fileSystem: Where the run directories are looked up.
    ///   - makeJob: The job a row describes (how the caller resolves directories and defaults).
    /// - Returns: Every problem of the file, ordered by line (the parser's before the layout's on one line).
    package func failure(
        fileSystem: any FileSystem,
        makeJob: (JobsCSVRow) -> JobSpec
    ) -> DiagnosticsError {
        let jobs = rows.map { row in
            var job = makeJob(row)
            // An empty Directory is already an error; resolved, it would name the CSV's folder.
            if row.directory.isEmpty {
                job.inputs.removeAll { input in
                    if case .archive = input { return true }
                    return false
                }
            }
            return job
        }
        let layout = JobValidator(fileSystem: fileSystem).diagnoseLayout(of: jobs)
        let merged = (diagnostics + layout).enumerated().sorted { lhs, rhs in
            (lhs.element.location?.line ?? 0, lhs.offset) < (rhs.element.location?.line ?? 0, rhs.offset)
        }
        return DiagnosticsError(merged.map(\.element))
    }
}
