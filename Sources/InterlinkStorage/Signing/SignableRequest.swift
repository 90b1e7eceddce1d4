import Foundation

/// The parts of an HTTP request that SigV4 signs, kept apart so the query and path encoding are exact.
package struct SignableRequest: Sendable {
    /// The HTTP method.
    package var method: String
    /// `http` or `https`.
    package var scheme: String
    /// The host name, without port.
    package var host: String
    /// The port when it is not the scheme's default.
    package var port: Int?
    /// The path, each key segment already percent-encoded (``PercentEncoding/encode(_:keepingSlashes:)``).
    package var encodedPath: String
    /// The query items, unencoded; `uploads` is `("uploads", "")`.
    package var query: [(String, String)]
    /// Headers to sign and send.
    package var headers: [(String, String)]

    /// Creates a request.
    package init(
        method: String,
        scheme: String,
        host: String,
        port: Int? = nil,
        encodedPath: String,
        query: [(String, String)] = [],
        headers: [(String, String)] = []
    ) {
        self.method = method
        self.scheme = scheme
        self.host = host
        self.port = port
        self.encodedPath = encodedPath
        self.query = query
        self.headers = headers
    }

    /// The `Host` header value: the host, plus `:port` for a non-default port.
    package var hostHeader: String {
        guard let port, !(scheme == "https" && port == 443), !(scheme == "http" && port == 80) else { return host }
        return "\(host):\(port)"
    }

    /// The full URL with the query percent-encoded; a valueless item renders as `name=`.
    package var url: String {
        let base = "\(scheme)://\(hostHeader)\(encodedPath)"
        return query.isEmpty ? base : "\(base)?\(PercentEncoding.query(query))"
    }
}

/// A SigV4 date: `yyyyMMdd'T'HHmmss'Z'` and its day, in UTC.
struct SigV4Timestamp {
    let full: String
    let day: String

    init(_ date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        day = pad(parts.year, 4) + pad(parts.month, 2) + pad(parts.day, 2)
        full = day + "T" + pad(parts.hour, 2) + pad(parts.minute, 2) + pad(parts.second, 2) + "Z"
    }
}
