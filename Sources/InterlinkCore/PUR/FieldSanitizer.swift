/// The cleaning Interlink applies to jobs-CSV values before it uses them, minus its defects.
package enum FieldSanitizer {
    /// The invisible code points deleted everywhere.
    ///
    /// Zero-width space, non-joiner and joiner, byte order mark, soft hyphen, word joiner and Mongolian vowel
    /// separator: they sneak in when values are pasted from web pages or office documents.
    package static let invisibleScalars: Set<Unicode.Scalar> = [
        "\u{200B}", "\u{200C}", "\u{200D}", "\u{FEFF}", "\u{00AD}", "\u{2060}", "\u{180E}",
    ]

    /// Field clean: deletes the invisible code points, then trims Unicode whitespace (inner spacing is kept).
    ///
    /// - Parameter value: The raw field.
    /// - Returns: The cleaned field.
    package static func clean(_ value: String) -> String {
        // Every invisible code point is outside ASCII: an ASCII value (most values) has none to delete.
        if value.utf8.allSatisfy({ $0 < 0x80 }) { return value.trimmingWhitespace() }
        return removingInvisible(value).trimmingWhitespace()
    }

    /// Command clean: CRLF and lone CR become LF, invisible code points are deleted and the ends are trimmed.
    ///
    /// Unlike Interlink, spacing is never changed (its cleaning collapsed runs of spaces even inside quoted
    /// strings, so `echo "a  b"` printed `a b`).
    ///
    /// - Parameter value: The raw command.
    /// - Returns: The command as it will run.
    package static func cleanCommand(_ value: String) -> String {
        // An ASCII command without a CR has nothing to delete or rewrite: only its ends are trimmed.
        if value.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\r") }) { return value.trimmingWhitespace() }
        var scalars = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in value.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            if scalar == "\n", previousWasCR { continue }
            if invisibleScalars.contains(scalar) { continue }
            scalars.append(scalar == "\r" ? "\n" : scalar)
        }
        return String(scalars).trimmingWhitespace()
    }

    /// Trim: Unicode whitespace removed from both ends only.
    ///
    /// - Parameter value: The raw field.
    /// - Returns: The trimmed field.
    package static func trim(_ value: String) -> String { value.trimmingWhitespace() }

    private static func removingInvisible(_ value: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: value.unicodeScalars.filter { !invisibleScalars.contains($0) })
        return String(scalars)
    }
}
