/// One field of a CSV record with where it starts in the file.
package struct CSVField: Hashable, Sendable {
    /// The field's text, unquoted (a doubled quote read as one, CRLF inside quotes read as LF).
    package var value: String
    /// The 1-based physical line the field starts on.
    package var line: Int
    /// The 1-based column (in Unicode scalars) of the field's first character, the opening quote if quoted.
    package var column: Int

    /// Creates a field.
    package init(value: String, line: Int, column: Int) {
        self.value = value
        self.line = line
        self.column = column
    }

    /// The field's location in `file`.
    package func location(in file: String) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }
}

/// One CSV record (a logical row, which may span several physical lines when a quoted field holds newlines).
package struct CSVRecord: Hashable, Sendable {
    /// The 1-based physical line the record starts on.
    package var line: Int
    /// The fields, in order.
    package var fields: [CSVField]

    /// Creates a record.
    package init(line: Int, fields: [CSVField]) {
        self.line = line
        self.fields = fields
    }

    /// The field values, in order.
    package var values: [String] { fields.map(\.value) }

    /// Whether every field is empty after trimming whitespace.
    package var isBlank: Bool { fields.allSatisfy { $0.value.trimmingWhitespace().isEmpty } }

    /// The location of the record's first character in `file`.
    package func location(in file: String) -> SourceLocation {
        SourceLocation(file: file, line: line, column: 1)
    }
}

/// What ``CSVReader`` made of a file: the well-formed records and a diagnostic for every malformed one.
///
/// Records with a dialect error (a bare or unterminated quote, a wrong field count) are left out of
/// ``records`` so that later checks do not report the same row twice.
package struct CSVTable: Hashable, Sendable {
    /// The well-formed records, header first, in file order.
    package var records: [CSVRecord]
    /// One error per malformed record.
    package var diagnostics: [Diagnostic]
    /// Whether the file's first record was malformed (and so is missing from ``records``).
    package var isFirstRecordMalformed: Bool

    /// Creates a table.
    package init(records: [CSVRecord], diagnostics: [Diagnostic], isFirstRecordMalformed: Bool = false) {
        self.records = records
        self.diagnostics = diagnostics
        self.isFirstRecordMalformed = isFirstRecordMalformed
    }

    /// The first record, which the formats read here treat as the header; nil when the file is empty or its first
    /// record is malformed.
    package var header: CSVRecord? { isFirstRecordMalformed ? nil : records.first }

    /// The records after the header.
    package var dataRecords: ArraySlice<CSVRecord> { isFirstRecordMalformed ? records[...] : records.dropFirst() }
}
