import Foundation
import InterlinkCore
import InterlinkHTTP
import InterlinkStorage
import Logging
import RescaleAPI

/// A storage reached through the API's temporary credentials: the object store plus how uploads are named in it.
struct StorageTarget: Sendable {
    /// The client for the bucket or container.
    var store: any ObjectStore
    /// The storage descriptor from the profile or the file record.
    var descriptor: StorageDescriptor
    /// The bucket or container.
    var container: String
    /// Whether it is Azure.
    var isAzure: Bool

    /// Where a new upload goes: the object key in the store and the `pathParts.path` to register.
    func location(forObjectNamed name: String) -> (key: ObjectKey, registeredPath: String) {
        let settings = descriptor.connectionSettings
        if isAzure {
            let base = settings?.pathPartsBase ?? ""
            return (ObjectKey(name), ObjectKey.joining(base: base, name: name).rawValue)
        }
        let key = ObjectKey.joining(base: settings?.pathBase ?? "", name: name)
        return (key, key.rawValue)
    }
}

/// Builds ``StorageTarget``s for the default storage and for a file's own storage.
struct StorageFactory: Sendable {
    let api: RescaleAPIClient
    let http: HTTPClient
    let options: RescalePlatformOptions
    let logger: Logger
    /// File-specific credentials, shared by every download of the platform.
    let fileCredentials: FileCredentialCache

    init(api: RescaleAPIClient, http: HTTPClient, options: RescalePlatformOptions, logger: Logger) {
        self.api = api
        self.http = http
        self.options = options
        self.logger = logger
        fileCredentials = FileCredentialCache(chunkSize: options.credentialChunkSize) { files in
            try await api.storageCredentials(forFiles: files)
        }
    }

    /// A target for a storage; `file` selects file-specific credentials (downloads), nil the default storage.
    func target(for descriptor: StorageDescriptor, file: FileRecord?) throws -> StorageTarget {
        let api = self.api
        let transport = HTTPClientTransport(client: http)
        let retrier = StorageRetrier(logger: logger)
        let settings = descriptor.connectionSettings
        let fetcher = CredentialFetch(api: api, files: fileCredentials, file: file)
        let container = file?.pathParts?.container.flatMap { $0.isEmpty ? nil : $0 } ?? settings?.container ?? ""
        guard !container.isEmpty else {
            throw PlatformError(.storage("the storage '\(descriptor.id ?? "?")' names no bucket or container"))
        }
        switch descriptor.storageType {
        case "S3Storage":
            let cache = CredentialCache<AWSCredentials>(
                provider: CredentialSource {
                    let (credentials, expiration) = try await fetcher.next()
                    guard let access = credentials.accessKey, let secret = credentials.secretKey else {
                        throw PlatformError(.storage("the platform returned no S3 credentials"))
                    }
                    let keys = AWSCredentials(
                        accessKeyID: access,
                        secretAccessKey: secret,
                        sessionToken: credentials.sessionToken
                    )
                    return (keys, expiration)
                }
            )
            let region = settings?.region.flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
            let endpoint =
                S3Endpoint.override(environment: options.environment)
                ?? advertisedEndpoint(settings).flatMap(S3Endpoint.custom(url:))
                ?? .aws(region: region, fips: api.baseURL.requiresFIPS)
            var store = S3Client(
                transport: transport,
                endpoint: endpoint,
                bucket: container,
                region: region,
                credentials: cache,
                retrier: retrier
            )
            store.partChecksums = options.s3PartChecksums
            return StorageTarget(store: store, descriptor: descriptor, container: container, isAzure: false)
        case "AzureStorage":
            let account = settings?.accountName.flatMap { $0.isEmpty ? nil : $0 } ?? settings?.storageAccount ?? ""
            guard !account.isEmpty else { throw PlatformError(.storage("the Azure storage names no account")) }
            let blobPath = file?.objectPath
            let cache = CredentialCache<AzureSAS>(
                provider: CredentialSource {
                    let (credentials, expiration) = try await fetcher.next()
                    let perBlob = credentials.paths?.first { $0.pathParts?.path == blobPath }?.sasToken
                    guard let token = perBlob ?? credentials.sasToken else {
                        throw PlatformError(.storage("the platform returned no Azure SAS token"))
                    }
                    return (AzureSAS(token), expiration)
                }
            )
            let accountURL =
                advertisedEndpoint(settings)
                ?? options.azureBlobEndpoint.replacingOccurrences(of: "{account}", with: account)
            let store = AzureBlobClient(
                transport: transport,
                accountURL: accountURL,
                container: container,
                credentials: cache,
                retrier: retrier
            )
            return StorageTarget(store: store, descriptor: descriptor, container: container, isAzure: true)
        default:
            throw PlatformError(
                .storage("unsupported storage type '\(descriptor.storageType ?? "")'"),
                retryClass: .fatal
            )
        }
    }

    /// The storage URL the connection settings advertise, trusted only when the platform host is off the
    /// allow-list (an emulator or test server accepted with `--insecure-api-host`): Rescale itself never names
    /// one, and a response must not be able to redirect uploads from a real Rescale host elsewhere.
    private func advertisedEndpoint(_ settings: ConnectionSettings?) -> String? {
        guard !api.baseURL.isAllowListed, let endpoint = settings?.endpoint, !endpoint.isEmpty else { return nil }
        return endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
    }
}
