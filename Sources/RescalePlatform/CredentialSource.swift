import Foundation
import InterlinkStorage
import RescaleAPI
import Synchronization

/// A credential provider backed by a closure (a `POST /api/v3/credentials/` call).
struct CredentialSource<Value: Sendable>: StorageCredentialProvider {
    let fetch: @Sendable () async throws -> (value: Value, expiration: Date?)

    func fetchCredential() async throws -> (value: Value, expiration: Date?) { try await fetch() }
}

/// Parses the Azure SAS `expiration` (ISO-8601, with or without fractional seconds).
func parseExpiration(_ text: String?) -> Date? {
    guard let text else { return nil }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)
}

/// Where one target's credentials come from: the default storage's own request, or a file's grant from the shared
/// ``FileCredentialCache``.
///
/// The target's `CredentialCache` calls ``next()`` once at first use and again only when its lease went stale or
/// storage refused it, so every call after the first refuses the grant it had.
final class CredentialFetch: Sendable {
    let api: RescaleAPIClient
    let files: FileCredentialCache
    let file: FileRecord?
    /// The generation of the grant handed out last.
    private let handedOut = Mutex<Int?>(nil)

    init(api: RescaleAPIClient, files: FileCredentialCache, file: FileRecord?) {
        self.api = api
        self.files = files
        self.file = file
    }

    /// The credentials and when the target's cache must stop using them (for a file's grant: its end of freshness
    /// plus the cache's 2-minute margin, so the cache replaces it exactly when the grant goes stale).
    func next() async throws -> (StorageCredentials, Date?) {
        guard let file else {
            let credentials = try await api.storageCredentials()
            return (credentials, parseExpiration(credentials.expiration))
        }
        let grant = try await files.grant(for: file, replacing: handedOut.withLock { $0 })
        handedOut.withLock { $0 = grant.generation }
        return (grant.credentials, grant.freshUntil.addingTimeInterval(120))
    }
}
