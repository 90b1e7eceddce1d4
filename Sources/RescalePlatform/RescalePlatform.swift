import Foundation
import InterlinkCore
import InterlinkCrypto
import InterlinkHTTP
import Logging
import RescaleAPI

/// The `Platform` port on Rescale: uploads through Rescale-managed storage in the v2 streaming format, files
/// registered with every field, jobs created once and adopted after any doubt, outputs downloaded and verified.
///
/// Constructed from an API client (base URL, key, options) and the process's `HTTPClient`; nothing in it is
/// specific to one server, so the same code runs against Rescale and against `rescale-sim`.
package struct RescalePlatform: Platform {
    /// The API client.
    package let api: RescaleAPIClient
    /// The options.
    package let options: RescalePlatformOptions
    /// Where the platform logs (`.debug`, plus one-off warnings).
    package let logger: Logger
    /// Where archive inputs are listed.
    package let fileSystem: any FileSystem
    let http: HTTPClient
    let session: PlatformSession
    let factory: StorageFactory

    /// `rescale ` and the API base URL.
    package var target: String { "rescale \(api.baseURL)" }

    /// A create or submit call takes at most ``RescalePlatformOptions/requestTimeout``; the platform may act on
    /// it up to ``RescalePlatformOptions/requestSettle`` later.
    package var requestWindow: RequestWindow? {
        RequestWindow(timeout: options.requestTimeout, settle: options.requestSettle)
    }

    /// Creates a platform.
    ///
    /// - Parameters:
    ///   - api: The API client (validated base URL, key, limiter).
    ///   - http: The process's HTTP client, also used for storage.
    ///   - options: Endpoint overrides and tuning.
    ///   - fileSystem: Where archive inputs are listed (the CLI passes the real one).
    ///   - logger: The logger.
    package init(
        api: RescaleAPIClient,
        http: HTTPClient,
        options: RescalePlatformOptions,
        fileSystem: any FileSystem,
        logger: Logger
    ) {
        self.api = api
        self.http = http
        self.options = options
        self.fileSystem = fileSystem
        self.logger = logger
        factory = StorageFactory(api: api, http: http, options: options, logger: logger)
        session = PlatformSession(api: api, factory: factory, ttl: options.profileTTL)
    }

    /// Discovers the default storage and fetches its first credentials.
    package func prepareStorage() async throws {
        let target = try await session.defaultStorage()
        _ = try await session.libraryFolder()
        logger.debug(
            "rescale.storage.ready",
            metadata: [
                "rescale.storage_type": "\(target.descriptor.storageType ?? "")",
                "rescale.container": "\(target.container)",
            ]
        )
    }

    /// Checks every job of a plan against the platform's catalogue and sends display versions as their
    /// `versionCode`; the catalogue is read once per run.
    ///
    /// - Parameter plan: The plan as made from the workflow.
    /// - Returns: The plan to run.
    /// - Throws: ``AnalysisCheckError`` (exit 65) for an unknown analysis, version or core type, a core type the
    ///   version does not run on, or cores per slot the core type does not have; `PlatformError` when the
    ///   catalogue cannot be read.
    package func resolveAnalyses(in plan: Plan) async throws -> Plan {
        guard plan.nodes.contains(where: { $0.job != nil }) else { return plan }
        let catalog = try await session.analysisCatalog()
        logger.debug(
            "rescale.catalog.ready",
            metadata: [
                "rescale.analyses": "\(catalog.analyses.count)", "rescale.core_types": "\(catalog.coreTypes.count)",
            ]
        )
        return try catalog.resolve(plan)
    }

    /// The marker a job created with this key carries at the end of its name.
    ///
    /// For example `[il-3f2a9c0d1e7b]`.
    /// The platform ignores tags in the create body, so the name is the only place the marker is
    /// written atomically with the job; `findJob` matches it.
    package static func marker(for key: IdempotencyKey) -> String {
        let digest = SHA256.hash(data: Data(key.rawValue.utf8))
        return "[il-" + digest.prefix(6).map { String(format: "%02x", $0) }.joined() + "]"
    }
}

extension RescalePlatform {
    /// Whether the platform holds a file with this id (`GET /api/v3/files/{id}/`).
    ///
    /// - Parameter id: The Rescale file id.
    /// - Returns: False when the platform answers 404.
    /// - Throws: `PlatformError` for any other failure.
    package func hasFile(id: String) async throws -> Bool {
        do {
            _ = try await api.file(id)
            return true
        } catch let error as PlatformError {
            if case .notFound = error.reason { return false }
            throw error
        }
    }

    /// The analyses and core types the platform offers, read once per platform object.
    ///
    /// - Returns: The catalogue.
    /// - Throws: `PlatformError` when a listing fails.
    package func catalog() async throws -> AnalysisCatalog {
        try await session.analysisCatalog()
    }
}
