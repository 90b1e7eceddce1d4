/// Fits text into a terminal's columns, so that no line of the live board wraps and loses its numbers.
///
/// Widths count characters: the board writes one-column characters only, and names are escaped by the caller.
enum TextFit {
    /// A name shortened in its middle to at most `width` characters: `case_stu…name_017` keeps the end,
    /// where sweeps put their numbers.
    ///
    /// - Parameters:
    ///   - name: The name.
    ///   - width: The most characters (at least 1).
    /// - Returns: The name, or its start and end around `…`.
    static func shorten(_ name: String, to width: Int) -> String {
        guard name.count > width else { return name }
        guard width > 1 else { return "…" }
        let tail = (width - 1) / 2
        let head = width - 1 - tail
        return String(name.prefix(head)) + "…" + String(name.suffix(tail))
    }

    /// A line cut to at most `width` characters, ending in `…` when cut.
    static func truncate(_ line: String, to width: Int) -> String {
        guard line.count > width else { return line }
        guard width > 1 else { return String(line.prefix(max(width, 0))) }
        return String(line.prefix(width - 1)) + "…"
    }

    /// Parts packed into as few lines as fit, joined by `separator`; a part too wide alone is cut.
    ///
    /// - Parameters:
    ///   - parts: The parts, in order.
    ///   - width: The most characters per line.
    ///   - separator: Between parts on one line.
    ///   - continuation: Put before every line after the first.
    /// - Returns: The lines.
    static func flow(_ parts: [String], width: Int, separator: String, continuation: String = "") -> [String] {
        var lines: [String] = []
        var current = ""
        for part in parts {
            if current.isEmpty {
                current = (lines.isEmpty ? "" : continuation) + part
            } else if current.count + separator.count + part.count <= width {
                current += separator + part
            } else {
                lines.append(truncate(current, to: width))
                current = continuation + part
            }
        }
        if !current.isEmpty { lines.append(truncate(current, to: width)) }
        return lines
    }

    /// Text broken at spaces into lines of at most `width` characters.
    static func wrap(_ text: String, width: Int) -> [String] {
        flow(text.split(separator: " ").map(String.init), width: width, separator: " ")
    }
}
