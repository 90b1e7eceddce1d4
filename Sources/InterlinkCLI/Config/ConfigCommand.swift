import ArgumentParser

/// `rescale-int config`: store, show and test the Rescale connection (profile, platform URL, API key).
package struct ConfigCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Store, show and test the Rescale API connection.",
        discussion: """
            Settings live under $XDG_CONFIG_HOME/rescale-int/ (default ~/.config/rescale-int/), one profile per \
            name; the key file has mode 600. RESCALE_API_KEY, RESCALE_API_URL and RESCALE_PROFILE override them, and \
            --api-url, --api-key and --token-file override those. Interlink's config.csv is read from -c FILE or \
            $XDG_CONFIG_HOME/rescale/config.csv; its api_base_url overrides the profile's URL.

            Examples:
              rescale-int config init
              echo "$KEY" | rescale-int config init --profile eu --api-url https://eu.rescale.com --api-key-stdin
              rescale-int config show --profile eu
              rescale-int config test
              rescale-int config path
            """,
        subcommands: [ConfigInitCommand.self, ConfigShowCommand.self, ConfigTestCommand.self, ConfigPathCommand.self]
    )

    /// Creates the command group.
    package init() {}
}

/// The options every `config` subcommand shares.
package struct ConnectionOptions: ParsableArguments {
    /// The profile name.
    @Option(help: "The profile to use (default: RESCALE_PROFILE, else 'default').")
    package var profile: String?

    /// Whether a platform host off the allow-list is accepted.
    @Flag(help: "Accept a platform host that is not a Rescale region (an emulator or test server).")
    package var insecureApiHost = false

    /// Creates options.
    package init() {}
}
