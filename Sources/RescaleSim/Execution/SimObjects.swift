import Foundation
import InterlinkHTTP
import InterlinkStorage
import Logging
import NIOCore

/// The simulator's own access to the objects behind a user's default storage: the built-in S3 subset, the blob
/// service, or an external S3 service such as moto_server.
///
/// The job runner reads inputs and writes outputs here, and registration checks existence here. These accesses
/// bypass the HTTP front, so scripted faults and credential expiry never hit the platform's own traffic.
package struct SimObjects: Sendable {
    /// One stored object as the runner needs it.
    package struct Stored: Sendable {
        /// The encrypted bytes.
        package var bytes: [UInt8]
        /// The user metadata, names lower-cased.
        package var metadata: [String: String]
    }

    /// Why an object could not be read or written.
    package struct Failure: Error, CustomStringConvertible {
        /// What went wrong, for the job log and the API.
        package var description: String
    }

    let configuration: SimConfiguration
    let s3: S3Store
    let blobs: BlobStore
    let external: S3Client?

    /// Creates access to the storage; an external S3 service is reached with InterlinkHTTP's shared client.
    package init(configuration: SimConfiguration, s3: S3Store, blobs: BlobStore, logger: Logger) {
        self.configuration = configuration
        self.s3 = s3
        self.blobs = blobs
        external = configuration.externalS3.flatMap {
            Self.client(for: $0, region: configuration.region, logger: logger)
        }
    }

    /// The container (bucket) objects of this kind live in, as `pathParts.container` names it.
    package func container(for kind: SimConfiguration.StorageKind) -> String {
        switch kind {
        case .s3: configuration.externalS3?.bucket ?? configuration.bucket
        case .azure: configuration.azureContainer
        }
    }

    /// Whether an object exists (for an external service, a HEAD request).
    package func exists(_ path: String, kind: SimConfiguration.StorageKind) async -> Bool {
        (try? await metadataOrNil(path, kind: kind)) != nil
    }

    /// Reads a whole object with its metadata.
    ///
    /// - Throws: ``Failure`` naming the object when it is missing or the external service fails.
    package func read(_ path: String, kind: SimConfiguration.StorageKind) async throws(Failure) -> Stored {
        let container = container(for: kind)
        switch kind {
        case .s3 where external != nil:
            guard let client = external, !path.isEmpty, !path.hasPrefix("/") else {
                throw Failure(description: "no object '\(path)'")
            }
            do {
                let key = ObjectKey(path)
                let properties = try await client.properties(of: key)
                let bytes =
                    properties.size == 0 ? ByteBuffer() : try await client.read(key, range: 0...(properties.size - 1))
                var metadata: [String: String] = [:]
                for entry in properties.metadata.entries { metadata[entry.name.lowercased()] = entry.value }
                return Stored(bytes: Array(bytes.readableBytesView), metadata: metadata)
            } catch {
                throw Failure(description: "cannot read '\(container)/\(path)': \(error)")
            }
        case .s3:
            do {
                let object = try await s3.object(path, in: container)
                return Stored(bytes: try await s3.files.contents(of: object.paths), metadata: object.metadata)
            } catch {
                throw Failure(description: "no object '\(container)/\(path)' in storage")
            }
        case .azure:
            do {
                let blob = try await blobs.blob(path, in: container)
                var metadata: [String: String] = [:]
                for (name, value) in blob.metadata { metadata[name.lowercased()] = value }
                return Stored(bytes: blob.bytes, metadata: metadata)
            } catch {
                throw Failure(description: "no blob '\(container)/\(path)' in storage")
            }
        }
    }

    /// Writes a whole object with metadata (names sent in lower case).
    ///
    /// - Throws: ``Failure`` when the store refuses it.
    package func write(_ path: String, kind: SimConfiguration.StorageKind, bytes: [UInt8], metadata: [String: String])
        async throws(Failure)
    {
        let container = container(for: kind)
        do {
            switch kind {
            case .s3 where external != nil:
                try await external?.putObject(
                    ByteBuffer(bytes: bytes),
                    at: ObjectKey(path),
                    metadata: ObjectMetadata(metadata.sorted { $0.key < $1.key })
                )
            case .s3:
                try await s3.put(path, in: container, bytes: bytes, metadata: metadata)
            case .azure:
                _ = try await blobs.putBlob(
                    path,
                    in: container,
                    bytes: bytes,
                    metadata: metadata.sorted { $0.key < $1.key }
                )
            }
        } catch {
            throw Failure(description: "cannot write '\(container)/\(path)': \(error)")
        }
    }

    private func metadataOrNil(_ path: String, kind: SimConfiguration.StorageKind) async throws -> Bool? {
        let container = container(for: kind)
        switch kind {
        case .s3 where external != nil:
            guard let client = external, !path.isEmpty, !path.hasPrefix("/") else { return nil }
            _ = try await client.properties(of: ObjectKey(path))
            return true
        case .s3:
            _ = try await s3.object(path, in: container)
            return true
        case .azure:
            _ = try await blobs.blob(path, in: container)
            return true
        }
    }

    /// A client for the external service with its fixed credentials; a few quick retries only.
    private static func client(for external: SimConfiguration.ExternalS3, region: String, logger: Logger) -> S3Client? {
        guard let endpoint = S3Endpoint.custom(url: external.endpoint) else { return nil }
        let credentials = AWSCredentials(accessKeyID: external.accessKey, secretAccessKey: external.secretKey)
        let policy = RetryPolicy(maxAttempts: 3, base: .milliseconds(100), cap: .seconds(1), credentialPause: .zero)
        return S3Client(
            transport: HTTPClientTransport(client: HTTPClient.shared),
            endpoint: endpoint,
            bucket: external.bucket,
            region: region,
            credentials: CredentialCache(provider: StaticCredentialProvider(credentials)),
            retrier: StorageRetrier(policy: policy, logger: logger),
            payloadSigning: .sha256
        )
    }
}
