import Foundation
import InterlinkCrypto

/// Verifies AWS Signature Version 4 on an S3 request, header or query (presigned) form, against credentials the
/// simulator issued, independently of any client's signer.
struct SigV4Verifier: Sendable {
    /// The parts of a request the signature covers.
    struct Signed {
        var method: String
        /// The path exactly as sent (already percent-encoded).
        var rawPath: String
        /// The query exactly as sent, without `?`.
        var rawQuery: String
        /// Header names lower-cased, values as sent; `host` included.
        var headers: [(String, String)]
    }

    /// Looks up issued credentials by access key id.
    var lookup: @Sendable (String) async -> IssuedCredential?
    /// The region credentials are scoped to.
    var region: String

    /// Checks the signature and the credentials' validity.
    ///
    /// - Returns: The payload hash the request declared (`UNSIGNED-PAYLOAD`, a hex digest, or a streaming marker),
    ///   and the credentials that signed it.
    /// - Throws: ``S3Error`` as S3 reports it: `InvalidAccessKeyId`, `ExpiredToken`, `InvalidToken`,
    ///   `SignatureDoesNotMatch`, `AccessDenied` (missing auth or expired URL), `RequestTimeTooSkewed`,
    ///   `AuthorizationHeaderMalformed`.
    func verify(_ request: Signed, now: Date) async throws(S3Error) -> (payload: String, credential: IssuedCredential) {
        let query = Self.parseQuery(request.rawQuery)
        let header = { (name: String) in request.headers.first { $0.0 == name }?.1 }
        let isPresigned = query.contains { $0.0 == "X-Amz-Signature" }
        let credentialText: String
        let signedNames: [String]
        let givenSignature: String
        let stamp: String
        let payload: String
        let token: String?
        if isPresigned {
            let value = { (name: String) in query.first { $0.0 == name }?.1 }
            guard value("X-Amz-Algorithm") == "AWS4-HMAC-SHA256", let credential = value("X-Amz-Credential"),
                let date = value("X-Amz-Date"), let names = value("X-Amz-SignedHeaders"),
                let signature = value("X-Amz-Signature"), let expires = value("X-Amz-Expires").flatMap({ Int($0) })
            else { throw .accessDenied("Query-string authentication requires the X-Amz-* parameters") }
            guard let signedAt = Self.parseDate(date) else {
                throw .accessDenied("X-Amz-Date must be in ISO8601 format")
            }
            if now > signedAt.addingTimeInterval(Double(expires)) { throw .accessDenied("Request has expired") }
            (credentialText, givenSignature, stamp, payload) = (credential, signature, date, "UNSIGNED-PAYLOAD")
            signedNames = names.split(separator: ";").map(String.init)
            token = value("X-Amz-Security-Token")
        } else {
            guard let authorization = header("authorization") else {
                throw .accessDenied("Access Denied")
            }
            let fields = Self.authorizationFields(authorization)
            guard authorization.hasPrefix("AWS4-HMAC-SHA256 "), let credential = fields["Credential"],
                let names = fields["SignedHeaders"], let signature = fields["Signature"]
            else { throw .malformedAuthorization("The authorization header is malformed") }
            guard let date = header("x-amz-date") else {
                throw .accessDenied("AWS authentication requires a valid Date or x-amz-date header")
            }
            guard let hash = header("x-amz-content-sha256") else {
                throw .invalidRequest("Missing required header for this request: x-amz-content-sha256")
            }
            (credentialText, givenSignature, stamp, payload) = (credential, signature, date, hash)
            signedNames = names.split(separator: ";").map(String.init)
            token = header("x-amz-security-token")
        }
        let scope = credentialText.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 5, scope[4] == "aws4_request", scope[3] == "s3" else {
            throw .malformedAuthorization("The authorization header is malformed; the Credential is mal-formed")
        }
        guard let signedAt = Self.parseDate(stamp), stamp.hasPrefix(scope[1]) else {
            throw .malformedAuthorization("The authorization header is malformed; the date does not match the scope")
        }
        guard scope[2] == region else {
            throw .malformedAuthorization(
                "The authorization header is malformed; the region '\(scope[2])' is wrong; expecting '\(region)'"
            )
        }
        guard abs(signedAt.timeIntervalSince(now)) <= 15 * 60 || isPresigned else {
            throw S3Error(
                "RequestTimeTooSkewed",
                403,
                "The difference between the request time and the current time is too large."
            )
        }
        guard let issued = await lookup(scope[0]) else { throw .invalidAccessKey }
        guard let token else { throw .invalidAccessKey }
        guard token == issued.sessionToken else { throw .invalidToken }
        guard now < issued.expiry else { throw .expiredToken }
        guard signedNames.contains("host") else {
            throw .accessDenied("There were headers present in the request which were not signed: host")
        }
        let canonical = Self.canonicalRequest(request, query: query, signedNames: signedNames, payload: payload)
        let stringToSign = [
            "AWS4-HMAC-SHA256", stamp, scope[1...4].joined(separator: "/"),
            Self.hex(SHA256.hash(data: Array(canonical.utf8))),
        ].joined(separator: "\n")
        var key = Array("AWS4\(issued.secretKey)".utf8)
        for part in scope[1...4] {
            key = HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)
        }
        let expected = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        guard Self.constantTimeEqual(expected, givenSignature.lowercased()) else { throw .signatureMismatch }
        return (payload, issued)
    }

    static func canonicalRequest(_ request: Signed, query: [(String, String)], signedNames: [String], payload: String)
        -> String
    {
        var pairs: [(name: String, value: String)] = []
        for (name, value) in query where name != "X-Amz-Signature" { pairs.append((encode(name), encode(value))) }
        pairs.sort { left, right in left.name == right.name ? left.value < right.value : left.name < right.name }
        let encodedQuery = pairs.map { pair in pair.name + "=" + pair.value }.joined(separator: "&")
        var headerLines = ""
        for name in signedNames {
            var values: [String] = []
            for (headerName, value) in request.headers where headerName == name {
                values.append(value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
            }
            headerLines += name + ":" + values.joined(separator: ",") + "\n"
        }
        return [
            request.method, request.rawPath.isEmpty ? "/" : request.rawPath, encodedQuery, headerLines,
            signedNames.joined(separator: ";"), payload,
        ].joined(separator: "\n")
    }

    static func parseQuery(_ raw: String) -> [(String, String)] {
        raw.split(separator: "&", omittingEmptySubsequences: true).map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (SASQuery.decode(parts[0]), parts.count > 1 ? SASQuery.decode(parts[1]) : "")
        }
    }

    private static let unreserved = Set(
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
    )

    /// RFC 3986 encoding as SigV4 requires: only ASCII letters, digits and `-._~` stay as they are.
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if Self.unreserved.contains(byte) {
                out.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    private static func authorizationFields(_ header: String) -> [String: String] {
        var fields: [String: String] = [:]
        let body = header.drop { $0 != " " }
        for item in body.split(separator: ",") {
            let pair = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        return fields
    }

    private static func parseDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: text)
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String { S3Store.hex(bytes) }

    private static func constantTimeEqual(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
