import AsyncHTTPClient
import Foundation
import InterlinkCore
import InterlinkSystem
import Logging
import RescaleAPI
import RescalePlatform

/// One command's way to the Rescale API: the resolved profile, the process's single HTTP client, the API client
/// and the platform adapter (for output listing, credentials and decrypting downloads).
package struct RescaleConnection: Sendable {
    /// The API client.
    package let api: RescaleAPIClient
    /// The platform adapter over the same client.
    package let platform: RescalePlatform

    /// Resolves the configuration as `config test` does, runs `body` with a connection, and shuts the HTTP client
    /// down however `body` ends.
    ///
    /// - Parameters:
    ///   - connection: The profile and host flags.
    ///   - environment: The process environment (`RESCALE_API_URL`, `RESCALE_API_KEY`, `RESCALE_PROFILE` …).
    ///   - logger: Where the API client logs.
    ///   - body: The command's work.
    /// - Returns: What `body` returns.
    /// - Throws: ``CommandFailure``: 78 for a configuration problem, the status of any ``UserFacingError`` `body`
    ///   throws, 69 for any other failure of a platform call; `CancellationError` unchanged.
    package static func with<T: Sendable>(
        _ connection: ConnectionOptions,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "rescale-int"),
        _ body: (RescaleConnection) async throws -> T
    ) async throws -> T {
        let resolved: RescaleConfiguration
        do {
            resolved = try RescaleConfiguration.resolve(
                profile: connection.profile,
                insecureHostFlag: connection.insecureApiHost,
                environment: environment
            )
        } catch {
            throw CommandFailure(error)
        }
        let http = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: HTTPClientFactory.configuration(environment: environment)
        )
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
                options: RescalePlatformOptions(environment: environment),
                fileSystem: LocalFileSystem(),
                logger: logger
            )
            outcome = .success(try await body(RescaleConnection(api: api, platform: platform)))
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
