import Foundation
import InterlinkCore
import InterlinkHTTP
import InterlinkSystem
import Logging
import RescaleAPI
import RescalePlatform

/// The Rescale connection of one command (`files`, `folders`, `jobs`, the catalogues, the daemon): one HTTP client,
/// the API client, the platform adapter and a folder cache, resolved from the profile, the environment and the
/// global flags, and shut down when the command ends.
package struct RescaleConnection: Sendable {
    /// The API client.
    package let api: RescaleAPIClient
    /// The platform adapter over the same client (uploads, registration, output listing, decrypting downloads).
    package let platform: RescalePlatform
    /// Folder listings shared by the command's lookups.
    package let folders: FolderCache

    /// Resolves the configuration as `config test` does, runs `body` with a connection, and shuts the HTTP client
    /// down however `body` ends.
    ///
    /// - Parameters:
    ///   - options: The profile and host flags.
    ///   - environment: The environment with the global flags applied (`RESCALE_API_URL`, `RESCALE_API_KEY`, …);
    ///     by default the command's own (``CommandContext``).
    ///   - logger: Where the API client logs.
    ///   - body: The command's work.
    /// - Returns: What `body` returns.
    /// - Throws: ``CommandFailure``: 78 for a configuration problem, the status of any ``UserFacingError`` `body`
    ///   throws, 69 for any other failure of a platform call; `CancellationError` unchanged.
    package static func with<T: Sendable>(
        _ options: ConnectionOptions,
        environment: [String: String]? = nil,
        logger: Logger = Logger(label: "rescale-int"),
        _ body: (RescaleConnection) async throws -> T
    ) async throws -> T {
        let environment = environment ?? CommandContext.current.environment()
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
        let platformOptions = try PlatformChoice.platformOptions(environment: environment)
        let http = HTTPClient(configuration: HTTPClientFactory.configuration(environment: environment))
        let outcome: Result<T, any Error>
        do {
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
                options: platformOptions,
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
        switch outcome {
        case .success(let value): return value
        case .failure(let error as CommandFailure): throw error
        case .failure(let error as CancellationError): throw error
        case .failure(let error as any UserFacingError): throw CommandFailure(error)
        case .failure(let error):
            throw CommandFailure([.error("the platform call failed: \(error)")], status: .unavailable)
        }
    }
}
