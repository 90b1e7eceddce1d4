import Foundation
import InterlinkCrypto

/// A Rescale API key that cannot leak by accident: every textual form (`description`, `debugDescription`,
/// reflection, `dump`, string interpolation) shows `<redacted>`.
///
/// The raw value is reachable only through ``authorizationValue`` (for the `Authorization` header) and ``reveal()``
/// (for writing the 0600 key file). Logs, errors and journal records therefore never contain the key.
package struct APIKey: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let secret: String

    /// Wraps a key, trimming surrounding whitespace and newlines (as a key file or prompt may add them).
    ///
    /// - Parameter secret: The key text; nil when it is empty after trimming.
    package init?(_ secret: String) {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        self.secret = trimmed
    }

    /// `Bearer <key>` for a JWT (three `.`-separated segments, the first starting with `ey`), else `Token <key>`
    ///.
    package var authorizationValue: String {
        let segments = secret.split(separator: ".", omittingEmptySubsequences: false)
        let isJWT = segments.count == 3 && segments[0].hasPrefix("ey")
        return (isJWT ? "Bearer " : "Token ") + secret
    }

    /// The first 8 bytes of SHA-256 of the key in hex: names the key's rate-limit buckets without revealing it.
    package var fingerprint: String {
        SHA256.hash(data: Data(secret.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// The key with all but its last four characters hidden (`****wxyz`), for `config show`; short keys show
    /// nothing.
    package var masked: String { secret.count >= 12 ? "****" + secret.suffix(4) : "****" }

    /// The raw key, for the key file only.
    package func reveal() -> String { secret }

    package var description: String { "<redacted>" }
    package var debugDescription: String { "APIKey(<redacted>)" }
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
