import InterlinkCore

/// Folder listings remembered for a while, so that looking the same folder or path up again costs no API call.
///
/// Each listing lives ``ttl`` (5 minutes by default) and is dropped at once by ``invalidate(_:)``, which the
/// commands call after creating or deleting something in the folder. Concurrent lookups of one folder share one
/// request: the first caller lists, the others wait for its answer.
package actor FolderCache {
    /// One entry of a folder: a child folder or a file.
    package struct Entry: Hashable, Sendable {
        /// `folder`, `file` or `filesymlink`.
        package var type: String
        /// The item's id.
        package var id: String
        /// The item's name.
        package var name: String
        /// The entry as the platform sent it (`{type, item}`).
        package var record: JSONValue

        /// Reads an entry of a folder listing; nil when it lacks a type or an id.
        package init?(_ record: JSONValue) {
            guard case .object(let fields) = record, case .string(let type)? = fields["type"],
                case .object(let item)? = fields["item"], case .string(let id)? = item["id"]
            else { return nil }
            self.type = type
            self.id = id
            if case .string(let name)? = item["name"] { self.name = name } else { self.name = id }
            self.record = record
        }

        /// Whether it is a folder.
        package var isFolder: Bool { type == "folder" }
    }

    /// How long a listing is reused.
    package nonisolated let ttl: Duration
    private let fetch: @Sendable (String) async throws -> [JSONValue]
    private let now: @Sendable () -> ContinuousClock.Instant
    private var listings: [String: (entries: [Entry], expires: ContinuousClock.Instant)] = [:]
    private var waiting: [String: [CheckedContinuation<[Entry], any Error>]] = [:]

    /// Creates a cache.
    ///
    /// - Parameters:
    ///   - ttl: How long a listing is reused (default 5 minutes).
    ///   - now: The clock's current instant (injected by tests).
    ///   - fetch: Lists a folder (all pages); called once per miss.
    package init(
        ttl: Duration = .seconds(300),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        fetch: @escaping @Sendable (String) async throws -> [JSONValue]
    ) {
        self.ttl = ttl
        self.now = now
        self.fetch = fetch
    }

    /// A cache that lists folders through an API client.
    package init(api: RescaleAPIClient, ttl: Duration = .seconds(300)) {
        self.init(ttl: ttl) { id in try await api.folderEntries(id) }
    }

    /// What a folder holds: the remembered listing while it is fresh, else a new one.
    ///
    /// - Parameter folder: The folder id.
    /// - Returns: Its entries, folders first as the platform orders them.
    /// - Throws: `PlatformError` from the listing.
    package func contents(of folder: String) async throws -> [Entry] {
        if let listing = listings[folder], now() < listing.expires { return listing.entries }
        if waiting[folder] != nil {
            return try await withCheckedThrowingContinuation { waiting[folder, default: []].append($0) }
        }
        waiting[folder] = []
        let result: Result<[Entry], any Error>
        do {
            result = .success(try await fetch(folder).compactMap(Entry.init))
        } catch {
            result = .failure(error)
        }
        let waiters = waiting.removeValue(forKey: folder) ?? []
        if case .success(let entries) = result { listings[folder] = (entries, now() + ttl) }
        for waiter in waiters { waiter.resume(with: result) }
        return try result.get()
    }

    /// The id of the child folder named `name` in `parent`, or nil.
    package func childFolder(named name: String, in parent: String) async throws -> String? {
        try await contents(of: parent).first { $0.isFolder && $0.name == name }?.id
    }

    /// The id of the folder at a `/`-separated path under `root`, or nil when a part is missing.
    ///
    /// - Parameters:
    ///   - path: Folder names separated by `/`; empty parts are skipped (an empty path is `root`).
    ///   - root: Where the path starts.
    /// - Returns: The folder id.
    /// - Throws: `PlatformError` from a listing.
    package func folder(atPath path: String, from root: String) async throws -> String? {
        var current = root
        for part in path.split(separator: "/") where !part.isEmpty {
            guard let next = try await childFolder(named: String(part), in: current) else { return nil }
            current = next
        }
        return current
    }

    /// Forgets a folder's listing (after something was created in it or deleted from it).
    package func invalidate(_ folder: String) { listings[folder] = nil }

    /// Forgets every listing (after a folder was deleted: its subtree's listings go too).
    package func invalidateAll() { listings.removeAll() }
}

extension FolderCache {
    /// Creates a child folder and drops the parent's listing; after a doubt (a lost answer) or "already exists",
    /// looks the folder up by name (`folders create`, `folders upload-dir` and the web UI's Files tab).
    ///
    /// - Parameters:
    ///   - name: The new folder's name.
    ///   - parent: The parent folder id.
    ///   - api: The API client.
    /// - Returns: The folder's id, and whether the platform said it already existed.
    /// - Throws: `PlatformError` from the calls (the create's own error when no folder of that name is found).
    package func createFolder(named name: String, in parent: String, api: RescaleAPIClient) async throws -> (
        id: String, existed: Bool
    ) {
        do {
            let id = try await api.createFolder(named: name, in: parent)
            invalidate(parent)
            return (id, false)
        } catch let error as PlatformError
            where error.retryClass == .needsReconcile || APIFailure.isAlreadyExists(error)
        {
            invalidate(parent)
            guard let existing = try await childFolder(named: name, in: parent) else { throw error }
            return (existing, error.retryClass != .needsReconcile)
        }
    }
}
