/// A strict RFC 4180 reader, the dialect Interlink's CSV files use, that keeps where every field came from.
///
/// Rules: `,` separates fields and `"` quotes them; a doubled quote inside a quoted field is a literal quote;
/// quoted fields may hold commas and newlines (CRLF inside quotes is read as LF); records end at LF, CRLF or a
/// lone CR; empty lines are skipped (a line of spaces is not empty); there are no comments. A leading UTF-8 byte
/// order mark is dropped (Interlink keeps it glued to the first header name and then misses that column).
///
/// Every problem is collected instead of stopping at the first: a `"` inside an unquoted field, a quoted field
/// that never ends, text after a closing quote, and records whose field count differs from the header's.
package enum CSVReader {
    /// Reads a whole CSV text.
    ///
    /// - Parameters:
    ///   - contents: The file's text.
    ///   - path: The file name used in diagnostics.
    /// - Returns: The well-formed records and an error for each malformed one.
    package static func read(_ contents: String, path: String) -> CSVTable {
        var contents = contents
        return contents.withUTF8 { read(bytes: $0, path: path) }
    }

    private static func read(bytes: UnsafeBufferPointer<UInt8>, path: String) -> CSVTable {
        var scanner = Scanner(bytes: bytes, path: path)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { scanner.index = 3 }
        var records: [CSVRecord] = []
        var diagnostics: [Diagnostic] = []
        var expectedCount: Int?
        var isFirstRecordMalformed = false
        while let (record, problem) = scanner.nextRecord() {
            let expected = expectedCount ?? record.fields.count
            if let problem {
                isFirstRecordMalformed = isFirstRecordMalformed || expectedCount == nil
                expectedCount = expected
                diagnostics.append(problem)
            } else if record.fields.count != expected {
                // Point at the first surplus field, or at the last field when some are missing.
                let anchor = record.fields.count > expected ? record.fields[expected] : record.fields.last
                let column = anchor?.column ?? 1
                let line = anchor?.line ?? record.line
                diagnostics.append(
                    .error(
                        "row has \(record.fields.count) \(record.fields.count == 1 ? "field" : "fields") "
                            + "but the header has \(expected)",
                        help: "every row needs exactly \(expected) comma-separated fields; "
                            + "quote fields that contain commas",
                        at: SourceLocation(file: path, line: line, column: column)
                    )
                )
            } else {
                records.append(record)
            }
            expectedCount = expected
        }
        return CSVTable(records: records, diagnostics: diagnostics, isFirstRecordMalformed: isFirstRecordMalformed)
    }

    /// The cursor over the file's UTF-8 bytes.
    ///
    /// Columns count Unicode scalars (bytes that do not continue a multi-byte sequence), and an unquoted field is
    /// taken whole from its bytes, so a plain row costs a scan of its bytes and one string per field.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let path: String
        var index = 0
        var line = 1
        var column = 1

        private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n")
        private static let cr = UInt8(ascii: "\r")

        init(bytes: UnsafeBufferPointer<UInt8>, path: String) {
            self.bytes = bytes
            self.path = path
        }

        private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        private func location(line: Int, column: Int) -> SourceLocation {
            SourceLocation(file: path, line: line, column: column)
        }

        /// Moves past one scalar (all its bytes), counting a line break (LF, CRLF or lone CR) as one step to the
        /// next line.
        private mutating func advance() {
            guard let byte = current else { return }
            index += 1
            if byte == Self.cr || byte == Self.lf {
                if byte == Self.cr, current == Self.lf { index += 1 }
                line += 1
                column = 1
                return
            }
            while let next = current, next & 0xC0 == 0x80 { index += 1 }
            column += 1
        }

        private var atLineBreak: Bool { current == Self.lf || current == Self.cr }

        /// The scalar at the cursor, as text (for messages).
        private var currentScalar: String {
            var end = index + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
        }

        /// Reads the next non-empty record, with the first dialect error it contains; nil at the end.
        mutating func nextRecord() -> (CSVRecord, Diagnostic?)? {
            while atLineBreak { advance() }
            guard current != nil else { return nil }
            let start = line
            var fields: [CSVField] = []
            var problem: Diagnostic?
            while true {
                let (field, fieldProblem) = current == Self.quote ? readQuoted() : readUnquoted()
                fields.append(field)
                problem = problem ?? fieldProblem
                if current == Self.comma {
                    advance()
                    continue
                }
                if atLineBreak { advance() }
                break
            }
            return (CSVRecord(line: start, fields: fields), problem)
        }

        private mutating func readUnquoted() -> (CSVField, Diagnostic?) {
            let (fieldLine, fieldColumn) = (line, column)
            let start = index
            var problem: Diagnostic?
            var scalars = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == Self.comma || byte == Self.lf || byte == Self.cr { break }
                if byte & 0xC0 != 0x80 {
                    if byte == Self.quote, problem == nil {
                        problem = .error(
                            "bare '\"' in an unquoted field",
                            help: "quote the whole field and double the quote inside it, as in \"say \"\"hi\"\"\"",
                            at: location(line: line, column: column + scalars)
                        )
                    }
                    scalars += 1
                }
                index += 1
            }
            column += scalars
            let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            return (CSVField(value: value, line: fieldLine, column: fieldColumn), problem)
        }

        private mutating func readQuoted() -> (CSVField, Diagnostic?) {
            let (fieldLine, fieldColumn) = (line, column)
            advance()
            var text: [UInt8] = []
            while true {
                guard let byte = current else {
                    let problem = Diagnostic.error(
                        "quoted field is never closed",
                        help: "add the closing '\"' at the end of this field",
                        at: location(line: fieldLine, column: fieldColumn)
                    )
                    let value = String(decoding: text, as: UTF8.self)
                    return (CSVField(value: value, line: fieldLine, column: fieldColumn), problem)
                }
                if byte == Self.quote {
                    advance()
                    if current == Self.quote {
                        text.append(Self.quote)
                        advance()
                        continue
                    }
                    break
                }
                let start = index
                advance()
                if byte == Self.cr, index == start + 2 {
                    text.append(Self.lf)  // CRLF inside quotes is read as LF
                } else {
                    text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                }
            }
            let field = CSVField(value: String(decoding: text, as: UTF8.self), line: fieldLine, column: fieldColumn)
            guard current != nil, current != Self.comma, !atLineBreak else { return (field, nil) }
            let problem = Diagnostic.error(
                "unexpected '\(currentScalar)' after the closing quote",
                help: "put the whole field inside the quotes and double any quote inside it",
                at: location(line: line, column: column)
            )
            while current != nil, current != Self.comma, !atLineBreak { advance() }
            return (field, problem)
        }
    }
}
