/// A job's maximum run time, kept in hours as the user gave it and sent to Rescale as whole hours.
package struct Walltime: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The longest walltime any input may ask for: 14 days.
    ///
    /// Larger values are almost always seconds given as
    /// hours (an old Interlink bug sent seconds).
    package static let maximumHours: Double = 336

    /// The walltime in hours, possibly fractional (`90m` is 1.5).
    package var hours: Double

    /// Creates a walltime.
    ///
    /// - Parameter hours: The walltime in hours.
    package init(hours: Double) { self.hours = hours }

    /// The value the Rescale API takes: whole hours, rounded up, at least 1.
    package var apiHours: Int {
        guard hours.isFinite, hours > 0 else { return 1 }
        return max(1, Int(hours.rounded(.up)))
    }

    /// Parses `90m`, `2h`, `1d`, `1h30m`, `1:30` (h:mm), or a plain number of hours such as `2` or `0.5`.
    ///
    /// Nil when the text is not a duration.
    ///
    /// - Parameter text: The value as written.
    package init?(parsing text: String) {
        let value = text.trimmingWhitespace()
        guard !value.isEmpty else { return nil }
        if let hours = Double(value), hours.isFinite {
            self.hours = hours
            return
        }
        let clock = value.split(separator: ":", omittingEmptySubsequences: false)
        if clock.count == 2 || clock.count == 3 {
            let numbers = clock.compactMap { Int($0) }.filter { $0 >= 0 }
            guard numbers.count == clock.count else { return nil }
            let seconds = numbers.count == 3 ? numbers[2] : 0
            self.hours = Double(numbers[0]) + Double(numbers[1]) / 60 + Double(seconds) / 3600
            return
        }
        var total = 0.0
        var number = ""
        var sawUnit = false
        for character in value.lowercased() {
            if character.isNumber || character == "." {
                number.append(character)
                continue
            }
            guard let amount = Double(number) else { return nil }
            switch character {
            case "d": total += amount * 24
            case "h": total += amount
            case "m": total += amount / 60
            case "s": total += amount / 3600
            default: return nil
            }
            number = ""
            sawUnit = true
        }
        guard sawUnit, number.isEmpty else { return nil }
        self.hours = total
    }

    /// The shortest exact rendering in hours, such as `2`, `1.5` or `0.25`.
    package var description: String { Self.formatHours(hours) }

    /// Formats hours as the shortest decimal that reads back to the same value (no lossy rounding).
    package static func formatHours(_ hours: Double) -> String {
        if hours == hours.rounded(), abs(hours) < 1e15 { return String(Int(hours)) }
        return "\(hours)"
    }
}

extension String {
    /// The string without leading and trailing Unicode whitespace and newlines.
    package func trimmingWhitespace() -> String {
        // Most values start and end with a visible ASCII character: nothing to trim, no copy.
        if let first = utf8.first, let last = utf8.last, Self.isVisibleASCII(first), Self.isVisibleASCII(last) {
            return self
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        guard let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }

    /// Whether a UTF-8 byte is an ASCII character that is not whitespace (tab to carriage return, space).
    private static func isVisibleASCII(_ byte: UInt8) -> Bool {
        byte < 0x80 && byte != 0x20 && !(0x09...0x0D).contains(byte)
    }
}
