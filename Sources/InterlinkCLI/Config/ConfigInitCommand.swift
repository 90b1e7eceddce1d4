import ArgumentParser
import Foundation
import InterlinkCore
import RescaleAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `rescale-int config init`: writes a profile, prompting for what the flags do not give.
package struct ConfigInitCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Store the platform URL and API key of a profile (prompts unless flags give them).",
        discussion: ExitStatus.helpText([.success, .usage, .configuration])
    )

    @OptionGroup package var connection: ConnectionOptions

    /// The platform URL.
    @Option(help: "The platform URL, e.g. https://platform.rescale.com (prompted when absent).")
    package var apiUrl: String?

    /// Read the key from standard input.
    @Flag(help: "Read the API key from standard input (for scripts).")
    package var apiKeyStdin = false

    /// Creates the command.
    package init() {}

    package func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let interactive = isatty(STDIN_FILENO) == 1 && !apiKeyStdin
        var url = apiUrl
        if url == nil, interactive {
            print("Platform URL [\(PlatformURL.default)]: ", terminator: "")
            url = readLine().flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 }
        }
        let keyText: String?
        if apiKeyStdin {
            keyText = readLine(strippingNewline: true)
        } else if interactive {
            keyText = getpass("API key (input hidden): ").map { String(cString: $0) }
        } else {
            keyText = nil
        }
        guard let key = keyText.flatMap(APIKey.init) else {
            throw CommandFailure.usage(
                "no api key given",
                help: "pass --api-key-stdin and pipe the key, or run this in a terminal"
            )
        }
        let saved = try ConfigInit.save(
            profile: connection.profile,
            url: url,
            key: key,
            allowInsecureHost: connection.insecureApiHost || environment["RESCALE_INSECURE_API_HOST"] == "1",
            environment: environment
        )
        print(saved)
    }
}

/// The work of `config init` and `config show`, testable without a terminal.
package enum ConfigInit {
    /// Validates and stores a profile.
    ///
    /// - Returns: A line saying what was saved (the key masked).
    /// - Throws: ``ConfigurationError``.
    package static func save(
        profile: String?,
        url: String?,
        key: APIKey,
        allowInsecureHost: Bool,
        environment: [String: String]
    ) throws(ConfigurationError) -> String {
        let name = profile ?? environment["RESCALE_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        try ConfigDirectory.validate(profile: name)
        let platform = try PlatformURL(
            validating: url ?? PlatformURL.default.description,
            allowInsecureHost: allowInsecureHost
        )
        let directory = ConfigDirectory(environment: environment)
        try ProfileStore(directory: directory).save(
            name,
            settings: ProfileSettings(apiBaseURL: platform.description),
            key: key
        )
        return "saved profile '\(name)': \(platform), key \(key.masked), in '\(directory.path)'"
    }

    /// The `config show` text.
    package static func show(_ configuration: RescaleConfiguration, directory: ConfigDirectory) -> String {
        """
        profile:   \(configuration.profile)
        platform:  \(configuration.platform) (from \(configuration.platformSource.rawValue))\
        \(configuration.platform.isAllowListed ? "" : " [not a rescale host: allowed explicitly]")
        api key:   \(configuration.key.masked) (from \(configuration.keySource.rawValue))
        directory: \(directory.path)

        """
    }
}
