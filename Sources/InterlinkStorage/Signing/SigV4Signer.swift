import Foundation
import InterlinkCrypto

/// AWS Signature Version 4 for S3: header authorization and presigned (query) URLs.
///
/// The signer is a value built before every attempt from the current credentials, so a retry
/// that straddles a credential refresh is re-signed with the fresh keys.
package struct SigV4Signer: Sendable {
    /// The credentials to sign with.
    package var credentials: AWSCredentials
    /// The region, such as `us-east-1`.
    package var region: String
    /// The service name; `s3` for S3.
    package var service: String

    /// The payload hash S3 accepts in place of the body's SHA-256 (acceptable over TLS).
    package static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// Headers that proxies may rewrite, so they are never signed.
    static let unsignedHeaderNames: Set<String> = [
        "authorization", "connection", "content-length", "expect", "keep-alive", "proxy-authenticate",
        "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// Creates a signer.
    package init(credentials: AWSCredentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The hex SHA-256 of a body, for `x-amz-content-sha256` when the payload is signed.
    ///
    /// - Parameter body: The exact bytes to send.
    /// - Returns: 64 lower-case hex digits.
    package static func payloadHash(of body: some ContiguousBytes) -> String {
        var hasher = SHA256()
        body.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hex(hasher.finalize())
    }

    /// Signs a request with the `Authorization` header.
    ///
    /// Adds `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token` (when there is a session token) and
    /// `Authorization`; signs `host` and every other header already on the request (including all `x-amz-*`).
    /// - Parameters:
    ///   - request: The request to sign in place; its path must already be percent-encoded per key segment.
    ///   - date: The signing time.
    ///   - payloadHash: The body's hex SHA-256, or ``unsignedPayload``.
    package func sign(_ request: inout SignableRequest, at date: Date, payloadHash: String) {
        let stamp = SigV4Timestamp(date)
        request.headers.removeAll {
            ["authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"]
                .contains($0.0.lowercased())
        }
        request.headers.append(("x-amz-date", stamp.full))
        request.headers.append(("x-amz-content-sha256", payloadHash))
        if let token = credentials.sessionToken { request.headers.append(("x-amz-security-token", token)) }
        let canonical = canonicalRequest(request, payloadHash: payloadHash)
        let signature = signature(of: canonical.text, stamp: stamp)
        request.headers.append(
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(stamp)), "
                    + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
            )
        )
    }

    /// Presigns a request in its query string (`X-Amz-Signature`), with `UNSIGNED-PAYLOAD`.
    ///
    /// - Parameters:
    ///   - request: The request to presign in place; `X-Amz-*` query items are added.
    ///   - date: The signing time.
    ///   - expires: How long the URL stays valid, in seconds (1 to 604,800).
    package func presign(_ request: inout SignableRequest, at date: Date, expires: Int) {
        let stamp = SigV4Timestamp(date)
        var probe = request
        probe.headers.removeAll { Self.unsignedHeaderNames.contains($0.0.lowercased()) }
        let signedNames = Self.canonicalHeaders(of: probe).names
        request.query.append(("X-Amz-Algorithm", "AWS4-HMAC-SHA256"))
        request.query.append(("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope(stamp))"))
        request.query.append(("X-Amz-Date", stamp.full))
        request.query.append(("X-Amz-Expires", String(expires)))
        request.query.append(("X-Amz-SignedHeaders", signedNames))
        if let token = credentials.sessionToken { request.query.append(("X-Amz-Security-Token", token)) }
        let canonical = canonicalRequest(request, payloadHash: Self.unsignedPayload)
        request.query.append(("X-Amz-Signature", signature(of: canonical.text, stamp: stamp)))
    }

    /// The canonical request text and the signed header list, exposed for tests and debugging.
    package func canonicalRequest(_ request: SignableRequest, payloadHash: String) -> (
        text: String, signedHeaders: String
    ) {
        let encoded: [(name: String, value: String)] = request.query.map { item in
            (PercentEncoding.encode(item.0), PercentEncoding.encode(item.1))
        }
        let sorted = encoded.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        let query = sorted.map { item in item.name + "=" + item.value }.joined(separator: "&")
        let headers = Self.canonicalHeaders(of: request)
        let lines: [String] = [
            request.method.uppercased(), request.encodedPath, query, headers.block, headers.names, payloadHash,
        ]
        let text = lines.joined(separator: "\n")
        return (text, headers.names)
    }

    private static func canonicalHeaders(of request: SignableRequest) -> (block: String, names: String) {
        var merged: [String: [String]] = ["host": [request.hostHeader]]
        for (name, value) in request.headers where !unsignedHeaderNames.contains(name.lowercased()) {
            let trimmed = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            merged[name.lowercased(), default: []].append(trimmed)
        }
        let names = merged.keys.sorted()
        let block = names.map { "\($0):\(merged[$0, default: []].joined(separator: ","))\n" }.joined()
        return (block, names.joined(separator: ";"))
    }

    private func scope(_ stamp: SigV4Timestamp) -> String {
        "\(stamp.day)/\(region)/\(service)/aws4_request"
    }

    private func signature(of canonicalRequest: String, stamp: SigV4Timestamp) -> String {
        let digest = Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8)))
        let stringToSign = ["AWS4-HMAC-SHA256", stamp.full, scope(stamp), digest].joined(separator: "\n")
        var key = Array("AWS4\(credentials.secretAccessKey)".utf8)
        for part in [stamp.day, region, service, "aws4_request"] {
            key = HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)
        }
        return Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
