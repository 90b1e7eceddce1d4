/// Interlink's jobs CSV: read it into typed rows and jobs, and write rows back.
///
/// Compatible with every file Interlink accepts, with its defects fixed: a byte order mark is
/// dropped, every problem is reported at once with its line, column and column name, empty directories and
/// malformed booleans, submit modes and walltimes are errors, commands keep their spacing, and all-blank rows
/// are skipped with a warning.
package enum JobsCSV {
    /// A read jobs CSV: its rows and the warnings reading produced.
    package struct Document: Hashable, Sendable {
        /// The data rows, in file order (all-blank rows left out).
        package var rows: [JobsCSVRow]
        /// Warnings: skipped blank rows, ignored near-miss columns, repeated columns.
        package var warnings: [Diagnostic]

        /// The jobs the rows describe.
        ///
        /// - Parameters:
        ///   - baseDirectory: The absolute directory relative `Directory` values resolve against.
        ///   - options: Archive settings and defaults.
        /// - Returns: One job per row.
        package func jobs(baseDirectory: String, options: Options) -> [JobSpec] {
            rows.map { $0.makeJob(baseDirectory: baseDirectory, options: options) }
        }
    }

    /// A jobs CSV read to its end: its rows, valid or not, and every diagnostic.
    package struct Reading: Hashable, Sendable {
        /// The non-blank data rows, in file order; rows with an invalid value hold a placeholder for it.
        package var rows: [JobsCSVRow]
        /// Every diagnostic, errors and warnings, in file order.
        package var diagnostics: [Diagnostic]

        /// Whether any diagnostic is an error.
        package var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// Reads a jobs CSV into jobs.
    ///
    /// Directories are not checked for existence and duplicate job names are not reported here: the common
    /// job validator does both for every input format. Use ``read(contents:path:requiresDirectory:)`` to get
    /// the warnings as well.
    ///
    /// - Parameters:
    ///   - contents: The file's text.
    ///   - path: The file name used in diagnostics.
    ///   - baseDirectory: The absolute directory relative `Directory` values resolve against (the CSV's folder).
    ///   - options: Archive settings and defaults from config.csv or flags.
    /// - Returns: One job per non-blank data row, in file order.
    /// - Throws: `DiagnosticsError` with every problem found (and the warnings) when any is an error.
    package static func parse(
        contents: String,
        path: String,
        baseDirectory: String,
        options: Options
    ) throws(DiagnosticsError) -> [JobSpec] {
        try read(contents: contents, path: path).jobs(baseDirectory: baseDirectory, options: options)
    }

    /// Reads a jobs CSV into typed rows.
    ///
    /// - Parameters:
    ///   - contents: The file's text.
    ///   - path: The file name used in diagnostics.
    ///   - requiresDirectory: Whether an empty `Directory` is an error; templates (whose directory is replaced)
    ///     pass false.
    ///   - defaults: Values for empty cells (a workflow's `defaults:` for `from: jobs.csv`); the CSV's own values
    ///     win. Empty by default, so every required value must be in the file.
    /// - Returns: The rows and warnings.
    /// - Throws: `DiagnosticsError` with every problem found (and the warnings) when any is an error.
    package static func read(
        contents: String,
        path: String,
        requiresDirectory: Bool = true,
        defaults: JobTemplate = JobTemplate()
    ) throws(DiagnosticsError) -> Document {
        let reading = readAll(contents: contents, path: path, requiresDirectory: requiresDirectory, defaults: defaults)
        if reading.hasErrors { throw DiagnosticsError(reading.diagnostics) }
        return Document(rows: reading.rows, warnings: reading.diagnostics)
    }

    /// Reads a jobs CSV to its end whatever it holds, so that checks beyond the values (directories, duplicate
    /// names) can run on rows whose values are wrong.
    ///
    /// - Parameters:
    ///   - contents: The file's text.
    ///   - path: The file name used in diagnostics.
    ///   - requiresDirectory: Whether an empty `Directory` is an error.
    ///   - defaults: Values for empty cells; the CSV's own values win.
    ///   - parallelism: What reads the rows several at once, if anything (the result is the same).
    /// - Returns: Every non-blank row that has the file's columns (an invalid value read as a placeholder: 0 or
    ///   empty), and every diagnostic in file order. No rows when the header is unusable.
    package static func readAll(
        contents: String,
        path: String,
        requiresDirectory: Bool = true,
        defaults: JobTemplate = JobTemplate(),
        parallelism: (any ParallelRunner)? = nil
    ) -> Reading {
        var diagnostics = DiagnosticCollector()
        let table = CSVReader.read(contents, path: path)
        diagnostics.append(contentsOf: table.diagnostics)
        guard let header = table.header else {
            if !diagnostics.hasErrors {
                diagnostics.error(
                    "jobs CSV is empty",
                    help: "start with the header row, e.g. "
                        + JobsCSVColumn.required.map(\.rawValue).joined(separator: ","),
                    at: SourceLocation(file: path)
                )
            }
            return Reading(rows: [], diagnostics: diagnostics.diagnostics)
        }
        let columns = readHeader(header, path: path, diagnostics: &diagnostics)
        if diagnostics.hasErrors { return Reading(rows: [], diagnostics: diagnostics.diagnostics) }
        if table.dataRecords.isEmpty {
            diagnostics.error(
                "jobs CSV has a header but no data rows",
                help: "add one row per job below the header",
                at: header.location(in: path)
            )
        }
        // Each record is read on its own (several at once with a runner, in runs of 256: a 10,000-row file took
        // 30 ms on one core); the rows and their diagnostics are then taken in file order.
        let records = table.dataRecords
        let readRecord: @Sendable (Int) -> (row: JobsCSVRow, diagnostics: [Diagnostic])? = { index in
            let record = records[records.startIndex + index]
            guard !record.isBlank else { return nil }
            var reader = RowReader(record: record, columns: columns, path: path, defaults: defaults)
            let row = reader.readRow(requiresDirectory: requiresDirectory)
            return (row, reader.diagnostics.diagnostics)
        }
        let read =
            if let parallelism, records.count > 512 {
                parallelism.map(records.count, chunk: 256, readRecord)
            } else {
                (0..<records.count).map(readRecord)
            }
        var rows: [JobsCSVRow] = []
        rows.reserveCapacity(records.count)
        for (record, result) in zip(records, read) {
            guard let result else {
                diagnostics.warning(
                    "row has only empty fields and is skipped",
                    help: "delete the row",
                    at: record.location(in: path)
                )
                continue
            }
            rows.append(result.row)
            diagnostics.append(contentsOf: result.diagnostics)
        }
        if rows.isEmpty, !table.dataRecords.isEmpty, !diagnostics.hasErrors {
            diagnostics.error(
                "jobs CSV has no job rows, only blank ones",
                help: "add one row per job below the header",
                at: header.location(in: path)
            )
        }
        return Reading(rows: rows, diagnostics: diagnostics.diagnostics)
    }

    /// Maps known columns to field positions and reports every missing required column at once.
    private static func readHeader(
        _ header: CSVRecord,
        path: String,
        diagnostics: inout DiagnosticCollector
    ) -> [JobsCSVColumn: Int] {
        var columns: [JobsCSVColumn: Int] = [:]
        var unknown: [CSVField] = []
        for (position, field) in header.fields.enumerated() {
            guard let column = JobsCSVColumn(header: field.value) else {
                unknown.append(field)
                continue
            }
            if columns[column] != nil {
                diagnostics.warning(
                    "column '\(column.rawValue)' appears more than once; the last one is used",
                    help: "delete or rename the other '\(column.rawValue)' column",
                    at: field.location(in: path)
                )
            }
            columns[column] = position
        }
        var explained: Set<Int> = []
        for column in JobsCSVColumn.required where columns[column] == nil {
            let near = unknown.first { !explained.contains($0.column) && isNearMiss($0.value, for: column) }
            if let near {
                explained.insert(near.column)
                diagnostics.error(
                    "missing required column '\(column.rawValue)'",
                    help: "rename column '\(near.value)' to '\(column.rawValue)' (there are no aliases)",
                    at: near.location(in: path)
                )
            } else {
                diagnostics.error(
                    "missing required column '\(column.rawValue)'",
                    help: "add a '\(column.rawValue)' column to the header",
                    at: SourceLocation(file: path, line: header.line)
                )
            }
        }
        let names = JobsCSVColumn.allCases.map(\.rawValue)
        for field in unknown where !explained.contains(field.column) {
            guard let near = Suggestion.closest(to: field.value, in: names) else { continue }
            diagnostics.warning(
                "unknown column '\(field.value.trimmingWhitespace())' is ignored",
                help: "did you mean '\(near)'?",
                at: field.location(in: path)
            )
        }
        return columns
    }

    /// Whether a header cell looks like a misspelling or a shortening of a column name (`Job Name`, `Walltime`
    /// and `Cores` for `JobName`, `WalltimeHours` and `CoresPerSlot`).
    private static func isNearMiss(_ cell: String, for column: JobsCSVColumn) -> Bool {
        if Suggestion.closest(to: cell, in: [column.rawValue]) != nil { return true }
        let folded = cell.lowercased().filter { $0.isLetter }
        return folded.count >= 4 && column.key.hasPrefix(folded)
    }
}
