import ArgumentParser
import Foundation
import InterlinkCore
import RescaleAPI

/// `rescale-int config show`: the resolved settings, key masked, each with where it comes from; works with no key.
package struct ConfigShowCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the resolved profile, platform, key (masked) and config.csv, and where each comes from.",
        discussion: ExitStatus.helpText([.success, .usage, .configuration])
    )

    @OptionGroup package var connection: ConnectionOptions

    /// One JSON document on stdout.
    @Flag(help: "Print one JSON document instead of text.")
    package var json = false

    /// Creates the command.
    package init() {}

    package func run() async throws {
        let summary = try ConfigSummary.resolve(
            context: CommandContext.current,
            profile: connection.profile,
            insecureHostFlag: connection.insecureApiHost,
            environment: ProcessInfo.processInfo.environment
        )
        print(try json ? JSONOutput.render(summary) : summary.text, terminator: "")
    }
}

/// What `config show` reports: every setting and its source; the key masked, or absent when none is set.
package struct ConfigSummary: Encodable, Sendable {
    /// A value and where it came from.
    package struct Sourced: Encodable, Sendable {
        /// The value (a key is masked).
        package var value: String
        /// `--api-url`, `--api-key`, `--token-file`, `config.csv`, `environment`, `profile` or `default`.
        package var source: String
    }

    /// The profile name.
    package var profile: String
    /// The platform URL.
    package var platform: Sourced
    /// The masked key; nil when none is set.
    package var apiKey: Sourced?
    /// The profile directory.
    package var directory: String
    /// The config.csv looked for.
    package var configFile: String
    /// Whether it exists (else the defaults apply).
    package var configFilePresent: Bool
    /// The config.csv settings in force, by Interlink's key names.
    package var settings: [String: String]

    /// Resolves the summary; a missing key is reported, not thrown.
    ///
    /// - Throws: ``ConfigurationError`` for a refused URL, a bad profile or an open key file.
    package static func resolve(
        context: CommandContext,
        profile: String?,
        insecureHostFlag: Bool,
        environment base: [String: String]
    ) throws(ConfigurationError) -> ConfigSummary {
        let environment = context.environment(base)
        let (resolved, hasKey) = try RescaleConfiguration.resolveAllowingNoKey(
            profile: profile,
            insecureHostFlag: insecureHostFlag,
            environment: environment
        )
        if hasKey { ProcessRedactor.add(resolved.key.reveal()) }
        let config = context.config
        return ConfigSummary(
            profile: resolved.profile,
            platform: Sourced(
                value: resolved.platform.description,
                source: context.urlSource(base)?.rawValue ?? resolved.platformSource.rawValue
            ),
            apiKey: hasKey
                ? Sourced(
                    value: resolved.key.masked,
                    source: context.keySource?.rawValue ?? resolved.keySource.rawValue
                )
                : nil,
            directory: ConfigDirectory(environment: environment).path,
            configFile: context.configSearchPath,
            configFilePresent: context.configPath != nil,
            settings: [
                "tar_workers": "\(config.tarWorkers)", "upload_workers": "\(config.uploadWorkers)",
                "job_workers": "\(config.jobWorkers)", "tar_compression": config.compression.rawValue,
                "include_pattern": config.includePatterns.joined(separator: ";"),
                "exclude_pattern": config.excludePatterns.joined(separator: ";"),
                "flatten_tar": "\(config.flattenTar)", "max_retries": "\(config.maxRetries)",
                "org_code": config.orgCode, "proxy_mode": config.proxyMode.rawValue,
            ]
        )
    }

    /// The text form.
    package var text: String {
        let key =
            apiKey.map { "\($0.value) (from \($0.source))" } ?? "not set (run `rescale-int config init`, "
            + "or set RESCALE_API_KEY, or pass --token-file PATH)"
        let platformNote =
            (try? PlatformURL(validating: platform.value, allowInsecureHost: false)) == nil
            ? " [not a rescale host: allowed explicitly]" : ""
        let file = configFilePresent ? "\(configFile)" : "\(configFile) (not present: defaults)"
        let values = settings.keys.sorted().map { "\($0)=\(settings[$0] ?? "")" }.joined(separator: " ")
        return """
            profile:    \(profile)
            platform:   \(platform.value) (from \(platform.source))\(platformNote)
            api key:    \(key)
            directory:  \(directory)
            config.csv: \(file)
            settings:   \(values)

            """
    }
}
