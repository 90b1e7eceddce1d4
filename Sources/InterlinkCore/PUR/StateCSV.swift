/// Interlink's state CSV: written from typed rows for users who know it, and read back.
///
/// Interlink for Swift keeps its own journal; this file is an export of it, byte-compatible with the one
/// Interlink writes, and a reader for importing state files Interlink left behind.
package enum StateCSV {
    /// The header, exactly as Interlink writes it.
    package static let header = [
        "Index", "JobName", "Directory", "TarPath", "TarStatus", "FileID", "UploadStatus", "JobID", "SubmitStatus",
        "ExtraFileIDs", "ErrorMessage", "LastUpdated",
    ]

    /// Writes rows, sorted by index, after the header; LF line endings.
    ///
    /// - Parameter rows: The rows, one per job row.
    /// - Returns: The file's text.
    package static func render(_ rows: [StateRow]) -> String {
        CSVWriter.render([header] + rows.sorted { $0.index < $1.index }.map(\.fields))
    }

    /// Reads a state CSV.
    ///
    /// Stricter than Interlink, which ignored short rows, read a non-numeric index as 0 and a bad time as the
    /// zero time: each of these is a located error here. When an index appears twice the last row wins, as in
    /// Interlink, with a warning.
    ///
    /// - Parameters:
    ///   - contents: The file's text.
    ///   - path: The file name used in diagnostics.
    /// - Returns: The rows, sorted by index, and warnings.
    /// - Throws: `DiagnosticsError` when any row is malformed.
    package static func read(contents: String, path: String) throws(DiagnosticsError) -> ([StateRow], [Diagnostic]) {
        var diagnostics = DiagnosticCollector()
        let table = CSVReader.read(contents, path: path)
        diagnostics.append(contentsOf: table.diagnostics)
        guard let first = table.header else {
            try diagnostics.check()
            return ([], diagnostics.diagnostics)
        }
        guard first.values == header else {
            diagnostics.error(
                "state file header is not Interlink's",
                help: "the first line must be \(header.joined(separator: ","))",
                at: first.location(in: path)
            )
            throw DiagnosticsError(diagnostics.diagnostics)
        }
        var byIndex: [Int: StateRow] = [:]
        for record in table.dataRecords {
            guard let row = readRow(record, path: path, diagnostics: &diagnostics) else { continue }
            if byIndex[row.index] != nil {
                diagnostics.warning(
                    "index \(row.index) appears more than once; the last row is used",
                    at: record.location(in: path)
                )
            }
            byIndex[row.index] = row
        }
        try diagnostics.check()
        return (byIndex.values.sorted { $0.index < $1.index }, diagnostics.diagnostics)
    }

    private static func readRow(
        _ record: CSVRecord,
        path: String,
        diagnostics: inout DiagnosticCollector
    ) -> StateRow? {
        let fields = record.fields
        var isValid = true
        func status(_ position: Int) -> StateRow.Status {
            if let status = StateRow.Status(rawValue: fields[position].value) { return status }
            isValid = false
            diagnostics.error(
                "invalid \(header[position]) '\(fields[position].value)'",
                help: "use one of: " + StateRow.Status.allCases.map(\.rawValue).joined(separator: ", "),
                at: fields[position].location(in: path)
            )
            return .pending
        }
        let index = Int(fields[0].value).flatMap { $0 >= 1 ? $0 : nil }
        if index == nil {
            isValid = false
            diagnostics.error(
                "invalid Index '\(fields[0].value)'",
                help: "write the 1-based job row number",
                at: fields[0].location(in: path)
            )
        }
        let time = fields[11].value
        let timestamp = RFC3339Timestamp(parsing: time)
        if !time.isEmpty, timestamp == nil {
            isValid = false
            diagnostics.error(
                "invalid LastUpdated '\(time)'",
                help: "write an RFC 3339 time such as 2026-11-25T10:00:05Z",
                at: fields[11].location(in: path)
            )
        }
        let row = StateRow(
            index: index ?? 0,
            jobName: fields[1].value,
            directory: fields[2].value,
            tarPath: fields[3].value,
            tarStatus: status(4),
            fileID: fields[5].value,
            uploadStatus: status(6),
            jobID: fields[7].value,
            submitStatus: status(8),
            extraFileIDs: fields[9].value,
            errorMessage: fields[10].value,
            lastUpdated: timestamp
        )
        return isValid ? row : nil
    }
}
