import ArgumentParser
import Foundation
import InterlinkCore
import RescaleAPI

/// `rescale-int config path`: where the config.csv and the profiles are, and whether the config.csv exists.
package struct ConfigPathCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "path",
        abstract: "Show where the config.csv and the profiles live.",
        discussion: ExitStatus.helpText([.success, .usage, .configuration])
    )

    /// One JSON document on stdout.
    @Flag(help: "Print one JSON document instead of text.")
    package var json = false

    /// Creates the command.
    package init() {}

    package func run() async throws {
        let context = CommandContext.current
        let paths = ConfigPaths(
            configFile: context.configSearchPath,
            configFilePresent: context.configPath != nil,
            profileDirectory: ConfigDirectory(environment: context.environment()).path
        )
        print(try json ? JSONOutput.render(paths) : paths.text, terminator: "")
    }
}

/// The `config path` report.
package struct ConfigPaths: Encodable, Sendable {
    /// The config.csv in use (`-c FILE` or the per-user one).
    package var configFile: String
    /// Whether it exists.
    package var configFilePresent: Bool
    /// The profile directory (URL and key per profile).
    package var profileDirectory: String

    /// The text form.
    package var text: String {
        """
        config.csv: \(configFile)\(configFilePresent ? "" : " (not present: defaults)")
        profiles:   \(profileDirectory)

        """
    }
}
