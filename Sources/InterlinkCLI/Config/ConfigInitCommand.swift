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

    /// Replace an existing profile and config.csv.
    @Flag(help: "Replace the profile (and the per-user config.csv) when they exist.")
    package var force = false

    /// Creates the command.
    package init() {}

    package func run() async throws {
        let context = CommandContext.current
        let environment = ProcessInfo.processInfo.environment
        let flagKey = context.options.apiKey ?? context.tokenFileKey
        let interactive = isatty(STDIN_FILENO) == 1 && !apiKeyStdin && flagKey == nil
        try ConfigInit.checkOverwrite(profile: connection.profile, force: force, environment: environment)
        var url = apiUrl ?? context.options.apiURL
        if url == nil, interactive {
            print("Platform URL [\(PlatformURL.default)]: ", terminator: "")
            url = readLine().flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 }
        }
        let keyText: String?
        if let flagKey {
            keyText = flagKey
        } else if apiKeyStdin {
            keyText = readLine(strippingNewline: true)
        } else if interactive {
            keyText = getpass("API key (input hidden): ").map { String(cString: $0) }
        } else {
            keyText = nil
        }
        guard let key = keyText.flatMap(APIKey.init) else {
            throw CommandFailure.usage(
                "no api key given",
                help: "pass --api-key-stdin and pipe the key, or --token-file PATH, or run this in a terminal"
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
        if let written = try ConfigInit.writeDefaultConfig(context: context, force: force) {
            print("wrote Interlink's settings with their defaults to '\(written)'")
        }
    }
}

/// The work of `config init` and `config show`, testable without a terminal.
package enum ConfigInit {
    /// Refuses to replace an existing profile without `--force`.
    ///
    /// - Throws: ``CommandFailure`` (64) naming the profile's files.
    package static func checkOverwrite(profile: String?, force: Bool, environment: [String: String])
        throws(CommandFailure)
    {
        guard !force else { return }
        let name = profile ?? environment["RESCALE_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let directory = ConfigDirectory(environment: environment)
        let existing = [directory.settingsFile(name), directory.keyFile(name)].filter {
            FileManager.default.fileExists(atPath: $0)
        }
        guard let first = existing.first else { return }
        throw .usage("profile '\(name)' already exists ('\(first)')", help: "pass --force to replace it")
    }

    /// The config.csv `config init` writes: every setting with its default, in Interlink's two columns (no
    /// `api_base_url`: the profile holds the URL, and a config.csv URL would override it).
    package static let defaultConfigCSV = """
        key,value
        tar_workers,4
        upload_workers,4
        job_workers,4
        tar_compression,none
        flatten_tar,false
        max_retries,1
        proxy_mode,no-proxy

        """

    /// Writes the defaults to the config.csv in use (`-c FILE` or the per-user one) when it does not exist, or
    /// over it with `--force`.
    ///
    /// - Returns: The path written, or nil when an existing file was kept.
    /// - Throws: ``CommandFailure`` (74) when it cannot be written.
    package static func writeDefaultConfig(context: CommandContext, force: Bool) throws(CommandFailure) -> String? {
        let path = context.configSearchPath
        guard !path.isEmpty, force || !FileManager.default.fileExists(atPath: path) else { return nil }
        let text = defaultConfigCSV
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CommandFailure([.error("cannot write '\(path)': \(error.localizedDescription)")], status: .ioError)
        }
        return path
    }

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
        let directory = ConfigDirectory(environment: environment)
        let platform = try ProfileStore(directory: directory).saveProfile(
            name,
            url: url,
            key: key,
            allowInsecureHost: allowInsecureHost
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
