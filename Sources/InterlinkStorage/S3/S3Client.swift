import Foundation
import Logging
import NIOCore
import Synchronization

/// An S3 client for one bucket: SigV4-signed requests over a shared transport, each with a deadline and the storage
/// retry loop, credentials from a shared ``CredentialCache``.
package struct S3Client: ObjectStore {
    /// How the body is covered by the signature.
    package enum PayloadSigning: Sendable {
        /// Send `UNSIGNED-PAYLOAD` (acceptable over TLS).
        case unsigned
        /// Send the hex SHA-256 of the body (plain HTTP endpoints, or when required).
        case sha256
    }

    /// The transport every request goes through.
    package var transport: any StorageTransport
    /// Where the bucket lives.
    package var endpoint: S3Endpoint
    /// The bucket name (`pathParts.container`).
    package var bucket: String
    /// The signing region.
    package var region: String
    /// The shared credentials; refreshed before expiry and after credential errors.
    package var credentials: CredentialCache<AWSCredentials>
    /// The retry loop.
    package var retrier: StorageRetrier
    /// How bodies are signed; `sha256` is used automatically for plain `http` endpoints.
    package var payloadSigning: PayloadSigning
    /// The per-attempt timeout of a range read or HEAD (10 minutes).
    package var attemptTimeout: Duration = .seconds(600)
    /// The deadline covering all attempts of one part upload (10 minutes).
    package var partBudget: Duration = .seconds(600)
    /// The wall clock used for signing dates.
    package var now: @Sendable () -> Date = { Date() }
    /// Whether new multipart uploads are created with the `CRC32` checksum algorithm.
    ///
    /// S3 then checks each part's bytes on arrival (a streamed part carries its CRC-32 in an `aws-chunked` trailer,
    /// a part in memory in a header), and the completion names every part's checksum. On by default, as in the AWS
    /// SDKs.
    package var partChecksums = true

    /// Creates a client.
    package init(
        transport: any StorageTransport,
        endpoint: S3Endpoint,
        bucket: String,
        region: String,
        credentials: CredentialCache<AWSCredentials>,
        retrier: StorageRetrier,
        payloadSigning: PayloadSigning = .unsigned
    ) {
        self.transport = transport
        self.endpoint = endpoint
        self.bucket = bucket
        self.region = region
        self.credentials = credentials
        self.retrier = retrier
        self.payloadSigning = payloadSigning
    }

    /// Sends one request under the retry loop, re-signing every attempt with the current credentials.
    ///
    /// - Parameters:
    ///   - operation: What is attempted, for errors and logs.
    ///   - request: The unsigned request skeleton (headers to sign already added).
    ///   - body: The body, replayed on each attempt.
    ///   - streamed: A body streamed as it is produced instead (signed `UNSIGNED-PAYLOAD`); a retry replays it from
    ///     its checkpoint.
    ///   - checksum: When given, the streamed body is sent `aws-chunked` with its CRC-32 in a trailer
    ///     (``S3ChecksumTrailer``), and the checksum of the attempt that succeeded is left here.
    ///   - budget: A deadline over all attempts, if any.
    ///   - maxBodyBytes: The largest response body accepted.
    /// - Returns: The first 2xx response.
    /// - Throws: ``StorageError`` with the final response's status, code and message.
    func send(
        _ operation: String,
        _ request: SignableRequest,
        body: ByteBuffer? = nil,
        streamed: StreamedPartBody? = nil,
        checksum: ChecksumBox? = nil,
        budget: Duration? = nil,
        maxBodyBytes: Int = 1 << 20
    ) async throws -> StorageResponse {
        let cache = credentials
        let leaseBox = LeaseBox()
        let refresh: @Sendable () async throws -> Void = {
            if let stale = await leaseBox.lease { _ = try await cache.refresh(replacing: stale) }
        }
        var bareHeadRefreshed = false
        return try await retrier.run(operation, budget: budget, refreshCredentials: refresh) { _ in
            let lease = try await cache.current()
            await leaseBox.set(lease)
            let response: StorageResponse
            do {
                if let streamed {
                    // A streamed body cannot be hashed before it is sent: its payload is UNSIGNED-PAYLOAD, or
                    // STREAMING-UNSIGNED-PAYLOAD-TRAILER when its checksum follows it in a trailer.
                    let trailer = checksum.map { _ in S3ChecksumTrailer(payloadLength: streamed.length) }
                    var skeleton = request
                    skeleton.headers += trailer?.headers ?? []
                    var signed = sign(
                        skeleton,
                        body: nil,
                        payloadHash: trailer == nil ? SigV4Signer.unsignedPayload : S3ChecksumTrailer.payloadHash,
                        credentials: lease.value
                    )
                    signed.trailer = trailer
                    response = try await streamed.attempt { chunks in
                        signed.stream = (streamed.length, chunks)
                        return try await transport.send(
                            signed,
                            timeout: budget ?? attemptTimeout,
                            maxBodyBytes: maxBodyBytes
                        )
                    }
                    if let trailer { checksum?.value.withLock { $0 = trailer.checksum } }
                } else {
                    response = try await transport.send(
                        sign(request, body: body, credentials: lease.value),
                        timeout: budget ?? attemptTimeout,
                        maxBodyBytes: maxBodyBytes
                    )
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw StorageError(.transport(String(describing: error)), operation: operation)
            }
            guard response.isSuccess else {
                var error = Self.failure(response, operation: operation)
                if !bareHeadRefreshed, Self.isBareHeadRejection(response, request: request, credentials: lease.value) {
                    bareHeadRefreshed = true
                    error.errorClass = .credential
                }
                throw error
            }
            return response
        }
    }

    /// Signs a request skeleton into a sendable request.
    ///
    /// - Parameters:
    ///   - request: The skeleton, with every header to sign.
    ///   - body: The body, hashed where the endpoint needs a payload hash.
    ///   - payloadHash: The payload hash to sign with for a body that is not at hand (streamed); nil hashes `body`
    ///     where the endpoint needs it and sends `UNSIGNED-PAYLOAD` elsewhere.
    ///   - credentials: The credentials to sign with.
    /// - Returns: The signed request.
    func sign(
        _ request: SignableRequest,
        body: ByteBuffer?,
        payloadHash: String? = nil,
        credentials: AWSCredentials
    ) -> StorageRequest {
        var signable = request
        let signer = SigV4Signer(credentials: credentials, region: region)
        let hash: String
        if let payloadHash {
            hash = payloadHash
        } else if payloadSigning == .sha256 || signable.scheme == "http" {
            hash =
                body.map { buffer in buffer.withUnsafeReadableBytes { SigV4Signer.payloadHash(of: $0) } }
                ?? SigV4Signer.payloadHash(of: [UInt8]())
        } else {
            hash = SigV4Signer.unsignedPayload
        }
        signer.sign(&signable, at: now(), payloadHash: hash)
        return StorageRequest(method: signable.method, url: signable.url, headers: signable.headers, body: body)
    }

    /// The error for a non-2xx response, with the S3 `<Code>` and `<Message>` from its XML body.
    static func failure(_ response: StorageResponse, operation: String) -> StorageError {
        let text = response.text[...]
        let code = XMLText.value(of: "Code", in: text) ?? response.header("x-amz-error-code")
        let message = XMLText.value(of: "Message", in: text)
        return StorageError(.service(status: response.status, code: code, message: message), operation: operation)
    }

    /// Whether a failure may be S3's answer to an expired session token on `HEAD`: a bare 400 with no error code,
    /// because a `HEAD` response has no body to carry `ExpiredToken`.
    ///
    /// Only temporary credentials expire, so only
    /// they qualify; ``send(_:_:body:streamed:budget:maxBodyBytes:)`` treats it as a credential failure once per call.
    static func isBareHeadRejection(
        _ response: StorageResponse,
        request: SignableRequest,
        credentials: AWSCredentials
    ) -> Bool {
        guard request.method == "HEAD", response.status == 400, credentials.sessionToken != nil else { return false }
        guard case .service(_, let code, _) = failure(response, operation: "").reason else { return false }
        return code == nil
    }

    func describe(_ key: ObjectKey) -> String { "'\(bucket)/\(key)'" }
}

/// Where ``S3Client/send(_:_:body:streamed:checksum:budget:maxBodyBytes:)`` leaves the CRC-32 of the streamed body
/// it sent (S3's base64 `ChecksumCRC32`).
final class ChecksumBox: Sendable {
    let value = Mutex<String?>(nil)
}

/// Remembers which lease the latest attempt used, so a credential failure refreshes exactly that one.
actor LeaseBox {
    private(set) var lease: CredentialLease<AWSCredentials>?
    func set(_ lease: CredentialLease<AWSCredentials>) { self.lease = lease }
}
