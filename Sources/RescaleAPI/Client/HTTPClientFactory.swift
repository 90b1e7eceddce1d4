import InterlinkHTTP
import NIOCore

/// The configuration of the process's one `HTTPClient`: 30 s connect timeout, up to 100 connections per host, the
/// proxy from `HTTPS_PROXY` (or `https_proxy`) with the hosts of `NO_PROXY` (or `no_proxy`) exempt, and the trusted
/// CAs from `SSL_CERT_FILE` when set (a corporate CA bundle; the system store otherwise).
///
/// A connection that cannot be established fails its request at once instead of being retried inside the
/// client until the request's deadline: the API client and the storage clients retry on their own schedules and
/// say so, where a silent retry would hold a request for its whole deadline per attempt. curl's own reading of the
/// proxy variables is off: only what is parsed here applies.
package enum HTTPClientFactory {
    /// The configuration for an environment.
    ///
    /// - Parameter environment: The process environment.
    /// - Returns: A configuration; a malformed proxy URL is ignored.
    package static func configuration(environment: [String: String]) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.connectTimeout = .seconds(30)
        configuration.maxConnectionsPerHost = 100
        if let proxy = proxy(environment: environment) {
            configuration.proxy = proxy
            if let noProxy = environment["NO_PROXY"] ?? environment["no_proxy"], !noProxy.isEmpty {
                configuration.noProxy = noProxy
            }
        }
        if let caFile = environment["SSL_CERT_FILE"], !caFile.isEmpty { configuration.caFile = caFile }
        return configuration
    }

    /// The proxy named by `HTTPS_PROXY` / `https_proxy`: `http://[user:password@]host[:port]`, port 8080 when absent.
    package static func proxy(environment: [String: String]) -> HTTPClient.Configuration.Proxy? {
        guard let value = environment["HTTPS_PROXY"] ?? environment["https_proxy"], !value.isEmpty else { return nil }
        var rest = Substring(value)
        if let separator = rest.range(of: "://") { rest = rest[separator.upperBound...] }
        rest = rest.prefix { $0 != "/" }
        var authorization: HTTPClient.Configuration.Authorization?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at].split(separator: ":", maxSplits: 1).map(String.init)
            authorization = .basic(
                username: credentials.first ?? "",
                password: credentials.count > 1 ? credentials[1] : ""
            )
            rest = rest[rest.index(after: at)...]
        }
        var host = String(rest)
        var port = 8080
        if let colon = rest.lastIndex(of: ":"), let number = Int(rest[rest.index(after: colon)...]) {
            host = String(rest[..<colon])
            port = number
        }
        guard !host.isEmpty else { return nil }
        return .server(host: host, port: port, authorization: authorization)
    }
}
