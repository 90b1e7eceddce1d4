/// `{name}` placeholders in workflow text: matrix axes, `{index}`, and the run-directory variables.
///
/// `{name:0N}` pads a whole-number value with zeros to N digits (`{index:03}` → `007`). A placeholder
/// right after `$` is left alone so shell code such as `${HOME}` survives, and so is any name without a value
/// (the runner fills `{job}` in output destinations later).
package enum Placeholder {
    /// The widest zero padding `{name:0N}` may ask for; wider is refused when the workflow is read.
    package static let maximumWidth = 32

    /// The first zero-padding format in `text` that is not a width from 1 to ``maximumWidth``, as written.
    ///
    /// - Parameter text: A workflow text value.
    /// - Returns: The offending `{name:format}` text, or nil when every padding is usable.
    package static func invalidPadding(in text: String) -> String? {
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let inner = rest[rest.index(after: open)..<close]
            let isShell = open > rest.startIndex && rest[rest.index(before: open)] == "$"
            let parts = inner.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            if !isShell, parts.count == 2, parts[1].hasPrefix("0"), width(of: parts[1]) == nil {
                return String(rest[open...close])
            }
            rest = rest[rest.index(after: close)...]
        }
        return nil
    }

    /// The width a `0N` format asks for, when it is digits only and at most ``maximumWidth``.
    private static func width(of format: Substring) -> Int? {
        guard format.count <= 4, format.allSatisfy({ $0.isASCII && $0.isNumber }), let width = Int(format),
            (1...maximumWidth).contains(width)
        else { return nil }
        return width
    }

    /// Replaces every known placeholder in `text`.
    ///
    /// - Parameters:
    ///   - text: The template.
    ///   - variables: Values by placeholder name.
    /// - Returns: The text with placeholders replaced.
    package static func substitute(_ text: String, with variables: [String: String]) -> String {
        // The UTF-8 view: `contains("{")` on a String would search through Foundation, a third of this call.
        guard !variables.isEmpty, text.utf8.contains(UInt8(ascii: "{")) else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else { break }
            let inner = rest[afterOpen..<close]
            let isShell = result.last == "$"
            if !isShell, let value = value(of: inner, in: variables) {
                result += value
            } else {
                result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return result
    }

    /// The names of the placeholders `text` uses (whether or not they have values), in order of appearance.
    package static func names(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let inner = rest[rest.index(after: open)..<close]
            let name = String(inner.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0])
            let isShell = open > rest.startIndex && rest[rest.index(before: open)] == "$"
            if !isShell, !name.isEmpty, !names.contains(name) { names.append(name) }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    private static func value(of inner: Substring, in variables: [String: String]) -> String? {
        let parts = inner.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let value = variables[String(parts[0])] else { return nil }
        guard parts.count == 2 else { return value }
        let format = parts[1]
        guard format.hasPrefix("0"), let width = width(of: format), let number = Int(value), number >= 0 else {
            return nil
        }
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
