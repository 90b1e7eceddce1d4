import Foundation

/// The resolved connection settings: profile, platform URL and key, each with where it came from.
///
/// Precedence: the key from `RESCALE_API_KEY`, else the profile's key file (which must be mode 0600); the URL from
/// `RESCALE_API_URL`, else the profile, else `https://platform.rescale.com`; the profile from `--profile`, else
/// `RESCALE_PROFILE`, else `default`. A host off the allow-list needs `--insecure-api-host` or
/// `RESCALE_INSECURE_API_HOST=1`.
package struct RescaleConfiguration: Sendable {
    /// Where a value came from, for `config show`.
    package enum Source: String, Hashable, Sendable {
        /// An environment variable.
        case environment
        /// The profile's files.
        case profile
        /// The built-in default.
        case builtIn = "default"
    }

    /// The profile name.
    package var profile: String
    /// The validated platform.
    package var platform: PlatformURL
    /// Where the URL came from.
    package var platformSource: Source
    /// The key.
    package var key: APIKey
    /// Where the key came from.
    package var keySource: Source
    /// Whether a host off the allow-list was accepted.
    package var allowInsecureHost: Bool

    /// Resolves the configuration.
    ///
    /// - Parameters:
    ///   - profile: The `--profile` flag, if given.
    ///   - insecureHostFlag: Whether `--insecure-api-host` was given.
    ///   - environment: The process environment.
    ///   - directory: The configuration directory; from the environment when nil.
    /// - Returns: The resolved configuration.
    /// - Throws: ``ConfigurationError``: no key, a key file readable by others, a refused URL, a bad profile file.
    package static func resolve(
        profile: String?,
        insecureHostFlag: Bool = false,
        environment: [String: String],
        directory: ConfigDirectory? = nil
    ) throws(ConfigurationError) -> RescaleConfiguration {
        let directory = directory ?? ConfigDirectory(environment: environment)
        let name = profile ?? environment["RESCALE_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        try ConfigDirectory.validate(profile: name)
        let allowInsecure = insecureHostFlag || environment["RESCALE_INSECURE_API_HOST"] == "1"
        let settings = try ProfileStore(directory: directory).settings(name)
        let url: (String, Source) =
            if let value = environment["RESCALE_API_URL"], !value.isEmpty {
                (value, .environment)
            } else if let value = settings?.apiBaseURL, !value.isEmpty {
                (value, .profile)
            } else {
                (PlatformURL.default.description, .builtIn)
            }
        let platform = try PlatformURL(validating: url.0, allowInsecureHost: allowInsecure)
        let key: (APIKey, Source)
        if let value = environment["RESCALE_API_KEY"].flatMap(APIKey.init) {
            key = (value, .environment)
        } else if let value = try ProfileStore(directory: directory).key(name) {
            key = (value, .profile)
        } else {
            throw ConfigurationError(.missingKey(profile: name, keyFile: directory.keyFile(name)))
        }
        return RescaleConfiguration(
            profile: name,
            platform: platform,
            platformSource: url.1,
            key: key.0,
            keySource: key.1,
            allowInsecureHost: allowInsecure
        )
    }
}

extension RescaleConfiguration {
    /// What a profile resolves to when it may have no key yet (`config show` and the web UI's Setup tab): the
    /// profile, URL and their sources, and the key with its source when there is one.
    ///
    /// - Parameters:
    ///   - profile: The `--profile` flag, if given.
    ///   - insecureHostFlag: Whether `--insecure-api-host` was given.
    ///   - environment: The process environment.
    /// - Returns: The configuration, or nil in its key's place when no key is set.
    /// - Throws: ``ConfigurationError`` for everything but a missing key.
    package static func resolveAllowingNoKey(
        profile: String?,
        insecureHostFlag: Bool = false,
        environment: [String: String]
    ) throws(ConfigurationError) -> (configuration: RescaleConfiguration, hasKey: Bool) {
        do {
            return (try resolve(profile: profile, insecureHostFlag: insecureHostFlag, environment: environment), true)
        } catch let error {
            guard case .missingKey = error.reason else { throw error }
            // The URL and profile resolve the same with any key; the placeholder is never shown or sent.
            var keyed = environment
            keyed["RESCALE_API_KEY"] = "placeholder-key-not-shown"
            return (try resolve(profile: profile, insecureHostFlag: insecureHostFlag, environment: keyed), false)
        }
    }
}
