import Foundation
import InterlinkCore
import RescaleAPI

/// How the read commands print platform records: `--json` as one JSON document with the platform's own field
/// names, otherwise a table.
package enum RecordOutput {
    /// The value as one pretty-printed JSON document with sorted keys, ending in a newline.
    package static func json(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = (try? encoder.encode(RawJSON(value))) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Writes text to stdout.
    package static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes a line to stderr.
    package static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A record's string field, or a number or Boolean as text, or `-` when absent or null.
    package static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: text.isEmpty ? "-" : text
        case .number?: value?.int.map(String.init) ?? "\(value?.number ?? 0)"
        case .bool(let flag)?: flag ? "yes" : "no"
        default: "-"
        }
    }

    /// A byte count for people: `512 B`, `1.5 KiB`, `3.2 MiB`, `1.0 GiB`.
    package static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}
