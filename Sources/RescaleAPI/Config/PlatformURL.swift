/// A validated Rescale API base URL: the only host the API key is ever sent to.
///
/// Validation trims a trailing `/`, assumes `https://` when there is no scheme, and rejects other schemes,
/// userinfo, ports, paths, queries and fragments; the host must be on the allow-list unless the caller explicitly
/// allows another host (the emulator, a proxy under test), in which case `http`, loopback and a port are accepted.
package struct PlatformURL: Hashable, Sendable, CustomStringConvertible {
    /// The Rescale platform hosts, one per region.
    package static let allowedHosts: [String] = [
        "platform.rescale.com", "kr.rescale.com", "platform.rescale.jp", "eu.rescale.com", "itar.rescale.com",
        "itar.rescale-gov.com",
    ]
    /// The default platform (North America).
    package static let `default` = PlatformURL(scheme: "https", host: "platform.rescale.com", port: nil)

    /// `https`, or `http` for an explicitly allowed host.
    package let scheme: String
    /// The host name, lower case.
    package let host: String
    /// The port, only for an explicitly allowed host.
    package let port: Int?

    private init(scheme: String, host: String, port: Int?) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// Validates a base URL.
    ///
    /// - Parameters:
    ///   - text: The URL as configured, such as `https://eu.rescale.com/` or `kr.rescale.com`.
    ///   - allowInsecureHost: Accept a host off the allow-list, `http`, and a port.
    /// - Throws: ``ConfigurationError`` saying what is wrong and how to fix it.
    package init(validating text: String, allowInsecureHost: Bool = false) throws(ConfigurationError) {
        var rest = Substring(text.trimmingWhitespace())
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        var scheme = "https"
        if let separator = rest.range(of: "://") {
            scheme = rest[..<separator.lowerBound].lowercased()
            rest = rest[separator.upperBound...]
        }
        let problem: String? =
            if scheme != "https" && !(allowInsecureHost && scheme == "http") {
                "the scheme '\(scheme)' is not https"
            } else if rest.contains("@") {
                "user information is not allowed"
            } else if rest.contains("/") || rest.contains("?") || rest.contains("#") {
                "a path, query or fragment is not allowed"
            } else if rest.isEmpty {
                "there is no host"
            } else {
                nil
            }
        if let problem { throw ConfigurationError(.invalidURL(text, problem)) }
        var host = rest.lowercased()
        var port: Int?
        if let colon = host.lastIndex(of: ":") {
            guard allowInsecureHost else {
                throw ConfigurationError(.invalidURL(text, "an explicit port is not allowed"))
            }
            guard let number = Int(host[host.index(after: colon)...]), (1...65535).contains(number) else {
                throw ConfigurationError(.invalidURL(text, "the port is not a number from 1 to 65535"))
            }
            port = number
            host = String(host[..<colon])
        }
        guard allowInsecureHost || Self.allowedHosts.contains(host) else {
            throw ConfigurationError(.hostNotAllowed(host))
        }
        self.init(scheme: scheme, host: host, port: port)
    }

    /// Whether the host is on the allow-list.
    package var isAllowListed: Bool { scheme == "https" && port == nil && Self.allowedHosts.contains(host) }

    /// Whether S3 traffic must use the AWS FIPS endpoints (ITAR platforms).
    package var requiresFIPS: Bool { host == "itar.rescale.com" || host == "itar.rescale-gov.com" }

    /// `scheme://host[:port]`, without a trailing slash.
    package var description: String { "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "") }

    /// The absolute URL of an API path, which starts with `/api/`.
    package func url(path: String) -> String { description + path }
}
