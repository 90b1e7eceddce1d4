extension CommandPattern {
    /// One `{index}` or `{index:0W}` placeholder in a command.
    package struct Placeholder: Hashable, Sendable {
        /// Where it is, as offsets in the command's Unicode scalars.
        package var range: Range<Int>
        /// The zero-padding width; 0 for none.
        package var width: Int
    }

    /// The placeholders in a command.
    ///
    /// `{index}`, or `{index:W}` / `{index:0W}` for a number zero-padded to W digits (W from 1 to 99). Anything
    /// else in braces is left alone.
    ///
    /// - Parameter command: The template command.
    /// - Returns: The placeholders, in order.
    package static func placeholders(in command: String) -> [Placeholder] {
        let scalars = Array(command.unicodeScalars)
        let opening = Array("{index".unicodeScalars)
        var result: [Placeholder] = []
        var i = 0
        while i + opening.count < scalars.count {
            guard Array(scalars[i..<i + opening.count]) == opening else {
                i += 1
                continue
            }
            var j = i + opening.count
            var width = 0
            if scalars[j] == ":" {
                j += 1
                let start = j
                while j < scalars.count, j - start < 3, ("0"..."9").contains(scalars[j]) {
                    width = width * 10 + Int(scalars[j].value - 48)
                    j += 1
                }
                guard j > start, width > 0, width < 100 else {
                    i += 1
                    continue
                }
            }
            guard j < scalars.count, scalars[j] == "}" else {
                i += 1
                continue
            }
            result.append(Placeholder(range: i..<j + 1, width: width))
            i = j + 1
        }
        return result
    }

    /// The command with its placeholders replaced, or nil when it has none.
    ///
    /// - Parameters:
    ///   - command: The template command.
    ///   - index: The job's number.
    /// - Returns: The substituted command, or nil.
    package static func substitutePlaceholders(in command: String, index: Int) -> String? {
        let found = placeholders(in: command)
        guard !found.isEmpty else { return nil }
        var scalars = Array(command.unicodeScalars)
        for placeholder in found.reversed() {
            scalars.replaceSubrange(placeholder.range, with: format(index, width: placeholder.width).unicodeScalars)
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }
}
