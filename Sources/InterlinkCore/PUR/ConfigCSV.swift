/// Interlink's config.csv: two columns, `key,value`.
///
/// Compatible with Interlink's files, but never silent: ragged rows and `include_pattern` together with
/// `exclude_pattern` are located errors (nothing runs on such a config); numbers that do not parse, worker counts
/// below 1, unknown compression or proxy modes and unknown keys are located warnings, and the setting keeps its
/// default.
/// `api_key` and `proxy_password` are ignored with a warning: secrets come from the environment or files.
package enum ConfigCSV {
    /// Reads a config.csv.
    ///
    /// - Parameters:
    ///   - contents: The file's text.
    ///   - path: The file name used in diagnostics.
    /// - Returns: The configuration and its warnings.
    /// - Throws: `DiagnosticsError` with every problem (and warnings) when any is an error.
    package static func parse(contents: String, path: String) throws(DiagnosticsError) -> (PURConfig, [Diagnostic]) {
        var diagnostics = DiagnosticCollector()
        let table = CSVReader.read(contents, path: path)
        diagnostics.append(contentsOf: table.diagnostics)
        var config = PURConfig()
        var reader = EntryReader(path: path)
        var patterns: [String: CSVField] = [:]
        for (position, record) in table.records.enumerated() {
            let key = record.fields[0].value.trimmingWhitespace().lowercased()
            if position == 0, key == "key" { continue }
            guard record.fields.count >= 2 else {
                diagnostics.warning(
                    "row has no value and is ignored",
                    help: "write each setting as key,value",
                    at: record.location(in: path)
                )
                continue
            }
            let value = record.fields[1]
            if key == "include_pattern" || key == "exclude_pattern", !value.value.trimmingWhitespace().isEmpty {
                patterns[key] = value
            }
            reader.apply(key: key, keyField: record.fields[0], value: value, to: &config)
        }
        if let include = patterns["include_pattern"], patterns["exclude_pattern"] != nil {
            diagnostics.error(
                "include_pattern and exclude_pattern are both set",
                help: "keep only one of them: include_pattern archives only matching files",
                at: include.location(in: path)
            )
        }
        diagnostics.append(contentsOf: reader.diagnostics.diagnostics)
        var ordered = DiagnosticCollector()
        ordered.append(contentsOf: inFileOrder(diagnostics.diagnostics))
        try ordered.check()
        return (config, ordered.diagnostics)
    }

    /// The diagnostics sorted by location, ties kept in the order found.
    private static func inFileOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { lhs, rhs in
            let left = lhs.element.location ?? SourceLocation(file: "")
            let right = rhs.element.location ?? SourceLocation(file: "")
            return left == right ? lhs.offset < rhs.offset : left < right
        }.map(\.element)
    }
}
