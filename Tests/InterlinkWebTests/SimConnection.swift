import Foundation
import InterlinkHTTP
import InterlinkSystem
import InterlinkTestSupport
import InterlinkWeb
import Logging
import RescaleAPI
import RescalePlatform
import RescaleSim
import Testing

/// The UI's connection to an in-process `rescale-sim` over real HTTP: the API client and platform adapter the CLI
/// uses, with the emulator's key.
struct SimConnection: WebConnection {
    static let apiKey = "web-tabs-key-0123456789"
    /// How many times the platform's rate limits the emulator allows.
    static let rateScale: Double = 100

    /// The emulator's base URL.
    var base: String

    var summary: WebConnectionSummary {
        WebConnectionSummary(apiURL: base, maskedKey: "****6789", profile: nil)
    }

    func withAPI<T: Sendable>(_ body: (RescaleAPIClient, RescalePlatform) async throws -> T) async throws -> T {
        let api = try RescaleAPIClient(
            baseURL: base,
            key: try #require(APIKey(Self.apiKey)),
            allowInsecureHost: true,
            http: HTTPClient.shared,
            // The emulator allows the platform's limits times `rateScale` (100, below); the client paces to match,
            // so a test that polls often waits for the emulator's tokens, not the platform's.
            limiter: RateLimiter { scope in
                var limit = scope.defaultLimit
                limit.tokensPerSecond *= Self.rateScale
                return limit
            },
            logger: quietLogger
        )
        let platform = RescalePlatform(
            api: api,
            http: HTTPClient.shared,
            options: RescalePlatformOptions(environment: [:]),
            fileSystem: LocalFileSystem(),
            logger: quietLogger
        )
        return try await body(api, platform)
    }

    /// Runs `body` with an emulator whose statuses advance 1000 times faster than the platform's.
    static func withSim<T: Sendable>(_ body: (SimConnection, RescaleAPIClient) async throws -> T) async throws -> T {
        var configuration = SimConfiguration(users: [.init(apiKey: apiKey)])
        configuration.timeScale = 1000
        configuration.rateScale = rateScale
        let server = SimServer(configuration: configuration)
        return try await server.run(logger: quietLogger) { base in
            let connection = SimConnection(base: base)
            return try await connection.withAPI { api, _ in try await body(connection, api) }
        }
    }
}

/// A job body running `command` (the emulator runs it in a shell).
func shellJob(named name: String, command: String) -> JobCreateBody {
    var body = SubmitPacing.trivialJob(named: name)
    body.jobanalyses[0].command = command
    return body
}

/// A JSON object from a reply body.
func object(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}
