extension JobsCSV {
    /// Writes rows as a jobs CSV Interlink can read.
    ///
    /// The header is the canonical 19 columns of Interlink, plus `InputFiles` only when some row has
    /// an explicit file list. Walltime is written in its shortest exact form (`2`, `2.04`, `0.25`), never
    /// rounded to one decimal as Interlink does; booleans as `true`/`false`, `Submit` as `yes`/`no`,
    /// `LicenseSettings` as a compact JSON object with sorted keys. LF line endings, no byte order mark.
    ///
    /// - Parameter rows: The rows; their values must be clean (as ``read(contents:path:requiresDirectory:)``
    ///   produces them) for the file to read back equal.
    /// - Returns: The file's text.
    package static func render(_ rows: [JobsCSVRow]) -> String {
        let hasFiles = rows.contains { $0.inputFiles?.isEmpty == false }
        let columns = hasFiles ? JobsCSVColumn.canonical + [.inputFiles] : JobsCSVColumn.canonical
        var records = [columns.map(\.rawValue)]
        for row in rows {
            records.append(columns.map { row.text(for: $0) })
        }
        return CSVWriter.render(records)
    }
}

extension JobsCSVRow {
    /// The text written for one column.
    ///
    /// - Parameter column: The column.
    /// - Returns: The field's text, before CSV quoting.
    package func text(for column: JobsCSVColumn) -> String {
        switch column {
        case .directory: directory
        case .jobName: jobName
        case .analysisCode: analysisCode
        case .analysisVersion: analysisVersion
        case .command: command
        case .coreType: coreType
        case .coresPerSlot: String(coresPerSlot)
        case .walltimeHours: Walltime.formatHours(walltimeHours)
        case .slots: String(slots)
        case .licenseSettings:
            licenseSettings.isEmpty ? "" : JSONValue.object(licenseSettings.mapValues { .string($0) }).compactJSON
        case .extraInputFileIDs: extraInputFileIDs.joined(separator: ",")
        case .onDemandLicenseSeller: onDemandLicenseSeller
        case .projectID: projectID
        case .orgCode: orgCode
        case .tags: tags.joined(separator: ",")
        case .noDecompress: noDecompress ? "true" : "false"
        case .isLowPriority: isLowPriority ? "true" : "false"
        case .submit: submit == .submit ? "yes" : "no"
        case .tarSubpath: tarSubpath
        case .inputFiles: inputFiles?.joined(separator: ";") ?? ""
        }
    }
}
