import InterlinkCore
import InterlinkTestSupport
import Testing

/// The byte scanner of ``CSVReader`` against the reader it replaced, which stepped through the text's Unicode
/// scalars: for random texts made of the characters that matter to the dialect (separators, quotes, every line
/// break, multi-byte scalars), both give the same records, lines, columns and diagnostics.
@Suite struct CSVReaderReferenceTests {
    @Test func theByteScannerReadsEveryTextAsTheScalarReaderDid() {
        let alphabet: [String] = ["a", "b", " ", ",", ",", "\"", "\"", "\n", "\r", "\r\n", "é", "😀", "\u{FEFF}", "#"]
        var random = SplitMix64(state: 0x5eed_c5f)
        var differing: [String] = []
        for round in 0..<3000 {
            let length = Int.random(in: 0...(round % 10 == 0 ? 200 : 40), using: &random)
            var text = (0..<length).map { _ in alphabet.randomElement(using: &random) ?? "" }.joined()
            if round % 7 == 0 { text = "\u{FEFF}" + text }
            if CSVReader.read(text, path: "t.csv") != ScalarCSVReference.read(text, path: "t.csv") {
                differing.append(text)
            }
        }
        #expect(differing.isEmpty, "first texts read differently: \(differing.prefix(3).map { $0.debugDescription })")
    }

    @Test func aScalarAfterAClosingQuoteIsNamedWhole() {
        let table = CSVReader.read("a,b\n\"x\"é,y\n", path: "t.csv")
        #expect(
            table.diagnostics.map(\.description) == [
                "t.csv:2:4: error: unexpected 'é' after the closing quote\n  help: put the whole field inside the "
                    + "quotes and double any quote inside it"
            ]
        )
        #expect(CSVReader.read("h,i\n😀é,\"q\"\n", path: "t.csv").records[1].fields.map(\.column) == [1, 4])
    }
}

/// The scalar-by-scalar reader ``CSVReader`` used before its byte scanner, kept as the reference it must match.
private enum ScalarCSVReference {
    static func read(_ contents: String, path: String) -> CSVTable {
        var scanner = Scanner(scalars: Array(contents.unicodeScalars), path: path)
        if scanner.scalars.first == "\u{FEFF}" { scanner.index = 1 }
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

    /// The cursor over the file's Unicode scalars.
    private struct Scanner {
        let scalars: [Unicode.Scalar]
        let path: String
        var index = 0
        var line = 1
        var column = 1

        init(scalars: [Unicode.Scalar], path: String) {
            self.scalars = scalars
            self.path = path
        }

        private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        private func location(line: Int, column: Int) -> InterlinkCore.SourceLocation {
            SourceLocation(file: path, line: line, column: column)
        }

        /// Moves past one scalar, counting a line break (LF, CRLF or lone CR) as one step to the next line.
        private mutating func advance() {
            guard let scalar = current else { return }
            index += 1
            if scalar == "\r", current == "\n" { index += 1 }
            if scalar == "\r" || scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }

        private var atLineBreak: Bool { current == "\n" || current == "\r" }

        /// Reads the next non-empty record, with the first dialect error it contains; nil at the end.
        mutating func nextRecord() -> (CSVRecord, Diagnostic?)? {
            while atLineBreak { advance() }
            guard current != nil else { return nil }
            let start = line
            var fields: [CSVField] = []
            var problem: Diagnostic?
            while true {
                let (field, fieldProblem) = current == "\"" ? readQuoted() : readUnquoted()
                fields.append(field)
                problem = problem ?? fieldProblem
                if current == "," {
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
            var text = String.UnicodeScalarView()
            var problem: Diagnostic?
            while let scalar = current, scalar != ",", !atLineBreak {
                if scalar == "\"", problem == nil {
                    problem = .error(
                        "bare '\"' in an unquoted field",
                        help: "quote the whole field and double the quote inside it, as in \"say \"\"hi\"\"\"",
                        at: location(line: line, column: column)
                    )
                }
                text.append(scalar)
                advance()
            }
            return (CSVField(value: String(text), line: fieldLine, column: fieldColumn), problem)
        }

        private mutating func readQuoted() -> (CSVField, Diagnostic?) {
            let (fieldLine, fieldColumn) = (line, column)
            advance()
            var text = String.UnicodeScalarView()
            while true {
                guard let scalar = current else {
                    let problem = Diagnostic.error(
                        "quoted field is never closed",
                        help: "add the closing '\"' at the end of this field",
                        at: location(line: fieldLine, column: fieldColumn)
                    )
                    return (CSVField(value: String(text), line: fieldLine, column: fieldColumn), problem)
                }
                if scalar == "\"" {
                    advance()
                    if current == "\"" {
                        text.append("\"")
                        advance()
                        continue
                    }
                    break
                }
                if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" {
                    text.append("\n")
                } else {
                    text.append(scalar)
                }
                advance()
            }
            let field = CSVField(value: String(text), line: fieldLine, column: fieldColumn)
            guard let next = current, next != ",", !atLineBreak else { return (field, nil) }
            let problem = Diagnostic.error(
                "unexpected '\(next)' after the closing quote",
                help: "put the whole field inside the quotes and double any quote inside it",
                at: location(line: line, column: column)
            )
            while current != nil, current != ",", !atLineBreak { advance() }
            return (field, problem)
        }
    }
}
