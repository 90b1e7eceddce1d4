import Foundation

/// Parses `Retry-After`: integer seconds or an HTTP-date.
package enum RetryAfter {
    /// The wait a `Retry-After` value asks for.
    ///
    /// - Parameters:
    ///   - value: The header value.
    ///   - now: The current wall-clock time, for HTTP-dates.
    /// - Returns: The wait, never negative; nil when the value is neither form.
    package static func parse(_ value: String?, now: Date = Date()) -> Duration? {
        guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text), seconds.isFinite, seconds >= 0 {
            return .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }
}

/// Renders a DRF error body for people.
///
/// The text is `detail`, or every field's messages with nested fields joined by dots, such as
/// `jobanalyses.hardware.coresPerSlot: not allowed`.
package enum ErrorBody {
    /// The largest body shown.
    package static let limit = 1 << 20

    /// One line describing the body; the raw text (up to 1 MiB) when it is not JSON.
    package static func render(_ body: Data) -> String {
        let data = body.prefix(limit)
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var lines: [String] = []
        walk(object, path: "", into: &lines)
        return lines.joined(separator: "; ")
    }

    private static func walk(_ value: Any, path: String, into lines: inout [String]) {
        switch value {
        case let map as [String: Any]:
            for name in map.keys.sorted() {
                let child = path.isEmpty ? name : "\(path).\(name)"
                if let leaf = map[name] {
                    walk(leaf, path: name == "detail" && path.isEmpty ? "" : child, into: &lines)
                }
            }
        case let list as [Any]:
            for item in list { walk(item, path: path, into: &lines) }
        case is NSNull:
            break
        default:
            let text = "\(value)"
            lines.append(path.isEmpty ? text : "\(path): \(text)")
        }
    }
}
