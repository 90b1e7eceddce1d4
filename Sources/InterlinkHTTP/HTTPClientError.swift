/// Why a request got no (complete) response: the cases the callers' retry classification tells apart.
///
/// It never reaches people on its own: RescaleAPI's `APIFailure` and the storage clients wrap it into their
/// user-facing errors, so it carries a readable `description` but no exit status.
package struct HTTPClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The closed set of failures.
    package enum Reason: Hashable, Sendable {
        /// The TCP connection could not be made (refused, unreachable, the name does not resolve).
        case connectFailed(String)
        /// The connection was not made within the connect timeout.
        case connectTimeout
        /// The request's deadline passed before the response was complete.
        case deadlineExceeded
        /// The server closed the connection before a complete response.
        case remoteConnectionClosed
        /// Sending the request failed (connection reset or broken pipe).
        case sendFailed(String)
        /// Receiving the response failed (connection reset).
        case receiveFailed(String)
        /// The TLS handshake failed, e.g. the server's certificate is not trusted.
        case tlsFailed(String)
        /// The proxy (HTTPS_PROXY) answered the tunnel request with 407.
        case proxyAuthenticationRequired
        /// The request was cancelled.
        case cancelled
        /// The URL is malformed or its scheme is not http or https.
        case invalidURL(String)
        /// More redirects than allowed (a redirect loop).
        case tooManyRedirects
        /// The response body is longer than the caller's limit, in bytes.
        case bodyTooLarge(limit: Int)
        /// The request body's producer failed or ended before the announced length.
        case uploadFailed(String)
        /// The client was shut down.
        case shutdown
        /// Any other libcurl failure, with its code and message.
        case transport(code: Int, message: String)
    }

    /// What went wrong.
    package var reason: Reason

    /// Creates an error.
    ///
    /// - Parameter reason: What went wrong.
    package init(_ reason: Reason) {
        self.reason = reason
    }

    /// The connection was not made within the connect timeout.
    package static let connectTimeout = HTTPClientError(.connectTimeout)
    /// The request's deadline passed.
    package static let deadlineExceeded = HTTPClientError(.deadlineExceeded)
    /// The server closed the connection early.
    package static let remoteConnectionClosed = HTTPClientError(.remoteConnectionClosed)
    /// The request was cancelled.
    package static let cancelled = HTTPClientError(.cancelled)
    /// The proxy wants credentials.
    package static let proxyAuthenticationRequired = HTTPClientError(.proxyAuthenticationRequired)

    /// `CancellationError` when this is a cancellation of a task that was cancelled, else this error.
    var whenCancelled: any Error {
        self == .cancelled && Task.isCancelled ? CancellationError() : self
    }

    /// Whether retrying can never help: a TLS/certificate failure, a bad URL, a proxy that wants credentials.
    package var isFatal: Bool {
        switch reason {
        case .tlsFailed, .invalidURL, .proxyAuthenticationRequired, .tooManyRedirects: true
        default: false
        }
    }

    /// The failure in a few words, without headers (hence never a key).
    package var description: String {
        switch reason {
        case .connectFailed(let message): "connection failed: \(message)"
        case .connectTimeout: "the connection timed out"
        case .deadlineExceeded: "the request timed out (deadline exceeded)"
        case .remoteConnectionClosed: "the server closed the connection (connection reset)"
        case .sendFailed(let message): "sending the request failed (connection reset): \(message)"
        case .receiveFailed(let message): "receiving the response failed (connection reset): \(message)"
        case .tlsFailed(let message):
            "TLS handshake failed, the server's certificate is not trusted or invalid: \(message)"
                + " (a corporate CA: set SSL_CERT_FILE to its PEM bundle)"
        case .proxyAuthenticationRequired: "the proxy answered 407: proxy authentication required"
        case .cancelled: "the request was cancelled"
        case .invalidURL(let message): "invalid URL: \(message)"
        case .tooManyRedirects: "too many redirects (a redirect loop)"
        case .bodyTooLarge(let limit): "the response body is longer than \(limit) bytes"
        case .uploadFailed(let message): "the request body could not be produced: \(message)"
        case .shutdown: "the HTTP client was shut down"
        case .transport(let code, let message): "transfer failed (curl \(code)): \(message)"
        }
    }
}
