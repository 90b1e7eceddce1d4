import Foundation
import InterlinkCore
import InterlinkSystem
import RescaleAPI

/// The work behind the Setup tab: the profiles, URL and key (masked, never sent whole), proxy and worker counts,
/// stored where the CLI reads them (the profile files and Interlink's config.csv), and `config test`.
package struct SetupService: Sendable {
    /// A value and where it came from (`environment`, `profile` or `default`).
    package struct Sourced: Codable, Hashable, Sendable {
        /// The value (a key is masked).
        package var value: String
        /// Where it came from.
        package var source: String
    }

    /// The settings the page shows.
    package struct Settings: Codable, Hashable, Sendable {
        /// The profile shown.
        package var profile: String
        /// The profile the other tabs use (`RESCALE_PROFILE`, else `default`).
        package var activeProfile: String
        /// Every stored profile.
        package var profiles: [String]
        /// The platform URL.
        package var platform: Sourced
        /// Whether the platform is a Rescale region (else it was allowed explicitly: an emulator).
        package var platformIsRescale: Bool
        /// The key, masked; nil when none is set.
        package var apiKey: Sourced?
        /// The environment variables that override the profile's files (the page says so).
        package var overrides: [String]
        /// The config.csv the settings below are stored in.
        package var configFile: String
        /// Concurrent archive workers.
        package var tarWorkers: Int
        /// Concurrent upload workers.
        package var uploadWorkers: Int
        /// Concurrent job workers.
        package var jobWorkers: Int
        /// `no-proxy`, `system`, `basic` or `ntlm`.
        package var proxyMode: String
        /// The proxy host.
        package var proxyHost: String
        /// The proxy port (0 when none).
        package var proxyPort: Int
        /// Problems the config.csv has (warnings; the file is still used).
        package var warnings: [String]
    }

    /// What the page sends to apply changes; a missing field keeps its value.
    package struct Change: Codable, Hashable, Sendable {
        /// The profile to write (created when new).
        package var profile: String
        /// The platform URL.
        package var url: String?
        /// A new key; nil or empty keeps the stored one.
        package var key: String?
        /// Accept a platform host off the allow-list (an emulator).
        package var insecureHost: Bool?
        /// Concurrent archive workers.
        package var tarWorkers: Int?
        /// Concurrent upload workers.
        package var uploadWorkers: Int?
        /// Concurrent job workers.
        package var jobWorkers: Int?
        /// The proxy mode.
        package var proxyMode: String?
        /// The proxy host.
        package var proxyHost: String?
        /// The proxy port.
        package var proxyPort: Int?
    }

    /// The result of testing the connection (`config test`).
    package struct TestResult: Codable, Hashable, Sendable {
        /// Whether the platform answered.
        package var ok: Bool
        /// The platform URL.
        package var platform: String?
        /// The user's name and e-mail.
        package var user: String?
        /// Where uploads go.
        package var storage: String?
        /// Why it failed.
        package var error: String?

        /// Creates a result.
        package init(
            ok: Bool,
            platform: String? = nil,
            user: String? = nil,
            storage: String? = nil,
            error: String? = nil
        ) {
            self.ok = ok
            self.platform = platform
            self.user = user
            self.storage = storage
            self.error = error
        }
    }

    /// The process environment (`XDG_CONFIG_HOME`, `RESCALE_*`).
    package var environment: [String: String]

    /// Creates the service.
    ///
    /// - Parameter environment: The process environment.
    package init(environment: [String: String]) {
        self.environment = environment
    }

    /// The profile the other tabs use.
    package var activeProfile: String {
        environment["RESCALE_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    }

    /// The settings of a profile and the config.csv.
    ///
    /// - Parameter profile: The profile, or nil for the active one.
    /// - Returns: The settings, the key masked.
    /// - Throws: ``WebError`` (400) for a bad profile name, an unreadable profile or a refused URL.
    package func settings(profile: String?) throws -> Settings {
        let name = profile ?? activeProfile
        let (resolved, hasKey): (RescaleConfiguration, Bool)
        do {
            (resolved, hasKey) = try RescaleConfiguration.resolveAllowingNoKey(
                profile: name,
                insecureHostFlag: true,
                environment: environment
            )
        } catch {
            throw WebError(.badRequest("\(error.message) (\(error.help ?? ""))"))
        }
        let path = ConfigDirectory.interlinkConfigCSV(environment: environment)
        let (config, warnings) = Self.readConfig(path)
        return Settings(
            profile: resolved.profile,
            activeProfile: activeProfile,
            profiles: Array(
                Set(ProfileStore(directory: ConfigDirectory(environment: environment)).profileNames() + [name])
            ).sorted(),
            platform: Sourced(value: resolved.platform.description, source: resolved.platformSource.rawValue),
            platformIsRescale: resolved.platform.isAllowListed,
            apiKey: hasKey ? Sourced(value: resolved.key.masked, source: resolved.keySource.rawValue) : nil,
            overrides: ["RESCALE_API_KEY", "RESCALE_API_URL"].filter { !(environment[$0] ?? "").isEmpty },
            configFile: path,
            tarWorkers: config.tarWorkers,
            uploadWorkers: config.uploadWorkers,
            jobWorkers: config.jobWorkers,
            proxyMode: config.proxyMode.rawValue,
            proxyHost: config.proxyHost,
            proxyPort: config.proxyPort,
            warnings: warnings
        )
    }

    /// Applies changes: writes the profile (the key file with mode 0600) and the config.csv's settings, keeping
    /// its other lines.
    ///
    /// - Parameter change: What the page sent.
    /// - Returns: The new settings.
    /// - Throws: ``WebError`` (400) naming what is wrong; nothing is written then.
    package func apply(_ change: Change) throws -> Settings {
        var problems: [String] = []
        for (name, value) in [
            ("tar workers", change.tarWorkers), ("upload workers", change.uploadWorkers),
            ("job workers", change.jobWorkers),
        ] {
            if let value, !(1...256).contains(value) { problems.append("\(name) must be from 1 to 256") }
        }
        if let mode = change.proxyMode, PURConfig.ProxyMode(rawValue: mode) == nil {
            problems.append("proxy mode must be one of: no-proxy, system, basic, ntlm")
        }
        if let port = change.proxyPort, !(0...65535).contains(port) { problems.append("proxy port must be 0 to 65535") }
        if let host = change.proxyHost, host.contains(where: { $0 == "," || $0.isNewline || $0.isWhitespace }) {
            problems.append("proxy host must not hold a comma or a space")
        }
        guard problems.isEmpty else { throw WebError(.badRequest(problems.joined(separator: "; "))) }
        let store = ProfileStore(directory: ConfigDirectory(environment: environment))
        let current = try settings(profile: change.profile)
        do {
            _ = try store.saveProfile(
                change.profile,
                url: change.url.flatMap { $0.isEmpty ? nil : $0 } ?? current.platform.value,
                key: change.key.flatMap(APIKey.init),
                allowInsecureHost: (change.insecureHost ?? !current.platformIsRescale)
                    || environment["RESCALE_INSECURE_API_HOST"] == "1"
            )
        } catch {
            throw WebError(.badRequest("\(error.message) (\(error.help ?? ""))"))
        }
        var values: [(key: String, value: String)] = []
        if let value = change.tarWorkers { values.append(("tar_workers", "\(value)")) }
        if let value = change.uploadWorkers { values.append(("upload_workers", "\(value)")) }
        if let value = change.jobWorkers { values.append(("job_workers", "\(value)")) }
        if let value = change.proxyMode { values.append(("proxy_mode", value)) }
        if let value = change.proxyHost { values.append(("proxy_host", value)) }
        if let value = change.proxyPort { values.append(("proxy_port", "\(value)")) }
        if !values.isEmpty {
            let path = current.configFile
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            let updated = ConfigCSV.updating(text, with: values)
            do {
                _ = try ConfigCSV.parse(contents: updated, path: path)
                try FileManager.default.createDirectory(
                    atPath: PathName.dirname(path),
                    withIntermediateDirectories: true
                )
                try AtomicFile.write(Data(updated.utf8), to: path)
            } catch {
                throw WebError(.badRequest("cannot write '\(path)': \(error)"))
            }
        }
        return try settings(profile: change.profile)
    }

    /// Reads a config.csv leniently: the defaults and the problem when it is missing or has errors.
    static func readConfig(_ path: String) -> (PURConfig, [String]) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return (PURConfig(), []) }
        do {
            let (config, diagnostics) = try ConfigCSV.parse(contents: text, path: path)
            return (config, diagnostics.map(\.description))
        } catch {
            return (PURConfig(), error.diagnostics.map(\.description))
        }
    }
}
