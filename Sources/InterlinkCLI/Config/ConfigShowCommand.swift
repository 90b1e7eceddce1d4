import ArgumentParser
import Foundation
import InterlinkCore
import RescaleAPI

/// `rescale-int config show`: the resolved settings, key masked.
package struct ConfigShowCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the resolved profile, platform and key (masked), and where each comes from.",
        discussion: ExitStatus.helpText([.success, .usage, .configuration])
    )

    @OptionGroup package var connection: ConnectionOptions

    /// Creates the command.
    package init() {}

    package func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let resolved = try RescaleConfiguration.resolve(
            profile: connection.profile,
            insecureHostFlag: connection.insecureApiHost,
            environment: environment
        )
        ProcessRedactor.add(resolved.key.reveal())
        print(ConfigInit.show(resolved, directory: ConfigDirectory(environment: environment)), terminator: "")
    }
}
