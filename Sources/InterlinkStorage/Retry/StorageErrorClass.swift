/// The storage retry classes (fatal, credential, network, retryable), decided by HTTP status and service error code.
package enum StorageErrorClass: Sendable, Equatable {
    /// Stop at once: 400, 404, 407, unknown statuses, protocol violations, local failures.
    case fatal
    /// Credentials are stale or wrong: sleep 1 s, force a refresh, retry.
    case credential
    /// The exchange broke before a response: back off and retry.
    case network
    /// The service is busy or failed transiently: back off and retry.
    case retryable

    /// Error codes that mean the credentials must be refreshed, whatever the status (S3 sends `ExpiredToken` as 400).
    static let credentialCodes: Set<String> = [
        "expiredtoken", "invalidtoken", "tokenrefreshrequired", "authenticationfailed", "invalidaccesskeyid",
        "signaturedoesnotmatch", "accessdenied", "authorizationfailure", "invalidauthenticationinfo",
    ]
    /// Error codes that mean "try again later", whatever the status (S3 sends `RequestTimeout` as 400).
    static let retryableCodes: Set<String> = [
        "requesttimeout", "internalerror", "serviceunavailable", "slowdown", "serverbusy", "operationtimedout",
        "operationtimeout", "throttling", "throttlingexception", "requestthrottled",
    ]

    /// Classifies a service error response: the code first, then the status.
    ///
    /// - Parameters:
    ///   - status: The HTTP status.
    ///   - code: The S3 `<Code>` or Azure `x-ms-error-code`, if any.
    package init(status: Int, code: String?) {
        if status == 407 {
            self = .fatal
        } else if let code = code?.lowercased(), Self.credentialCodes.contains(code) {
            self = .credential
        } else if let code = code?.lowercased(), Self.retryableCodes.contains(code) {
            self = .retryable
        } else if status == 403 || status == 401 {
            self = .credential
        } else if [429, 500, 502, 503, 504].contains(status) {
            self = .retryable
        } else {
            self = .fatal
        }
    }

    /// The natural class of a failure reason.
    init(_ reason: StorageError.Reason) {
        switch reason {
        case .service(let status, let code, _): self.init(status: status, code: code)
        case .transport: self = .network
        default: self = .fatal
        }
    }
}
