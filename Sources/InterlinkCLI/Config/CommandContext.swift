import Foundation
import InterlinkCore
import RescaleAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `rescale-int` resolved once, before any command runs: the global flags, the key from `--token-file`, and
/// Interlink's `config.csv`.
///
/// It is bound as a task-local value for the command's lifetime (``current``); commands read the connection
/// through ``environment(_:)``, which lays the flags over the process environment.
package struct CommandContext: Sendable {
    /// The context of the running command; the defaults when none was bound (tests that call commands directly).
    @TaskLocal package static var current = CommandContext()

    /// The global flags.
    package var options = GlobalOptions()
    /// The key read from `--token-file`, trimmed.
    package var tokenFileKey: String?
    /// The config.csv settings (the defaults when no file exists).
    package var config = PURConfig()
    /// The config.csv read, or nil when none exists.
    package var configPath: String?
    /// The config.csv path that was looked for (explicit or per-user).
    package var configSearchPath = ""
    /// Whether the config.csv set `api_base_url` or `tenant_url`.
    package var configSetsURL = false

    /// Creates an empty context (defaults).
    package init() {}

    /// Where a setting came from, for `config show`.
    package enum Source: String, Sendable {
        case flag = "--api-url"
        case apiKeyFlag = "--api-key"
        case tokenFile = "--token-file"
        case configCSV = "config.csv"
    }

    /// The process environment with the flags laid over it: `RESCALE_API_URL` from `--api-url` (else the
    /// environment, else config.csv's `api_base_url`), `RESCALE_API_KEY` from `--api-key` or `--token-file` (over
    /// the environment).
    ///
    /// - Parameter base: The process environment.
    /// - Returns: The environment commands resolve the connection from.
    package func environment(_ base: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var environment = base
        if let url = options.apiURL {
            environment["RESCALE_API_URL"] = url
        } else if configSetsURL, (base["RESCALE_API_URL"] ?? "").isEmpty {
            environment["RESCALE_API_URL"] = config.apiBaseURL
        }
        if let key = options.apiKey ?? tokenFileKey { environment["RESCALE_API_KEY"] = key }
        return environment
    }

    /// Where the URL in ``environment(_:)`` came from, when not from the environment itself.
    package func urlSource(_ base: [String: String] = ProcessInfo.processInfo.environment) -> Source? {
        if options.apiURL != nil { return .flag }
        if configSetsURL, (base["RESCALE_API_URL"] ?? "").isEmpty { return .configCSV }
        return nil
    }

    /// Where the key in ``environment(_:)`` came from, when a flag gave it.
    package var keySource: Source? {
        if options.apiKey != nil { return .apiKeyFlag }
        return tokenFileKey == nil ? nil : .tokenFile
    }

    /// The per-user config.csv: `$XDG_CONFIG_HOME/rescale/config.csv` (default `~/.config/rescale/config.csv`),
    /// or Interlink's older `rescale-int/config.csv` beside it when only that one exists.
    ///
    /// - Parameter environment: The process environment.
    /// - Returns: The path to read (which may not exist).
    package static func userConfigPath(environment: [String: String]) -> String {
        ConfigDirectory.interlinkConfigCSV(environment: environment)
    }

    /// Resolves the context: reads the token file and the config.csv, and collects warnings.
    ///
    /// - Parameters:
    ///   - options: The global flags.
    ///   - environment: The process environment.
    /// - Returns: The context and the warnings to print (the `--api-key` warning, config.csv warnings).
    /// - Throws: ``CommandFailure``: 78 for an unreadable token file or a config.csv with errors (every problem
    ///   located), 74 when an explicit `--config` file cannot be read.
    package static func load(options: GlobalOptions, environment: [String: String]) throws(CommandFailure) -> (
        context: CommandContext, warnings: [Diagnostic]
    ) {
        var context = CommandContext()
        context.options = options
        var warnings: [Diagnostic] = []
        if options.apiKey != nil {
            warnings.append(
                .warning(
                    "--api-key is visible to other users of this machine in the process list",
                    help: "prefer --token-file PATH or the RESCALE_API_KEY environment variable"
                )
            )
        }
        if let path = options.tokenFile { context.tokenFileKey = try readTokenFile(path) }
        let path = options.configFile ?? userConfigPath(environment: environment)
        context.configSearchPath = path
        guard let text = try readConfig(path, explicit: options.configFile != nil) else { return (context, warnings) }
        do {
            let (config, diagnostics) = try ConfigCSV.parse(contents: text, path: path)
            context.config = config
            context.configPath = path
            context.configSetsURL = setsURL(text)
            warnings += diagnostics
        } catch {
            throw CommandFailure(
                warnings + error.diagnostics
                    + [
                        Diagnostic(
                            .note,
                            "nothing runs on a config.csv with errors: fix '\(path)' or pass another with -c FILE"
                        )
                    ],
                status: .configuration
            )
        }
        return (context, warnings)
    }

    /// Splits the global flags from a command line, resolves the context, prints its warnings, and runs the command
    /// with the context bound; ends the process.
    ///
    /// - Parameter arguments: The command line without the program name and the logging flags.
    package static func execute(_ arguments: [String]) async -> Never {
        let resolved: (context: CommandContext, remaining: [String])
        do {
            let (options, remaining) = try GlobalOptions.extract(from: arguments)
            let (context, warnings) = try load(options: options, environment: ProcessInfo.processInfo.environment)
            Console.report(warnings)
            resolved = (context, remaining)
        } catch {
            InterlinkCommand.exit(withError: ErrorReport.report(error))
        }
        await $current.withValue(resolved.context) { () async -> Void in
            await InterlinkCommand.execute(resolved.remaining)
        }
        InterlinkCommand.exit(withError: nil)
    }

    private static func readTokenFile(_ path: String) throws(CommandFailure) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CommandFailure(
                [
                    .error(
                        "cannot read the token file '\(path)'",
                        help: "give --token-file the path of a file holding the key"
                    )
                ],
                status: .configuration
            )
        }
        let key = text.trimmingWhitespace()
        guard !key.isEmpty else {
            throw CommandFailure(
                [.error("the token file '\(path)' is empty", help: "write the API key into it")],
                status: .configuration
            )
        }
        return key
    }

    private static func readConfig(_ path: String, explicit: Bool) throws(CommandFailure) -> String? {
        guard FileManager.default.fileExists(atPath: path) else {
            guard explicit else { return nil }
            throw CommandFailure(
                [.error("no config file '\(path)'", help: "give -c/--config the path of an Interlink config.csv")],
                status: .configuration
            )
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CommandFailure([.error("cannot read the config file '\(path)'")], status: .configuration)
        }
        return text
    }

    /// Whether a config.csv sets the platform URL (a row `api_base_url` or `tenant_url` with a value).
    private static func setsURL(_ text: String) -> Bool {
        text.split(whereSeparator: \.isNewline).contains { line in
            let cells = line.split(separator: ",", maxSplits: 1).map { String($0).trimmingWhitespace() }
            return cells.count == 2 && ["api_base_url", "tenant_url"].contains(cells[0].lowercased())
                && !cells[1].isEmpty
        }
    }
}
