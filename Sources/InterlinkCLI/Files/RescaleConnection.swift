import AsyncHTTPClient
import Foundation
import InterlinkCore
import InterlinkSystem
import Logging
import RescaleAPI
import RescalePlatform

/// The Rescale connection of a `files` or `folders` command: one HTTP client, the API client and the platform,
/// resolved from the profile, the environment and the global flags, and shut down when the command ends.
package struct RescaleConnection: Sendable {
    /// The API client.
    package var api: RescaleAPIClient
    /// The platform (uploads, registration, downloads).
    package var platform: RescalePlatform
    /// Folder listings shared by the command's lookups.
    package var folders: FolderCache

    /// Opens a connection, runs `body` with it, and closes it, whether `body` succeeds or throws.
    ///
    /// - Parameters:
    ///   - options: The profile and host flags.
    ///   - body: The command's work.
    /// - Returns: What `body` returns.
    /// - Throws: ``CommandFailure`` (78) for a configuration problem; whatever `body` throws.
    package static func with<Result: Sendable>(
        _ options: ConnectionOptions,
        _ body: (RescaleConnection) async throws -> Result
    ) async throws -> Result {
        let environment = CommandContext.current.environment()
        let resolved: RescaleConfiguration
        do {
            resolved = try RescaleConfiguration.resolve(
                profile: options.profile,
                insecureHostFlag: options.insecureApiHost,
                environment: environment
            )
        } catch {
            throw CommandFailure(error)
        }
        let http = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: HTTPClientFactory.configuration(environment: environment)
        )
        let outcome: Swift.Result<Result, any Error>
        do {
            let logger = Logger(label: "rescale-int")
            let api = try RescaleAPIClient(
                baseURL: resolved.platform.description,
                key: resolved.key,
                allowInsecureHost: resolved.allowInsecureHost,
                http: http,
                limiter: RateLimiter(),
                logger: logger
            )
            let platform = RescalePlatform(
                api: api,
                http: http,
                options: RescalePlatformOptions(environment: environment),
                fileSystem: LocalFileSystem(),
                logger: logger
            )
            outcome = .success(
                try await body(RescaleConnection(api: api, platform: platform, folders: FolderCache(api: api)))
            )
        } catch {
            outcome = .failure(error)
        }
        try? await http.shutdown()
        return try outcome.get()
    }
}
