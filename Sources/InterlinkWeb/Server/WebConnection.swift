import RescaleAPI
import RescalePlatform

/// The Rescale connection as the `ui` command resolved it: what the page may see of it, and the CLI's API
/// client for the handlers that call the platform.
///
/// The `ui` command implements it with the CLI's own `RescaleConnection`, so the UI talks to Rescale exactly as
/// the `jobs`, `files` and `folders` commands do.
package protocol WebConnection: Sendable {
    /// The settings the page may show: the URL, where the key came from, and the key masked.
    var summary: WebConnectionSummary { get }

    /// Runs `body` with the API client and the platform adapter, resolved as `config test` resolves them.
    ///
    /// - Parameter body: The handler's work.
    /// - Returns: What `body` returns.
    /// - Throws: The configuration problem (no key, bad URL) or what `body` throws.
    func withAPI<T: Sendable>(_ body: (RescaleAPIClient, RescalePlatform) async throws -> T) async throws -> T
}

/// What the page may see of the connection; the key appears only masked.
package struct WebConnectionSummary: Sendable, Codable, Hashable {
    /// The platform URL.
    package var apiURL: String
    /// The key with all but its last four characters hidden (`APIKey.masked`), or nil when no key is set.
    package var maskedKey: String?
    /// The profile in use, when one was chosen.
    package var profile: String?

    /// Creates a summary.
    ///
    /// - Parameters:
    ///   - apiURL: The platform URL.
    ///   - maskedKey: The key as `APIKey.masked` shows it, or nil when none is set.
    ///   - profile: The profile in use.
    package init(apiURL: String, maskedKey: String?, profile: String?) {
        self.apiURL = apiURL
        self.maskedKey = maskedKey
        self.profile = profile
    }
}
