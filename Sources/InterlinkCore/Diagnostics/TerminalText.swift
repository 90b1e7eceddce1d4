/// User text made safe to print on a terminal: control characters (escape sequences among them) are shown as
/// escapes instead of acting on the screen.
package enum TerminalText {
    /// Whether `scalar` is a C0 or C1 control character or DEL.
    ///
    /// - Parameter scalar: One Unicode scalar.
    /// - Returns: True for U+0000–U+001F and U+007F–U+009F.
    package static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value)
    }

    /// `text` in single quotes with control characters written as escapes, so that a terminal shows it as is.
    ///
    /// - Parameter text: A user value.
    /// - Returns: The quoted, escaped text.
    package static func quoted(_ text: String) -> String { "'\(escaped(text))'" }

    /// `text` with control characters written as `\n`, `\t`, `\0` or `\u{…}`.
    ///
    /// - Parameter text: A user value.
    /// - Returns: The escaped text.
    package static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\0": result += "\\0"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if isControl(scalar) {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
