/// A small VT100 screen for tests: it consumes the bytes a program writes to a terminal and keeps the grid a
/// user would see.
///
/// It knows what the live board writes and what a terminal does with it: printable characters (a line that
/// reaches the last column wraps when the next character comes, as xterm does), `\n` (the tty's `onlcr` makes it
/// CR LF), `\r`, backspace, and CSI sequences for cursor movement (`A` `B` `C` `D` `G` `H`), erase in display
/// (`J`) and erase in line (`K`). The screen scrolls at the bottom; lines scrolled off are kept in
/// ``scrollback``. Anything else is counted in ``unknownSequences`` so a test can insist there is none.
struct ScreenModel {
    /// Columns.
    let width: Int
    /// Rows.
    let height: Int
    /// The visible grid, row by row.
    private(set) var grid: [[Character]]
    /// Lines that scrolled off the top, oldest first.
    private(set) var scrollback: [String] = []
    /// The cursor's row and column, 0-based.
    private(set) var row = 0
    private(set) var column = 0
    /// How many times a line wrapped because text reached the last column.
    private(set) var wraps = 0
    /// Escape sequences the model does not know.
    private(set) var unknownSequences: [String] = []
    private var pendingWrap = false

    init(width: Int, height: Int = 40) {
        self.width = width
        self.height = height
        grid = Array(repeating: Array(repeating: " ", count: width), count: height)
    }

    /// The visible lines with trailing spaces removed, trailing empty lines dropped.
    var lines: [String] {
        var lines = grid.map(Self.trimmed)
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    private static func trimmed(_ row: [Character]) -> String {
        var row = row[...]
        while row.last == " " { row = row.dropLast() }
        return String(row)
    }

    /// Everything written, scrollback then screen.
    var transcript: [String] { scrollback + lines }

    /// Consumes output.
    mutating func feed(_ text: String) {
        var characters = text.makeIterator()
        while let character = characters.next() {
            switch character {
            case "\u{1B}":
                readEscape(&characters)
            case "\n", "\r\n":
                column = 0
                lineFeed()
            case "\r":
                column = 0
                pendingWrap = false
            case "\u{08}":
                column = max(0, column - 1)
                pendingWrap = false
            default:
                put(character)
            }
        }
    }

    private mutating func put(_ character: Character) {
        if pendingWrap {
            wraps += 1
            column = 0
            lineFeed()
        }
        grid[row][column] = character
        if column == width - 1 {
            pendingWrap = true
        } else {
            column += 1
        }
    }

    private mutating func lineFeed() {
        pendingWrap = false
        if row == height - 1 {
            scrollback.append(Self.trimmed(grid[0]))
            grid.removeFirst()
            grid.append(Array(repeating: " ", count: width))
        } else {
            row += 1
        }
    }

    private mutating func readEscape(_ characters: inout String.Iterator) {
        guard characters.next() == "[" else {
            unknownSequences.append("ESC")
            return
        }
        var parameters = ""
        while let next = characters.next() {
            if next.isNumber || next == ";" || next == "?" {
                parameters.append(next)
                continue
            }
            apply(next, parameters)
            return
        }
    }

    private mutating func apply(_ command: Character, _ parameters: String) {
        let numbers = parameters.split(separator: ";").map { Int($0) ?? 0 }
        let count = max(numbers.first ?? 1, 1)
        pendingWrap = false
        switch command {
        case "A": row = max(0, row - count)
        case "B": row = min(height - 1, row + count)
        case "C": column = min(width - 1, column + count)
        case "D": column = max(0, column - count)
        case "G": column = min(width - 1, count - 1)
        case "H":
            row = min(height - 1, max((numbers.first ?? 1) - 1, 0))
            column = min(width - 1, max((numbers.count > 1 ? numbers[1] : 1) - 1, 0))
        case "J":
            switch numbers.first ?? 0 {
            case 0:
                for index in column..<width { grid[row][index] = " " }
                for below in (row + 1)..<height { grid[below] = Array(repeating: " ", count: width) }
            case 2: grid = Array(repeating: Array(repeating: " ", count: width), count: height)
            default: unknownSequences.append("CSI \(parameters)J")
            }
        case "K":
            switch numbers.first ?? 0 {
            case 0: for index in column..<width { grid[row][index] = " " }
            case 2: grid[row] = Array(repeating: " ", count: width)
            default: unknownSequences.append("CSI \(parameters)K")
            }
        default:
            unknownSequences.append("CSI \(parameters)\(command)")
        }
    }
}
