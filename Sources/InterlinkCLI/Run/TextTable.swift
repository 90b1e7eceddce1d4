import InterlinkCore

/// A plain left-aligned text table: a header, a rule, and rows, columns padded to their widest cell.
///
/// Cells are printed through ``TerminalText/escaped(_:)``, so a name holding an escape sequence shows as text.
package struct TextTable: Hashable, Sendable {
    /// The column titles.
    package var header: [String]
    /// The rows; each has as many cells as the header.
    package var rows: [[String]]

    /// Creates a table.
    package init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The table as text, one line per row, each ending in a newline; the last column is not padded.
    package var rendered: String {
        let all = ([header] + rows).map { $0.map(TerminalText.escaped) }
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: max($0, 1)) }.joined(separator: "  ")
        return ([line(all[0]), rule] + all.dropFirst().map(line)).map { $0 + "\n" }.joined()
    }
}
