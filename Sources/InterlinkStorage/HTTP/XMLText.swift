import Foundation

/// Just enough XML reading for S3 and Azure responses: the text of flat elements, entities decoded.
///
/// The responses we read (`UploadId`, `ListPartsResult`, `BlockList`, `Error`) are flat, machine-written documents;
/// a full parser would add a libxml2 dependency for no benefit.
package enum XMLText {
    /// The text of every `<name>…</name>` element, in document order.
    ///
    /// - Parameters:
    ///   - name: The element name, matched exactly.
    ///   - xml: The document.
    /// - Returns: Each element's inner text with entities decoded.
    package static func values(of name: String, in xml: Substring) -> [String] {
        var results: [String] = []
        var rest = xml[...]
        let open = "<\(name)>"
        let close = "</\(name)>"
        while let start = rest.range(of: open), let end = rest[start.upperBound...].range(of: close) {
            results.append(unescape(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return results
    }

    /// The text of the first `<name>…</name>` element.
    package static func value(of name: String, in xml: Substring) -> String? {
        values(of: name, in: xml).first
    }

    /// The raw inner XML of every `<name>…</name>` element, for records such as `<Part>`.
    package static func elements(named name: String, in xml: Substring) -> [Substring] {
        var results: [Substring] = []
        var rest = xml[...]
        while let start = rest.range(of: "<\(name)>"), let end = rest[start.upperBound...].range(of: "</\(name)>") {
            results.append(rest[start.upperBound..<end.lowerBound])
            rest = rest[end.upperBound...]
        }
        return results
    }

    /// Escapes text for an element body or an attribute value.
    ///
    /// - Parameter text: The raw text.
    /// - Returns: The text with `&`, `<`, `>`, `"` and `'` written as entities.
    package static func escape(_ text: String) -> String {
        var output = ""
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            default: output.append(character)
            }
        }
        return output
    }

    /// Decodes the five predefined entities and `&#34;` in an element's text.
    ///
    /// - Parameter text: Text as it stands in the document.
    /// - Returns: The text with entities replaced; `&amp;` last, so `&amp;lt;` reads as `&lt;`.
    package static func unescape(_ text: some StringProtocol) -> String {
        guard text.contains("&") else { return String(text) }
        return String(text)
            .replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&#34;", with: "\"")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
