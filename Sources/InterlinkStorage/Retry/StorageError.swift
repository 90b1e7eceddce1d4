import Foundation

/// A storage operation that failed, with what was attempted and how the retry loop classed it.
package struct StorageError: Error, Sendable, CustomStringConvertible {
    /// Why the operation failed.
    package enum Reason: Sendable, Equatable {
        /// The service answered with an error status; `code` is the S3 or Azure error code when the body had one.
        case service(status: Int, code: String?, message: String?)
        /// The request never got a complete response (connection, timeout, TLS, DNS).
        case transport(String)
        /// A response lacked something the protocol requires, such as an `ETag` or an `UploadId`.
        case malformedResponse(String)
        /// Completing would commit the wrong number of parts.
        case partCountMismatch(expected: Int, actual: Int)
        /// Completing or verifying would accept the wrong number of bytes.
        case byteCountMismatch(expected: Int64, actual: Int64)
        /// A checkpoint does not describe this upload or download.
        case checkpointMismatch(String)
        /// The operation's deadline left no time for the next attempt.
        case deadlineExceeded
        /// A local file could not be written, read or renamed.
        case localFile(path: String, errno: Int32)
    }

    /// Why it failed.
    package var reason: Reason
    /// What was attempted, such as `upload part 3 of 'case.tar-abc'`.
    package var operation: String
    /// How the retry loop treats the failure.
    package var errorClass: StorageErrorClass

    /// Creates an error; the class defaults to the reason's natural class.
    package init(_ reason: Reason, operation: String, errorClass: StorageErrorClass? = nil) {
        self.reason = reason
        self.operation = operation
        self.errorClass = errorClass ?? StorageErrorClass(reason)
    }

    /// `what failed: why`, without credentials or signatures.
    package var description: String {
        let why: String
        switch reason {
        case .service(let status, let code, let message):
            why = "HTTP \(status)" + (code.map { " \($0)" } ?? "") + (message.map { ": \($0)" } ?? "")
        case .transport(let detail): why = "network error: \(detail)"
        case .malformedResponse(let detail): why = "malformed response: \(detail)"
        case .partCountMismatch(let expected, let actual): why = "expected \(expected) parts, have \(actual)"
        case .byteCountMismatch(let expected, let actual): why = "expected \(expected) bytes, have \(actual)"
        case .checkpointMismatch(let detail): why = "checkpoint does not match: \(detail)"
        case .deadlineExceeded: why = "deadline exceeded"
        case .localFile(let path, let errno):
            why = "cannot write '\(path)': \(String(cString: strerror(errno)).lowercased())"
        }
        return "\(operation): \(why)"
    }
}
