import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkHTTP
import Logging
import RescaleAPI

/// `rescale-int config test`: who the key belongs to and which storage uploads go to.
package struct ConfigTestCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Call the platform with the resolved key: show the user and the default storage.",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .configuration])
    )

    @OptionGroup package var connection: ConnectionOptions

    /// Creates the command.
    package init() {}

    package func run() async throws {
        let environment = CommandContext.current.environment()
        let resolved = try RescaleConfiguration.resolve(
            profile: connection.profile,
            insecureHostFlag: connection.insecureApiHost,
            environment: environment
        )
        ProcessRedactor.add(resolved.key.reveal())
        let http = HTTPClient(configuration: HTTPClientFactory.configuration(environment: environment))
        let outcome: Result<String, any Error>
        do {
            let api = try RescaleAPIClient(
                baseURL: resolved.platform.description,
                key: resolved.key,
                allowInsecureHost: resolved.allowInsecureHost,
                http: http,
                limiter: RateLimiter(),
                logger: Logger(label: "rescale-int")
            )
            let profile = try await api.get(UserProfile.self, "/api/v3/users/me/", deadline: .seconds(10))
            outcome = .success(ConfigTest.describe(profile, platform: resolved.platform))
        } catch {
            outcome = .failure(error)
        }
        try await http.shutdown()
        switch outcome {
        case .success(let text):
            print(text, terminator: "")
        case .failure(let error as any UserFacingError):
            throw CommandFailure(error)
        case .failure(let error):
            throw CommandFailure(
                [.error("the platform call failed: \(ErrorText.describe(error))")],
                status: .unavailable
            )
        }
    }
}

/// The `config test` report.
package enum ConfigTest {
    /// Describes the user and the default storage.
    package static func describe(_ profile: UserProfile, platform: PlatformURL) -> String {
        """
        platform: \(platform)
        user:     \(profile.fullName ?? "?") <\(profile.email ?? "?")>
        storage:  \(profile.storageLocation)

        """
    }
}
