import AsyncHTTPClient
import Crypto
import Foundation
import InterlinkCore
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
