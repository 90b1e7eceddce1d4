/// A configuration problem: a missing or unsafe key, a refused URL, an unreadable profile.
///
/// Renders like every diagnostic: `error: what` then `  help: what to do`. It never contains the API key.
package struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    package enum Reason: Hashable, Sendable {
        /// No key in `RESCALE_API_KEY` nor in the profile's key file.
        case missingKey(profile: String, keyFile: String)
        /// The key file can be read by others; its path and octal mode.
        case keyFileTooOpen(path: String, mode: UInt16)
        /// A base URL that is not a plain `https://host`.
        case invalidURL(String, String)
        /// A host off the allow-list without the explicit opt-in.
        case hostNotAllowed(String)
        /// A profile file that cannot be read or parsed.
        case unreadable(path: String, detail: String)
        /// A file that cannot be written.
        case unwritable(path: String, detail: String)
        /// A profile name with characters other than letters, digits, `-`, `_` and `.`.
        case invalidProfileName(String)
    }

    /// What is wrong.
    package var reason: Reason

    /// Creates an error.
    package init(_ reason: Reason) { self.reason = reason }

    /// One lowercase line.
    package var message: String {
        switch reason {
        case .missingKey(let profile, _): "no api key for profile '\(profile)'"
        case .keyFileTooOpen(let path, let mode):
            "the key file '\(path)' has mode \(String(mode, radix: 8)) and can be read by other users"
        case .invalidURL(let url, let problem): "invalid platform url '\(url)': \(problem)"
        case .hostNotAllowed(let host): "'\(host)' is not a rescale platform host"
        case .unreadable(let path, let detail): "cannot read '\(path)': \(detail)"
        case .unwritable(let path, let detail): "cannot write '\(path)': \(detail)"
        case .invalidProfileName(let name): "invalid profile name '\(name)'"
        }
    }

    /// The next action (never nil: every configuration problem has one).
    package var help: String? {
        switch reason {
        case .missingKey(_, let keyFile):
            "run `rescale-int config init`, set RESCALE_API_KEY, or write the key to '\(keyFile)' with mode 600"
        case .keyFileTooOpen(let path, _): "run `chmod 600 '\(path)'`"
        case .invalidURL: "use https://<host> with no path, port or credentials, e.g. https://platform.rescale.com"
        case .hostNotAllowed:
            "use one of: \(PlatformURL.allowedHosts.joined(separator: ", ")); for an emulator or test server pass "
                + "--insecure-api-host or set RESCALE_INSECURE_API_HOST=1"
        case .unreadable: "fix or delete the file, then run `rescale-int config init`"
        case .unwritable: "check the directory's permissions, or set XDG_CONFIG_HOME"
        case .invalidProfileName: "use letters, digits, '-', '_' and '.' only"
        }
    }

    package var description: String { "error: \(message)\n  help: \(help ?? "")" }
}
