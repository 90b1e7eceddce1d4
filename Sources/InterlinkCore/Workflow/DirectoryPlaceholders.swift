/// The placeholder values of a run directory found by a `directories:` pattern.
package enum DirectoryPlaceholders {
    /// `{dir}` (basename), `{path}` (relative path), `{index}` (1-based position in natural order) and
    /// `{number}` (the last run of digits in the basename, or the index when there is none).
    ///
    /// - Parameters:
    ///   - path: The directory's path relative to the workflow's directory.
    ///   - index: Its 1-based position among the matches.
    /// - Returns: The values by placeholder name.
    package static func variables(path: String, index: Int) -> [String: String] {
        let name = PathName.basename(path)
        return ["dir": name, "path": path, "index": String(index), "number": lastNumber(in: name) ?? String(index)]
    }

    /// The last run of ASCII digits in `name`, without leading zeros (`Run_007` → `7`, `DOE1_Run_5` → `5`).
    package static func lastNumber(in name: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        guard let end = scalars.lastIndex(where: { $0 >= "0" && $0 <= "9" }) else { return nil }
        var start = end
        while start > 0, scalars[start - 1] >= "0", scalars[start - 1] <= "9" { start -= 1 }
        let digits = String(String.UnicodeScalarView(scalars[start...end]))
        return Int(digits).map(String.init) ?? digits
    }
}
