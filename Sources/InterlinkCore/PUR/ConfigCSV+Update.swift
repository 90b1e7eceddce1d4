extension ConfigCSV {
    /// A config.csv with some settings replaced, every other line kept as written.
    ///
    /// A row whose key (case-insensitive) is being set gets the new value in its second cell (later cells are
    /// dropped); settings with no row are appended in the order given. An empty text starts with the `key,value`
    /// header. Values must not hold a comma or a line break (the caller checks them).
    ///
    /// - Parameters:
    ///   - text: The current file's text, or "" when there is none.
    ///   - values: The settings to write, by Interlink's key names, such as `("tar_workers", "8")`.
    /// - Returns: The new text, ending with a line break.
    package static func updating(_ text: String, with values: [(key: String, value: String)]) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        if lines.isEmpty { lines = ["key,value"] }
        var pending = values
        for index in lines.indices {
            let cells = lines[index].split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(cells[0]).trimmingWhitespace().lowercased()
            guard let position = pending.firstIndex(where: { $0.key.lowercased() == key }) else { continue }
            lines[index] = "\(cells[0]),\(pending[position].value)"
            pending.remove(at: position)
        }
        lines += pending.map { "\($0.key),\($0.value)" }
        return lines.joined(separator: "\n") + "\n"
    }
}
