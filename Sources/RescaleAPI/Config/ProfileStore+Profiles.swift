import Foundation

extension ProfileStore {
    /// The names of the stored profiles (those with a settings or key file), sorted.
    package func profileNames() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path + "/profiles")) ?? []
        let names = files.compactMap { file -> String? in
            for suffix in [".json", ".apikey"] where file.hasSuffix(suffix) {
                return String(file.dropLast(suffix.count))
            }
            return nil
        }
        return Set(names).filter { (try? ConfigDirectory.validate(profile: $0)) != nil }.sorted()
    }

    /// Validates and stores a profile: its platform URL, and its key when one is given (the key file keeps mode
    /// 0600); `config init` and the web UI's Setup tab both save through here.
    ///
    /// - Parameters:
    ///   - name: The profile name.
    ///   - url: The platform URL, or nil for the default platform.
    ///   - key: The new key, or nil to keep the stored one.
    ///   - allowInsecureHost: Accept a host off the allow-list (an emulator).
    /// - Returns: The validated platform URL saved.
    /// - Throws: ``ConfigurationError`` for a bad name or URL, or a file that cannot be written.
    package func saveProfile(_ name: String, url: String?, key: APIKey?, allowInsecureHost: Bool)
        throws(ConfigurationError) -> PlatformURL
    {
        try ConfigDirectory.validate(profile: name)
        let platform = try PlatformURL(
            validating: url ?? PlatformURL.default.description,
            allowInsecureHost: allowInsecureHost
        )
        try save(name, settings: ProfileSettings(apiBaseURL: platform.description), key: key)
        return platform
    }
}

extension ConfigDirectory {
    /// The per-user Interlink config.csv: `$XDG_CONFIG_HOME/rescale/config.csv` (default
    /// `~/.config/rescale/config.csv`), or Interlink's older `rescale-int/config.csv` beside it when only that one
    /// exists.
    ///
    /// - Parameter environment: The process environment.
    /// - Returns: The path to read (which may not exist).
    package static func interlinkConfigCSV(environment: [String: String]) -> String {
        let base: String
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else {
            base = (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.config"
        }
        let current = base + "/rescale/config.csv"
        let older = base + "/rescale-int/config.csv"
        if !FileManager.default.fileExists(atPath: current), FileManager.default.fileExists(atPath: older) {
            return older
        }
        return current
    }
}

extension UserProfile {
    /// Where uploads go, for people: `S3 bucket 'b' in us-east-1` or `Azure container 'c' in account 'a'`.
    package var storageLocation: String {
        let storage = defaultStorage
        let settings = storage?.connectionSettings
        return switch storage?.storageType {
        case "S3Storage": "S3 bucket '\(settings?.container ?? "?")' in \(settings?.region ?? "?")"
        case "AzureStorage":
            "Azure container '\(settings?.container ?? "?")' in account "
                + "'\(settings?.accountName ?? settings?.storageAccount ?? "?")'"
        default: "unsupported storage type '\(storage?.storageType ?? "none")'"
        }
    }
}
