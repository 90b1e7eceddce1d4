import Foundation

extension ServiceSAS {
    /// What a request needs the SAS to allow.
    package enum Permission: Character, Sendable {
        case read = "r"
        case add = "a"
        case create = "c"
        case write = "w"
        case delete = "d"
        case list = "l"
    }

    /// Verifies a service SAS on a request, strictly.
    ///
    /// - Parameters:
    ///   - query: The request's decoded query items.
    ///   - container: The container addressed.
    ///   - blob: The blob addressed, if any.
    ///   - needed: Permissions of which at least one must be granted.
    ///   - isHTTPS: Whether the request came over TLS (for `spr`).
    ///   - now: The current time.
    /// - Throws: ``BlobError`` `NoAuthenticationInformation` (401) without a SAS, `AuthenticationFailed` (403) for a
    ///   bad signature, version, resource or time, `AuthorizationProtocolMismatch` for `spr=https` over HTTP, and
    ///   `AuthorizationPermissionMismatch` when the permission is missing.
    package func verify(
        query: [(String, String)],
        container: String,
        blob: String?,
        needed: Set<Permission>,
        isHTTPS: Bool,
        now: Date
    ) throws {
        var fields: [String: String] = [:]
        for (name, value) in query where fields[name] == nil { fields[name] = value }
        guard let givenSignature = fields["sig"] else {
            throw BlobError(
                "NoAuthenticationInformation",
                401,
                "Server failed to authenticate the request. Please refer to the information in the www-authenticate header."
            )
        }
        if fields["ss"] != nil || fields["srt"] != nil {
            throw BlobError.authenticationFailed("account SAS is not supported by this emulator")
        }
        guard let version = fields["sv"], version >= Self.oldestVersion, version.count == 10 else {
            throw BlobError.authenticationFailed("sv must be \(Self.oldestVersion) or later")
        }
        if fields["si"] != nil { throw BlobError.authenticationFailed("stored access policies are not supported") }
        let resourceText: String
        switch fields["sr"] {
        case "c": resourceText = resource(container: container, blob: nil)
        case "b":
            guard let blob else { throw BlobError.authenticationFailed("sr=b on a container request") }
            resourceText = resource(container: container, blob: blob)
        default: throw BlobError.authenticationFailed("signed resource '\(fields["sr"] ?? "")' is not supported")
        }
        guard let permissions = fields["sp"], let expiryText = fields["se"] else {
            throw BlobError.authenticationFailed("sp and se are required")
        }
        let expected = signature(of: stringToSign(fields: fields, resource: resourceText))
        guard constantTimeEqual(expected, givenSignature) else {
            throw BlobError.authenticationFailed(
                "Signature did not match. String to sign used was \(stringToSign(fields: fields, resource: resourceText))"
            )
        }
        guard let expiry = BlobDates.sasTime(expiryText) else {
            throw BlobError.authenticationFailed("se is malformed")
        }
        if let startText = fields["st"] {
            guard let start = BlobDates.sasTime(startText) else {
                throw BlobError.authenticationFailed("st is malformed")
            }
            if now < start { throw BlobError.authenticationFailed("Signed start time is in the future") }
        }
        if now >= expiry {
            throw BlobError.authenticationFailed("Signed expiry time [\(expiryText)] must be after current time")
        }
        if fields["spr"] == "https", !isHTTPS {
            throw BlobError(
                "AuthorizationProtocolMismatch",
                403,
                "This request is not authorized to perform this operation using this protocol."
            )
        }
        let granted = Set(permissions.compactMap(Permission.init(rawValue:)))
        guard granted.count == permissions.count else { throw BlobError.authenticationFailed("sp is malformed") }
        if granted.isDisjoint(with: needed) { throw BlobError.permissionMismatch }
    }

    private func constantTimeEqual(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
