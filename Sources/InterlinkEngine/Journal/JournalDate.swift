import Foundation
import InterlinkCore

/// Fast ISO-8601 date coding for journal lines (`2026-04-03T10:30:01Z`, what `JSONEncoder`'s `.iso8601` writes):
/// replaying 100,000 records through `ISO8601DateFormatter` costs more than parsing the JSON.
enum JournalDate {
    /// Parses RFC 3339 with seconds precision (`YYYY-MM-DDTHH:MM:SSZ` or a `±HH:MM` offset; a fraction is
    /// dropped); falls back to Foundation for any other ISO-8601 form.
    static func parse(_ text: String) -> Date? {
        if let timestamp = RFC3339Timestamp(parsing: text) {
            return Date(timeIntervalSince1970: Double(timestamp.secondsSince1970))
        }
        return ISO8601DateFormatter().date(from: text)
    }

    /// The decoding strategy journal readers use.
    static let decodingStrategy = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid date '\(text)'")
        }
        return date
    }
}
