/// Numbers in a template command that change per run directory, and the explicit `{index}` syntax.
///
/// Two ways to make a command vary per job:
/// * **Placeholders** (recommended): `{index}` becomes the job's number, `{index:03}` the number zero-padded to
///   three digits. When a command holds a placeholder, only placeholders are replaced and no number is guessed.
/// * **Detection** (Interlink-compatible): numbers in four shapes (``Shape``) are found, filtered (years, ports,
///   versions, interpreter names, values above 9999), overlaps removed, and every kept number replaced by the
///   job's number.
///
/// Everything works on Unicode scalars, so text before a number may be any language (Interlink mixed byte and
/// character offsets and crashed on `é data_1.txt`). A number is zero-padded to its original width only when
/// it was written with a leading zero (`mesh_001` → `mesh_010`, but `data_10` → `data_5`), where Interlink
/// padded every multi-digit number.
package enum CommandPattern {
    /// The shapes a number is detected in, in the order they are tried.
    package enum Shape: String, Hashable, Sendable, CaseIterable {
        /// `word_12.ext`: a word, `_` or `-`, digits, one extension.
        case fileExtension = "extension"
        /// `Run_335_Fluid_Meas.avg.snc`: a word, `_`/`-`, digits, `_`/`-`, more text.
        case textTail = "text tail"
        /// `run_1`: a word, `_`/`-`, digits, then a word boundary.
        case bare
        /// `file1.txt`, `test001`: letters glued to digits, followed by whitespace, `.` or the end.
        case glued
    }

    /// One number found in a command.
    package struct Detection: Hashable, Sendable {
        /// Which shape found it.
        package var shape: Shape
        /// Where the whole match is, as offsets in the command's Unicode scalars.
        package var range: Range<Int>
        /// The text before the number (`mesh_`).
        package var prefix: String
        /// The digits as written (`001`).
        package var digits: String
        /// The text after the number that belongs to the match (`.cas`); empty for bare and glued numbers.
        package var suffix: String

        /// The whole matched text.
        package var text: String { prefix + digits + suffix }

        /// The number's value.
        package var value: Int { Int(digits.drop { $0 == "0" }.prefix(9)) ?? 0 }

        /// The replacement for job number `index`: padded to the original width when written with a leading
        /// zero.
        package func replacement(for index: Int) -> String {
            prefix + CommandPattern.format(index, width: digits.hasPrefix("0") ? digits.count : 0) + suffix
        }
    }

    /// The command for job number `index`.
    ///
    /// - Parameters:
    ///   - command: The template command.
    ///   - index: The job's number.
    /// - Returns: The command with placeholders, or else detected numbers, replaced.
    package static func iterate(_ command: String, index: Int) -> String {
        if let substituted = substitutePlaceholders(in: command, index: index) { return substituted }
        var scalars = Array(command.unicodeScalars)
        for detection in kept(detect(in: command)).reversed() {
            scalars.replaceSubrange(detection.range, with: detection.replacement(for: index).unicodeScalars)
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    /// The detections that are replaced.
    ///
    /// Sorted by position (longer first at the same start), each kept only when it starts at or after the end of
    /// the previous kept one.
    ///
    /// - Parameter detections: Raw detections, as ``detect(in:)`` returns them.
    /// - Returns: Non-overlapping detections, in order.
    package static func kept(_ detections: [Detection]) -> [Detection] {
        var result: [Detection] = []
        for detection in detections.sorted(by: isBefore) {
            if let last = result.last, detection.range.lowerBound < last.range.upperBound { continue }
            result.append(detection)
        }
        return result
    }

    /// Sort order of detections: by start, then longer first.
    static func isBefore(_ lhs: Detection, _ rhs: Detection) -> Bool {
        if lhs.range.lowerBound != rhs.range.lowerBound { return lhs.range.lowerBound < rhs.range.lowerBound }
        return lhs.range.count > rhs.range.count
    }

    /// `value` in decimal, zero-padded on the left to `width` digits (never truncated).
    static func format(_ value: Int, width: Int) -> String {
        let digits = String(value)
        guard value >= 0, digits.count < width else { return digits }
        return String(repeating: "0", count: width - digits.count) + digits
    }
}
