/// Replaces secrets in text to be printed or logged: the known API keys wherever they appear (a server may echo
/// one back in an error body), and the value of any `Authorization: Token …` field whatever it holds.
package struct SecretRedactor: Hashable, Sendable {
    /// What a secret is replaced by.
    package static let mask = "<redacted>"

    /// The secrets, longest first so that a key containing another is replaced whole.
    package private(set) var secrets: [String] = []

    /// Creates a redactor for `secrets` (empty and very short strings are ignored: they would mask ordinary text).
    package init(_ secrets: [String] = []) {
        for secret in secrets { add(secret) }
    }

    /// Adds a secret.
    ///
    /// - Parameter secret: The secret's text; surrounding whitespace is ignored, as it is when keys are read.
    package mutating func add(_ secret: String) {
        let trimmed = secret.trimmingWhitespace()
        guard trimmed.count >= 4, !secrets.contains(trimmed) else { return }
        secrets.append(trimmed)
        secrets.sort { $0.count > $1.count }
    }

    /// `text` with every secret and every `Authorization: Token …` value replaced by ``mask``.
    ///
    /// - Parameter text: Text about to be printed or logged.
    /// - Returns: The text with no secret in it.
    package func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacing(secret, with: Self.mask)
        }
        return Self.redactingTokenFields(result)
    }

    /// Masks the word after `token` in an `authorization` field (`Authorization: Token abc`,
    /// `"authorization": "Token abc"`, `authorization=Token abc`), case-insensitively.
    private static func redactingTokenFields(_ text: String) -> String {
        guard text.lowercased().contains("authorization") else { return text }
        let field = #/(?i)(authorization["']?\s*[:=]\s*["']?(?:token|bearer)\s+)[^\s"',;}]+/#
        return text.replacing(field) { match in String(match.output.1) + Self.mask }
    }
}
