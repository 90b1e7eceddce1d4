import Foundation
import InterlinkCore
import RescaleAPI

/// The platform's cached state: profile, root folders, the default storage target, and output records seen in
/// listings (so a download needs no per-file GET).
actor PlatformSession {
    private let api: RescaleAPIClient
    private let factory: StorageFactory
    private let ttl: Double
    private var profile: (value: UserProfile, at: Date)?
    private var folders: (value: RootFolders, at: Date)?
    private var defaultTarget: StorageTarget?
    private var outputRecords: [String: FileRecord] = [:]
    private var catalog: AnalysisCatalog?

    init(api: RescaleAPIClient, factory: StorageFactory, ttl: Double) {
        self.api = api
        self.factory = factory
        self.ttl = ttl
    }

    /// The profile, cached for the TTL.
    func currentProfile() async throws -> UserProfile {
        if let profile, Date().timeIntervalSince(profile.at) < ttl { return profile.value }
        let value = try await api.profile()
        profile = (value, Date())
        return value
    }

    /// The `myLibrary` folder id, cached for the TTL.
    func libraryFolder() async throws -> String {
        if let folders, Date().timeIntervalSince(folders.at) < ttl, let library = folders.value.myLibrary {
            return library
        }
        let value = try await api.rootFolders()
        folders = (value, Date())
        guard let library = value.myLibrary else {
            throw PlatformError(.notFound("myLibrary folder"), retryClass: .fatal)
        }
        return library
    }

    /// The default storage target, built once.
    func defaultStorage() async throws -> StorageTarget {
        if let defaultTarget { return defaultTarget }
        guard let descriptor = try await currentProfile().defaultStorage else {
            throw PlatformError(.storage("the profile has no default storage"), retryClass: .fatal)
        }
        let target = try factory.target(for: descriptor, file: nil)
        defaultTarget = target
        return target
    }

    /// The analyses and core types, fetched once per run (two listings, read together) and kept.
    func analysisCatalog() async throws -> AnalysisCatalog {
        if let catalog { return catalog }
        // One after the other: an unreachable platform then shows one series of retries, not two interleaved.
        let coreTypes = try await api.coreTypes()
        let value = AnalysisCatalog(analyses: try await api.analyses(), coreTypes: coreTypes)
        catalog = value
        return value
    }

    /// Remembers output records from a listing.
    func remember(_ records: [FileRecord]) {
        for record in records { outputRecords[record.id] = record }
    }

    /// A file record: from a listing if seen (and complete), else `GET /api/v3/files/{id}/`.
    func record(_ id: String) async throws -> FileRecord {
        if let record = outputRecords[id], record.encodedEncryptionKey != nil, record.storage != nil,
            record.objectPath != nil
        {
            return record
        }
        let record = try await api.file(id)
        outputRecords[id] = record
        return record
    }
}
