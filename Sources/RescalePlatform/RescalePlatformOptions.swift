import InterlinkStorage

/// Tuning and environment of a ``RescalePlatform``; nothing in it is specific to any one server.
package struct RescalePlatformOptions: Sendable {
    /// The environment for the S3 endpoint override (`AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`).
    package var environment: [String: String]
    /// The Azure blob endpoint, `{account}` replaced by the account name.
    package var azureBlobEndpoint = "https://{account}.blob.core.windows.net"
    /// Concurrent part uploads per file, W.
    package var uploadWindow = 4
    /// Whether upload parts are streamed to their requests (memory independent of the part size); `false` gathers
    /// whole parts, W + 2 of them in memory, as before streaming (kept for comparison).
    package var streamedUploads = true
    /// S for every upload instead of the table of ``PartSize`` (tests: small parts on small inputs).
    package var uploadPartSize: Int?
    /// Counts the body bytes queued for upload requests across an upload and keeps the peak (tests, diagnostics).
    package var uploadBytesInFlight: InFlightCounter?
    /// Concurrent range reads per file (`INTERLINK_DOWNLOAD_WINDOW`, 1–64).
    package var downloadWindow = 4
    /// Pages of 100 recent jobs scanned by `findJob`.
    package var findJobPages = 10
    /// The most output paths one `POST /api/v3/credentials/` asks for; the platform documents
    /// no limit, so this stays well below the emulator's 100.
    package var credentialChunkSize = 20
    /// How long the profile and root folders are cached, in seconds (Interlink: 5 minutes).
    package var profileTTL: Double = 300
    /// The deadline of one job create or submit call, attempts included (`INTERLINK_REQUEST_TIMEOUT`).
    package var requestTimeout: Duration = .seconds(30)
    /// How long after that the platform may still act on a request it received (`INTERLINK_REQUEST_SETTLE`).
    package var requestSettle: Duration = .seconds(5)
    /// Whether S3 uploads carry a CRC-32 per part, which S3 checks on arrival: on unless
    /// `AWS_REQUEST_CHECKSUM_CALCULATION` is `when_required`, the AWS SDKs' and CLI's own setting (for an
    /// S3-compatible store that refuses checksums or large `aws-chunked` bodies).
    package var s3PartChecksums = true

    /// Creates options.
    ///
    /// - Parameter environment: The process environment.
    package init(environment: [String: String]) {
        self.environment = environment
        if let timeout = Self.seconds(environment["INTERLINK_REQUEST_TIMEOUT"]) { requestTimeout = timeout }
        if let settle = Self.seconds(environment["INTERLINK_REQUEST_SETTLE"]) { requestSettle = settle }
        if let window = environment["INTERLINK_DOWNLOAD_WINDOW"].flatMap({ Int($0) }), (1...64).contains(window) {
            downloadWindow = window
        }
        if let checksums = Self.partChecksums(environment: environment) { s3PartChecksums = checksums }
    }

    /// The variable that turns S3 part checksums off, as the AWS SDKs and CLI read it.
    package static let checksumCalculationVariable = "AWS_REQUEST_CHECKSUM_CALCULATION"

    /// Whether `AWS_REQUEST_CHECKSUM_CALCULATION` asks for part checksums: true for `when_supported`, false for
    /// `when_required` (either case); nil when it is unset, empty or anything else (the caller reports that).
    package static func partChecksums(environment: [String: String]) -> Bool? {
        switch environment[checksumCalculationVariable]?.lowercased() {
        case "when_supported": true
        case "when_required": false
        default: nil
        }
    }

    /// A positive number of seconds (fractions allowed), or nil when unset or not one.
    private static func seconds(_ text: String?) -> Duration? {
        guard let text, let value = Double(text), value.isFinite, value > 0, value <= 3600 else { return nil }
        return .milliseconds(Int64(value * 1000))
    }
}
