import Foundation
import InterlinkStorage

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
