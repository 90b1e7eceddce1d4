import Foundation

/// Temporary AWS credentials for one S3 storage, as `POST /api/v3/credentials/` returns them.
package struct AWSCredentials: Hashable, Sendable, Codable {
    /// The access key id.
    package var accessKeyID: String
    /// The secret access key; never logged.
    package var secretAccessKey: String
    /// The session token, sent as `x-amz-security-token` on every request when present.
    package var sessionToken: String?

    /// Creates credentials.
    package init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}
