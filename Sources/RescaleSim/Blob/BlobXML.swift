import Foundation
import InterlinkStorage

/// Escaping and the small amount of XML reading the blob service needs (block lists).
enum BlobXML {
    /// One entry of a Put Block List body.
    enum ListEntry: Equatable {
        case latest(String)
        case committed(String)
        case uncommitted(String)
    }

    /// Parses `<BlockList>` with `Latest`, `Committed` and `Uncommitted` children, in document order.
    ///
    /// - Returns: `nil` when the body is not a block list or holds another element.
    static func blockList(_ xml: String) -> [ListEntry]? {
        var rest = Substring(xml)
        if rest.hasPrefix("\u{FEFF}") { rest = rest.dropFirst() }
        if let declaration = rest.range(of: "?>"), rest.trimmingPrefixWhitespace.hasPrefix("<?xml") {
            rest = rest[declaration.upperBound...]
        }
        rest = rest.trimmingPrefixWhitespace
        guard rest.hasPrefix("<BlockList>") else { return nil }
        rest = rest.dropFirst("<BlockList>".count)
        var entries: [ListEntry] = []
        while true {
            rest = rest.trimmingPrefixWhitespace
            if rest.hasPrefix("</BlockList>") {
                return rest.dropFirst("</BlockList>".count).trimmingPrefixWhitespace.isEmpty ? entries : nil
            }
            guard let open = rest.firstIndex(of: "<"), open == rest.startIndex,
                let close = rest.firstIndex(of: ">")
            else { return nil }
            let name = rest[rest.index(after: open)..<close]
            guard let end = rest.range(of: "</\(name)>") else { return nil }
            let value = XMLText.unescape(rest[rest.index(after: close)..<end.lowerBound])
            switch name {
            case "Latest": entries.append(.latest(value))
            case "Committed": entries.append(.committed(value))
            case "Uncommitted": entries.append(.uncommitted(value))
            default: return nil
            }
            rest = rest[end.upperBound...]
        }
    }
}

extension Substring {
    var trimmingPrefixWhitespace: Substring { drop { $0.isWhitespace } }
}

/// Date formats of the blob service: RFC 1123 headers and ISO 8601 SAS times.
enum BlobDates {
    static func rfc1123(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// Parses a SAS time: `YYYY-MM-DD`, `YYYY-MM-DDThh:mmZ`, `YYYY-MM-DDThh:mm:ssZ` or with fractional seconds.
    static func sasTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds], [.withFullDate],
        ] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        // `YYYY-MM-DDThh:mmZ` (seconds omitted) is documented too.
        guard text.hasSuffix("Z"), text.count == 17 else { return nil }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text.dropLast() + ":00Z")
    }
}
