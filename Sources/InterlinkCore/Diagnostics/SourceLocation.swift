/// A position in a user's file, 1-based, rendered like a compiler does: `jobs.csv:12:5`.
package struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The path as the user named it (relative paths stay relative so messages stay short).
    package var file: String
    /// The 1-based line number; 0 means the whole file.
    package var line: Int
    /// The 1-based column, when known.
    package var column: Int?

    /// Creates a location.
    ///
    /// - Parameters:
    ///   - file: The path as the user named it.
    ///   - line: The 1-based line, or 0 for "the whole file".
    ///   - column: The 1-based column, when known.
    package init(file: String, line: Int = 0, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    package var description: String {
        guard line > 0 else { return file }
        guard let column else { return "\(file):\(line)" }
        return "\(file):\(line):\(column)"
    }

    package static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column ?? 0) < (rhs.file, rhs.line, rhs.column ?? 0)
    }
}
