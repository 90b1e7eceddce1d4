/// Writes CSV the way Interlink does: `,` separators, LF line endings, no byte order mark, and quotes only
/// around fields that need them.
package enum CSVWriter {
    /// Whether a field must be quoted.
    ///
    /// It must when it contains a comma, a quote, CR or LF, or starts with whitespace (a reader that trims would
    /// otherwise lose it).
    ///
    /// - Parameter field: The field's text.
    /// - Returns: Whether to quote it.
    package static func needsQuotes(_ field: String) -> Bool {
        if field.unicodeScalars.first?.properties.isWhitespace == true { return true }
        return field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
    }

    /// One field as it appears in the file: quoted, with inner quotes doubled, when it needs quotes.
    ///
    /// - Parameter field: The field's text.
    /// - Returns: The field as written.
    package static func encode(_ field: String) -> String {
        guard needsQuotes(field) else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }

    /// One record: the encoded fields joined by commas, ending in LF.
    ///
    /// - Parameter fields: The fields' texts.
    /// - Returns: The line, with its LF.
    package static func line(_ fields: [String]) -> String {
        fields.map(encode).joined(separator: ",") + "\n"
    }

    /// A whole file: one line per record.
    ///
    /// - Parameter records: The records, header first.
    /// - Returns: The file's text.
    package static func render(_ records: [[String]]) -> String {
        records.map(line).joined()
    }
}
