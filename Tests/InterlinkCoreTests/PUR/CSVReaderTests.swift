import InterlinkCore
import Testing

@Suite struct CSVReaderTests {
    @Test func readsQuotedFieldsWithCommasQuotesAndNewlines() throws {
        let table = CSVReader.read("a,b,c\n\"x,y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\nlast,,\n", path: "t.csv")
        #expect(table.diagnostics.isEmpty)
        #expect(
            table.records.map(\.values) == [["a", "b", "c"], ["x,y", "say \"hi\"", "two\nlines"], ["last", "", ""]]
        )
        #expect(table.records.map(\.line) == [1, 2, 4])
    }

    @Test func keepsEachFieldsLineAndColumn() throws {
        let table = CSVReader.read("h1,h2\n\"multi\nline\",é,x\n", path: "t.csv")
        let record = try #require(table.records.first)
        #expect(record.fields.map(\.column) == [1, 4])
        let diagnostic = try #require(table.diagnostics.first)
        #expect(diagnostic.location == SourceLocation(file: "t.csv", line: 3, column: 9))
    }

    @Test func skipsEmptyLinesButNotLinesOfSpaces() {
        let table = CSVReader.read("a\n\n\r\nb\n   \n", path: "t.csv")
        #expect(table.records.map(\.values) == [["a"], ["b"], ["   "]])
        #expect(table.records.map(\.line) == [1, 4, 5])
    }

    @Test func treatsHashLinesAsData() {
        #expect(CSVReader.read("a\n# not a comment\n", path: "t.csv").records.count == 2)
    }

    @Test func dropsAByteOrderMark() {
        let table = CSVReader.read("\u{FEFF}Directory,JobName\nx,y\n", path: "t.csv")
        #expect(table.header?.values == ["Directory", "JobName"])
        #expect(table.header?.fields.first?.column == 1)
    }

    @Test func reportsEveryDialectErrorAndKeepsTheGoodRecords() {
        let text = "a,b\n1,x\"y\n2,3,4\n\"ok\",5\n6,\"open\n"
        let table = CSVReader.read(text, path: "t.csv")
        #expect(table.records.map(\.values) == [["a", "b"], ["ok", "5"]])
        #expect(
            table.diagnostics.map(\.description) == [
                "t.csv:2:4: error: bare '\"' in an unquoted field\n  help: quote the whole field and double the quote "
                    + "inside it, as in \"say \"\"hi\"\"\"",
                "t.csv:3:5: error: row has 3 fields but the header has 2\n  help: every row needs exactly 2 "
                    + "comma-separated fields; quote fields that contain commas",
                "t.csv:5:3: error: quoted field is never closed\n  help: add the closing '\"' at the end of this field",
            ]
        )
    }

    @Test func leadingSpaceMakesAQuoteBare() {
        let table = CSVReader.read("a,b\n1, \"x\"\n", path: "t.csv")
        #expect(table.diagnostics.first?.location == SourceLocation(file: "t.csv", line: 2, column: 4))
    }

    @Test func lineAfterAMultilineFieldHasItsPhysicalNumber() {
        let table = CSVReader.read("a,b\n\"1\n2\n3\",x\ny,z\n", path: "t.csv")
        #expect(table.records.map(\.line) == [1, 2, 5])
    }

    @Test func writerQuotesOnlyWhenNeeded() {
        #expect(
            CSVWriter.line(["plain", "a,b", "say \"hi\"", " lead", "two\nlines", ""])
                == "plain,\"a,b\",\"say \"\"hi\"\"\",\" lead\",\"two\nlines\",\n"
        )
    }

    @Test func writtenFieldsReadBackUnchanged() {
        let fields = ["x,y", "\"q\"", " space", "line\nbreak", "é ü", "trailing "]
        let table = CSVReader.read(CSVWriter.render([fields]), path: "t.csv")
        #expect(table.records.map(\.values) == [fields])
    }
}
