import InterlinkCore

/// Reads the template jobs CSV of `make-dirs-csv` and `scan-files`.
enum TemplateReader {
    /// The template's first data row; its `Directory` may be empty since it is replaced.
    ///
    /// - Parameters:
    ///   - path: The template path as the user gave it.
    ///   - fileSystem: Where to read it.
    /// - Returns: The row and warnings (one when rows after the first are ignored).
    /// - Throws: `CommandFailure` when the file cannot be read or is invalid.
    static func read(_ path: String, in fileSystem: some FileSystem) throws(CommandFailure) -> (
        JobsCSVRow, [Diagnostic]
    ) {
        let contents: String
        do {
            contents = try fileSystem.readText(at: path)
        } catch {
            throw .unreadable(error, role: "template")
        }
        let document: JobsCSV.Document
        do {
            document = try JobsCSV.read(contents: contents, path: path, requiresDirectory: false)
        } catch {
            throw CommandFailure(error)
        }
        guard let first = document.rows.first else {
            throw CommandFailure(
                [.error("template has no job rows", at: SourceLocation(file: path))],
                status: .invalidInput
            )
        }
        var warnings = document.warnings
        if let second = document.rows.dropFirst().first {
            warnings.append(
                .warning(
                    "only the first row of the template is used",
                    help: "a template needs one row; the others are ignored",
                    at: second.origin
                )
            )
        }
        return (first, warnings)
    }
}
