/// An instant written as RFC 3339 with seconds precision, as Interlink's state file has it:
/// `2026-11-25T10:00:05Z` or `2026-11-25T11:00:05+01:00`.
package struct RFC3339Timestamp: Hashable, Sendable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    package var secondsSince1970: Int64
    /// The offset from UTC the time is written in, in seconds (0 writes `Z`).
    package var utcOffsetSeconds: Int

    /// Creates a timestamp.
    ///
    /// - Parameters:
    ///   - secondsSince1970: Whole seconds since the Unix epoch.
    ///   - utcOffsetSeconds: The offset to write it in; a multiple of 60 between -24 h and +24 h.
    package init(secondsSince1970: Int64, utcOffsetSeconds: Int = 0) {
        self.secondsSince1970 = secondsSince1970
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; a fraction is dropped.
    ///
    /// Fails (returns nil) when the text is not RFC 3339.
    ///
    /// - Parameter text: The text.
    package init?(parsing text: String) {
        let s = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= s.count, range.allSatisfy({ s[$0] >= 48 && s[$0] <= 57 }) else { return nil }
            return range.reduce(0) { $0 * 10 + Int(s[$1] - 48) }
        }
        guard s.count >= 20, s[4] == 45, s[7] == 45, s[10] == 84 || s[10] == 116, s[13] == 58, s[16] == 58,
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        if s[i] == 46 {
            i += 1
            let start = i
            while i < s.count, s[i] >= 48, s[i] <= 57 { i += 1 }
            guard i > start else { return nil }
        }
        guard i < s.count else { return nil }
        var offset = 0
        if s[i] == 90 || s[i] == 122 {
            guard i + 1 == s.count else { return nil }
        } else {
            guard s[i] == 43 || s[i] == 45, i + 6 == s.count, s[i + 3] == 58,
                let hours = number(i + 1..<i + 3), let minutes = number(i + 4..<i + 6), hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 3600 + minutes * 60) * (s[i] == 45 ? -1 : 1)
        }
        let days = Self.daysSince1970(year: year, month: month, day: day)
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.init(secondsSince1970: local - Int64(offset), utcOffsetSeconds: offset)
    }

    package var description: String {
        let local = secondsSince1970 + Int64(utcOffsetSeconds)
        let days = Int((local - ((local % 86_400) + 86_400) % 86_400) / 86_400)
        let secondOfDay = Int(local - Int64(days) * 86_400)
        let (year, month, day) = Self.civilDate(daysSince1970: days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        guard utcOffsetSeconds != 0 else { return text + "Z" }
        let magnitude = abs(utcOffsetSeconds)
        return text + (utcOffsetSeconds < 0 ? "-" : "+") + pad(magnitude / 3600, 2) + ":" + pad(magnitude / 60 % 60, 2)
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day number (Howard Hinnant's civil_from_days).
    private static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
