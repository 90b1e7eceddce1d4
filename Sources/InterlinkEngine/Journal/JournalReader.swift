import Foundation

/// Parses a journal file's bytes: complete lines are records, a torn last line is dropped, a bad middle line is
/// an error naming its line number.
package enum JournalReader {
    /// What reading found.
    package struct Contents: Sendable {
        /// The records, in file order.
        package var records: [JournalRecord]
        /// The byte length of the valid prefix; anything after it (a torn last line) is to be truncated.
        package var validLength: Int
    }

    /// A decoder configured for journal records.
    package static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Parses journal bytes.
    ///
    /// - Throws: `JournalError` with ``JournalError/Reason/corruptLine(line:detail:)`` when a line other than the
    ///   last does not decode.
    package static func parse(_ data: Data, path: String) throws(JournalError) -> Contents {
        let decoder = makeDecoder()
        var records: [JournalRecord] = []
        records.reserveCapacity(data.count / 160)
        var validLength = 0
        var lineNumber = 0
        var lineStart = data.startIndex
        while lineStart < data.endIndex {
            lineNumber += 1
            // A last line without its newline was never acknowledged (torn write): drop it.
            guard let newline = data[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            let line = data[lineStart..<newline]
            do {
                if !line.isEmpty { records.append(try decoder.decode(JournalRecord.self, from: line)) }
            } catch {
                // A bad final line is torn too; anything earlier is corruption the user must see.
                guard newline + 1 >= data.endIndex else {
                    throw JournalError(.corruptLine(line: lineNumber, detail: Self.describe(error)), path: path)
                }
                break
            }
            validLength = newline + 1 - data.startIndex
            lineStart = newline + 1
        }
        return Contents(records: records, validLength: validLength)
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription.lowercased() }
        if case DecodingError.keyNotFound(let key, _) = error { return "missing field '\(key.stringValue)'" }
        return "\(error)".lowercased()
    }
}
