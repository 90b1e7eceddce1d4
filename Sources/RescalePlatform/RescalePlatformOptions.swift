/// Tuning and environment of a ``RescalePlatform``; nothing in it is specific to any one server.
package struct RescalePlatformOptions: Sendable {
    /// The environment for the S3 endpoint override (`AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`).
    package var environment: [String: String]
    /// The Azure blob endpoint, `{account}` replaced by the account name.
    package var azureBlobEndpoint = "https://{account}.blob.core.windows.net"
    /// Concurrent part uploads per file, W.
    package var uploadWindow = 4
    /// Concurrent range reads per file.
    package var downloadWindow = 4
    /// Pages of 100 recent jobs scanned by `findJob`.
    package var findJobPages = 10
    /// The most output paths one `POST /api/v3/credentials/` asks for; the platform documents
    /// no limit, so this stays well below the emulator's 100.
    package var credentialChunkSize = 20
    /// How long the profile and root folders are cached, in seconds (Interlink: 5 minutes).
    package var profileTTL: Double = 300

    /// Creates options.
    ///
    /// - Parameter environment: The process environment.
    package init(environment: [String: String]) { self.environment = environment }
}
