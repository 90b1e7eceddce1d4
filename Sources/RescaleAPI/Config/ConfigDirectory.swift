import Foundation

/// Where profiles live: `$XDG_CONFIG_HOME/rescale-int/`, default `~/.config/rescale-int/`.
///
/// Each profile is `profiles/<name>.json` (`{"apiBaseURL": …}`) plus `profiles/<name>.apikey`, a file of mode 0600
/// holding only the key.
package struct ConfigDirectory: Hashable, Sendable {
    /// The directory path.
    package var path: String

    /// Uses an explicit directory.
    package init(path: String) { self.path = path }

    /// Resolves the directory from the environment.
    ///
    /// - Parameter environment: The process environment (`XDG_CONFIG_HOME`, `HOME`).
    package init(environment: [String: String]) {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            path = xdg + "/rescale-int"
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            path = home + "/.config/rescale-int"
        }
    }

    /// The profile settings file.
    package func settingsFile(_ profile: String) -> String { "\(path)/profiles/\(profile).json" }

    /// The profile key file (mode 0600).
    package func keyFile(_ profile: String) -> String { "\(path)/profiles/\(profile).apikey" }

    /// Checks a profile name: letters, digits, `-`, `_`, `.`, not starting with `.`.
    package static func validate(profile: String) throws(ConfigurationError) {
        let allowed = profile.unicodeScalars.allSatisfy {
            ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || "-_.".unicodeScalars.contains($0)
        }
        guard allowed, !profile.isEmpty, !profile.hasPrefix(".") else {
            throw ConfigurationError(.invalidProfileName(profile))
        }
    }
}

/// What a profile file stores (never the key).
package struct ProfileSettings: Codable, Hashable, Sendable {
    /// The platform base URL.
    package var apiBaseURL: String?

    /// Creates settings.
    package init(apiBaseURL: String?) { self.apiBaseURL = apiBaseURL }
}
