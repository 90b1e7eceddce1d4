import Foundation
import RescaleAPI

/// File-specific storage credentials for output downloads, asked for many files per request and reused per path
/// until they expire.
///
/// `POST /api/v3/credentials/` takes a list of paths, and every call spends a token of the user scope
/// (2 rps on the server). Asking once per output file spends that budget linearly in the number of outputs; here a
/// miss asks for the file plus up to `chunkSize - 1` other outputs of the same storage that a listing announced
/// (``expect(_:)``) and that hold no fresh grant, then serves all of them from the one answer. A grant is fresh while
/// younger than `maxAge` and more than `expiryMargin` from its `expiration`. Concurrent downloads whose paths
/// are already being asked for wait for that request instead of sending their own.
actor FileCredentialCache {
    /// Credentials that cover one path, with when they were issued.
    struct Grant: Sendable {
        /// The response that covered the path (S3 keys for all its paths, or Azure per-path SAS tokens).
        var credentials: StorageCredentials
        /// When the response arrived (wall clock, so the age survives a laptop sleep).
        var issuedAt: Date
        /// When the grant stops being used: the earlier of `issuedAt + maxAge` and the Azure expiration less the
        /// margin.
        var freshUntil: Date
        /// Increases with every request; tells a forced refresh whether the grant was already replaced.
        var generation: Int
    }

    /// One object on one storage.
    struct PathKey: Hashable, Sendable {
        var storageID: String
        var storageType: String
        var container: String
        var path: String

        /// The key of a record that names its storage and location; nil otherwise (default-storage credentials).
        init?(_ record: FileRecord) {
            guard let storage = record.storage, let type = storage.storageType, let parts = record.pathParts,
                let path = parts.path, !path.isEmpty
            else { return nil }
            storageID = storage.id ?? ""
            storageType = type
            container = parts.container ?? ""
            self.path = path
        }

        /// Whether two paths can share one request (the body names one storage).
        func sharesStorage(with other: PathKey) -> Bool {
            storageID == other.storageID && storageType == other.storageType
        }
    }

    private let fetch: @Sendable ([FileRecord]) async throws -> StorageCredentials
    private let chunkSize: Int
    private let maxAge: TimeInterval
    private let expiryMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var grants: [PathKey: Grant] = [:]
    /// Announced records not yet asked for, in listing order.
    private var expected: [(key: PathKey, record: FileRecord)] = []
    private var inFlight: [PathKey: [CheckedContinuation<Void, Never>]] = [:]
    private var generation = 0

    /// Creates a cache.
    ///
    /// - Parameters:
    ///   - chunkSize: The most paths per request; at least 1.
    ///   - maxAge: The oldest a grant may be, in seconds; default 600.
    ///   - expiryMargin: How long before an Azure expiration a grant is replaced, in seconds; default 120.
    ///   - now: The wall clock.
    ///   - fetch: The request for a chunk of files on one storage (`RescaleAPIClient.storageCredentials(forFiles:)`).
    init(
        chunkSize: Int,
        maxAge: TimeInterval = 600,
        expiryMargin: TimeInterval = 120,
        now: @escaping @Sendable () -> Date = { Date() },
        fetch: @escaping @Sendable ([FileRecord]) async throws -> StorageCredentials
    ) {
        self.chunkSize = max(1, chunkSize)
        self.maxAge = maxAge
        self.expiryMargin = expiryMargin
        self.now = now
        self.fetch = fetch
    }

    /// Announces records that will probably be downloaded soon, so a miss can ask for them in the same request.
    func expect(_ records: [FileRecord]) {
        let known = Set(expected.map(\.key))
        var added = Set<PathKey>()
        for record in records {
            guard let key = PathKey(record), !known.contains(key), added.insert(key).inserted else { continue }
            expected.append((key, record))
        }
    }

    /// Credentials covering a record's path: a fresh grant, the answer to a request already asking for it, or a new
    /// request for it and a chunk of the other expected paths on its storage.
    ///
    /// - Parameters:
    ///   - record: The file; one without `storage` and `pathParts` gets default-storage credentials, uncached.
    ///   - stale: The generation of a grant that storage just refused (a credential error); it is not reused.
    /// - Returns: The grant.
    /// - Throws: The request's error.
    func grant(for record: FileRecord, replacing stale: Int? = nil) async throws -> Grant {
        guard let key = PathKey(record) else {
            let credentials = try await fetch([record])
            return makeGrant(credentials)
        }
        while true {
            try Task.checkCancellation()
            if let grant = grants[key], grant.generation != stale, now() < grant.freshUntil { return grant }
            if inFlight[key] != nil {
                // Another download is asking for this path: take its answer, or after a failure ask again.
                await withCheckedContinuation { inFlight[key]?.append($0) }
                continue
            }
            return try await request(key: key, record: record)
        }
    }

    private func request(key: PathKey, record: FileRecord) async throws -> Grant {
        var chunk = [(key: key, record: record)]
        let time = now()
        for candidate in expected where chunk.count < chunkSize {
            guard candidate.key != key, candidate.key.sharesStorage(with: key), inFlight[candidate.key] == nil
            else { continue }
            if let grant = grants[candidate.key], time < grant.freshUntil { continue }
            chunk.append(candidate)
        }
        let asked = Set(chunk.map(\.key))
        expected.removeAll { asked.contains($0.key) }
        for entry in chunk { inFlight[entry.key] = [] }
        defer {
            for entry in chunk {
                for waiter in inFlight.removeValue(forKey: entry.key) ?? [] { waiter.resume() }
            }
        }
        let credentials: StorageCredentials
        do {
            credentials = try await fetch(chunk.map(\.record))
        } catch {
            // Unserved paths go back to the expected list so the next miss can ask for them again.
            expected.append(contentsOf: chunk.filter { $0.key != key })
            throw error
        }
        let grant = makeGrant(credentials)
        for entry in chunk { grants[entry.key] = grant }
        return grant
    }

    private func makeGrant(_ credentials: StorageCredentials) -> Grant {
        generation += 1
        let issuedAt = now()
        var freshUntil = issuedAt.addingTimeInterval(maxAge)
        if let expiration = parseExpiration(credentials.expiration) {
            freshUntil = min(freshUntil, expiration.addingTimeInterval(-expiryMargin))
        }
        return Grant(credentials: credentials, issuedAt: issuedAt, freshUntil: freshUntil, generation: generation)
    }
}
