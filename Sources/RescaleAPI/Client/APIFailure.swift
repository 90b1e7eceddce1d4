import Foundation
import InterlinkCore
import InterlinkHTTP

/// Maps failed responses and transport errors to `PlatformError` with the action the spec assigns.
package enum APIFailure {
    /// The error for a response that is not a success.
    ///
    /// - Parameters:
    ///   - response: The final response (its body is shown, up to 1 MiB).
    ///   - request: The call, for its retry class and path.
    ///   - key: The key the call carried: masked wherever the body echoes it (nor is any `Authorization: Token`
    ///     value shown), so that the error, and the journal and logs that keep it, never hold the key.
    /// - Returns: The error: 401 credential with the `config init` hint, 403 and other 4xx fatal, 404 not found,
    ///   429 retryable with `Retry-After`, 5xx retryable when safe and `needs-reconcile` otherwise.
    package static func error(for response: APIResponse, request: APIRequest, key: APIKey? = nil) -> PlatformError {
        let message = SecretRedactor(key.map { [$0.reveal()] } ?? []).redact(ErrorBody.render(response.body))
        let status = response.status
        var error: PlatformError
        switch status {
        case 401:
            error = PlatformError(.unauthorized(message.isEmpty ? "invalid api key" : message), retryClass: .credential)
            error.suggestion = "run `rescale-int config init` (or set RESCALE_API_KEY) with a valid key, then retry"
        case 403:
            error = PlatformError(.rejected(status: 403, message: message), retryClass: .fatal)
            error.suggestion = "the key's user may not do this: check the key's workspace and permissions"
        case 404:
            error = PlatformError(.notFound(request.path), retryClass: .fatal)
        case 407:
            error = PlatformError(.rejected(status: 407, message: message), retryClass: .fatal)
            error.suggestion = "the proxy (HTTPS_PROXY) wants credentials: put them in the proxy url"
        case 429:
            error = PlatformError(
                .rateLimited,
                retryClass: .retryable,
                retryAfter: RetryAfter.parse(response.header("Retry-After"))
            )
        case 500...:
            let retry: RetryClass = request.retryClass == .safe && status != 501 ? .retryable : .needsReconcile
            error = PlatformError(.server(status: status, message: message), retryClass: status == 501 ? .fatal : retry)
        default:
            error = PlatformError(.rejected(status: status, message: message), retryClass: .fatal)
            let lowered = message.lowercased()
            if lowered.contains("interactive") && lowered.contains("flag must be present") {
                error.suggestion = "this analysis needs the word 'interactive' at the end of the command"
            }
        }
        return error
    }

    /// The error for a request that got no response: retryable when the call is safe, else `needs-reconcile`.
    package static func transport(_ error: any Error, request: APIRequest) -> PlatformError {
        let retry: RetryClass =
            isFatalTransport(error) ? .fatal : (request.retryClass == .safe ? .retryable : .needsReconcile)
        return PlatformError(.transport(describe(error)), retryClass: retry)
    }

    /// Bad URLs and schemes, certificate (TLS) failures and a proxy that wants credentials never heal by retrying.
    package static func isFatalTransport(_ error: any Error) -> Bool {
        if let client = error as? HTTPClientError { return client.isFatal }
        let text = String(describing: error).lowercased()
        return text.contains("certificate") || text.contains("handshakefailed")
    }

    /// How a request that got no response failed, in a few words for people: `DNS` (the host name does not
    /// resolve), `connection refused`, `timeout`, `connection reset`, or `connection failed`.
    ///
    /// - Parameter error: The transport error.
    /// - Returns: The kind of failure.
    package static func unreachableKind(_ error: any Error) -> String {
        if let client = error as? HTTPClientError {
            switch client.reason {
            case .deadlineExceeded, .connectTimeout: return "timeout"
            case .remoteConnectionClosed, .sendFailed, .receiveFailed: return "connection reset"
            default: break
            }
        }
        let text = String(describing: error).lowercased()
        let dns = [
            "(dns:", "could not resolve host", "dnsaerror: optional", "unknown(host", "getaddrinfo",
            "name or service not known", "nodename nor",
        ]
        if dns.contains(where: { text.contains($0) }) { return "DNS" }
        if text.contains("refused") || text.contains("errno: 111") { return "connection refused" }
        if text.contains("timed out") || text.contains("timeout") { return "timeout" }
        if text.contains("reset") || text.contains("broken pipe") || text.contains("closed") {
            return "connection reset"
        }
        return "connection failed"
    }

    /// A short description of a transport error (never containing headers, hence never the key).
    static func describe(_ error: any Error) -> String {
        if let client = error as? HTTPClientError {
            if client == .deadlineExceeded { return "the request timed out" }
            if client == .connectTimeout { return "the connection timed out" }
        }
        return String(describing: error)
    }
}

extension APIFailure {
    /// Whether a registration failure means a file of that name already exists: 409, or 400 whose body
    /// mentions it.
    package static func isAlreadyExists(_ error: PlatformError) -> Bool {
        guard case .rejected(let status, let message) = error.reason else { return false }
        if status == 409 { return true }
        guard status == 400 else { return false }
        let lowered = message.lowercased()
        return ["already exists", "duplicate", "conflict", "file exists", "name already in use"].contains {
            lowered.contains($0)
        }
    }
}
