import InterlinkWeb
import RescaleAPI
import RescalePlatform

/// The `ui` command's Rescale connection: the CLI's ``RescaleConnection``, resolved from the same profile,
/// environment and global flags as every other command, once per use.
struct UIConnection: WebConnection {
    /// The profile and host flags.
    let options: ConnectionOptions
    /// The environment with the global flags applied.
    let environment: [String: String]

    var summary: WebConnectionSummary {
        do {
            let resolved = try RescaleConfiguration.resolve(
                profile: options.profile,
                insecureHostFlag: options.insecureApiHost,
                environment: environment
            )
            return WebConnectionSummary(
                apiURL: resolved.platform.description,
                maskedKey: resolved.key.masked,
                profile: resolved.profile
            )
        } catch {
            return WebConnectionSummary(
                apiURL: environment["RESCALE_API_URL"] ?? PlatformURL.default.description,
                maskedKey: nil,
                profile: options.profile
            )
        }
    }

    func withAPI<T: Sendable>(_ body: (RescaleAPIClient, RescalePlatform) async throws -> T) async throws -> T {
        try await RescaleConnection.with(options, environment: environment) { connection in
            try await body(connection.api, connection.platform)
        }
    }
}
