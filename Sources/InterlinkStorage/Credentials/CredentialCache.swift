import Foundation

/// A credential together with when it was issued and when it stops working.
package struct CredentialLease<Value: Sendable>: Sendable {
    /// The credential: AWS keys or an Azure SAS token.
    package var value: Value
    /// The wall-clock time it was fetched (wall clock, so the age survives a laptop sleep).
    package var issuedAt: Date
    /// When the issuer says it expires, if it says.
    package var expiration: Date?
    /// Increases with every fetch; tells a forced refresh whether someone already replaced this lease.
    package var generation: Int
}

/// Fetches fresh credentials, such as `POST /api/v3/credentials/` for the default storage or one file.
package protocol StorageCredentialProvider<Value>: Sendable {
    /// The credential type.
    associatedtype Value: Sendable
    /// Fetches a new credential and its expiry, if the issuer gives one.
    ///
    /// - Throws: Whatever the issuer's client throws; the cache passes it on.
    func fetchCredential() async throws -> (value: Value, expiration: Date?)
}

/// Credentials that never change: environment keys, tests, the emulator.
package struct StaticCredentialProvider<Value: Sendable>: StorageCredentialProvider {
    /// The credential handed out.
    package var value: Value
    /// Creates a provider.
    package init(_ value: Value) { self.value = value }
    /// Returns the fixed credential with no expiry.
    package func fetchCredential() async throws -> (value: Value, expiration: Date?) { (value, nil) }
}

/// Caches one storage credential, refreshes it before expiry, and shares one in-flight refresh among all callers.
///
/// A lease is fresh while younger than `maxAge` (10 minutes) and more than `expiryMargin` (2 minutes) from its
/// expiration. Concurrent callers that find it stale wait for the single fetch in progress instead
/// of starting their own; a forced refresh after a credential error is skipped when another caller has already
/// replaced the failing lease.
package actor CredentialCache<Value: Sendable> {
    private let provider: any StorageCredentialProvider<Value>
    private let maxAge: TimeInterval
    private let expiryMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var lease: CredentialLease<Value>?
    private var generation = 0
    private var isFetching = false
    private var waiters: [CheckedContinuation<CredentialLease<Value>, any Error>] = []
    /// How many fetches have run; for tests and logs.
    package private(set) var fetchCount = 0

    /// Creates a cache.
    ///
    /// - Parameters:
    ///   - provider: Where fresh credentials come from.
    ///   - maxAge: The oldest a lease may be, in seconds; default 600.
    ///   - expiryMargin: How long before its expiration a lease is replaced, in seconds; default 120.
    ///   - now: The wall clock.
    package init(
        provider: any StorageCredentialProvider<Value>,
        maxAge: TimeInterval = 600,
        expiryMargin: TimeInterval = 120,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.provider = provider
        self.maxAge = maxAge
        self.expiryMargin = expiryMargin
        self.now = now
    }

    /// A fresh lease, fetching one first if the cached lease is missing or stale.
    package func current() async throws -> CredentialLease<Value> {
        if let lease, isFresh(lease) { return lease }
        return try await fetchShared()
    }

    /// Forces a refresh after `stale` failed with a credential error, unless it was already replaced.
    ///
    /// - Parameter stale: The lease the failing request was signed with.
    /// - Returns: The replacement lease.
    /// - Throws: The provider's error.
    package func refresh(replacing stale: CredentialLease<Value>) async throws -> CredentialLease<Value> {
        if let lease, lease.generation != stale.generation, isFresh(lease) { return lease }
        return try await fetchShared()
    }

    private func isFresh(_ lease: CredentialLease<Value>) -> Bool {
        let time = now()
        if time.timeIntervalSince(lease.issuedAt) >= maxAge { return false }
        if let expiration = lease.expiration, time >= expiration.addingTimeInterval(-expiryMargin) { return false }
        return true
    }

    private func fetchShared() async throws -> CredentialLease<Value> {
        if isFetching {
            return try await withCheckedThrowingContinuation { waiters.append($0) }
        }
        isFetching = true
        fetchCount += 1
        let result: Result<CredentialLease<Value>, any Error>
        do {
            let fetched = try await provider.fetchCredential()
            generation += 1
            let fresh = CredentialLease(
                value: fetched.value,
                issuedAt: now(),
                expiration: fetched.expiration,
                generation: generation
            )
            lease = fresh
            result = .success(fresh)
        } catch {
            result = .failure(error)
        }
        isFetching = false
        let waiting = waiters
        waiters = []
        for waiter in waiting {
            // The fetching caller's cancellation is not the waiters': they see a retryable failure instead.
            if case .failure(let error) = result, error is CancellationError {
                waiter.resume(
                    throwing: StorageError(
                        .transport("credential refresh interrupted"),
                        operation: "refresh credentials"
                    )
                )
            } else {
                waiter.resume(with: result)
            }
        }
        return try result.get()
    }
}
