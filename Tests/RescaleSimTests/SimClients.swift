import Foundation
import InterlinkCore
import InterlinkStorage
import InterlinkTestSupport
import InterlinkTransfer
import NIOCore
import RescaleSim
import Testing

/// Fetches storage credentials from the simulator's `POST /api/v3/credentials/` on every refresh, as the real
/// client does, and counts the fetches.
actor SimCredentialSource {
    let sim: SimHarness
    private(set) var fetches = 0

    init(_ sim: SimHarness) { self.sim = sim }

    func fetch() async throws -> JSONValue {
        fetches += 1
        let reply = try await sim.call(.POST, "/api/v3/credentials/")
        guard reply.status == 200, let json = reply.json else {
            throw SimClientError(description: "credentials answered \(reply.status): \(reply.body)")
        }
        return json
    }
}

/// A test failure with a message.
struct SimClientError: Error, CustomStringConvertible {
    var description: String
}

/// S3 credentials from the simulator.
struct SimS3Credentials: StorageCredentialProvider {
    let source: SimCredentialSource

    func fetchCredential() async throws -> (value: AWSCredentials, expiration: Date?) {
        let json = try await source.fetch()
        let credentials = AWSCredentials(
            accessKeyID: json["accessKey"]?.string ?? "",
            secretAccessKey: json["secretKey"]?.string ?? "",
            sessionToken: json["sessionToken"]?.string
        )
        return (credentials, nil)
    }
}

/// Azure SAS tokens from the simulator.
struct SimAzureCredentials: StorageCredentialProvider {
    let source: SimCredentialSource

    func fetchCredential() async throws -> (value: AzureSAS, expiration: Date?) {
        (AzureSAS(try await source.fetch()["sasToken"]?.string ?? ""), nil)
    }
}

/// Storage clients built the way Interlink builds them, pointed at what the simulator's API says.
enum SimClients {
    /// A retry policy quick enough for tests: a few attempts, millisecond backoff.
    static let quickRetries = RetryPolicy(
        maxAttempts: 4,
        base: .milliseconds(20),
        cap: .milliseconds(100),
        credentialPause: .milliseconds(10)
    )

    /// Uploads `bytes` as a multipart object in parts of `partSize`, `window` parts in flight, with a zero IV as
    /// its only metadata; what the emulator then holds is up to the test.
    static func uploadParts(
        _ bytes: [UInt8],
        to key: ObjectKey,
        in store: any ObjectStore,
        partSize: Int,
        window: Int
    ) async throws {
        _ = try await ConcurrentUploader(store: store, window: window, logger: quietLogger).upload(
            to: key,
            metadata: ObjectMetadata([("iv", "AAAAAAAAAAAAAAAAAAAAAA==")]),
            partSize: partSize,
            from: BufferPartSource(bytes: bytes, partSize: partSize),
            expectedBytes: Int64(bytes.count)
        )
    }

    /// An S3 client for the user's default storage (`users/me`), with credentials from the credentials endpoint.
    static func s3(_ sim: SimHarness, source: SimCredentialSource) async throws -> S3Client {
        let settings = try #require(
            try await sim.call(.GET, "/api/v3/users/me/").json?["defaultStorage"]?["connectionSettings"]
        )
        let endpoint = try #require(S3Endpoint.custom(url: settings["endpoint"]?.string ?? ""))
        return S3Client(
            transport: HTTPClientTransport(client: sim.client),
            endpoint: endpoint,
            bucket: settings["container"]?.string ?? "",
            region: settings["region"]?.string ?? "us-east-1",
            credentials: CredentialCache(provider: SimS3Credentials(source: source)),
            retrier: StorageRetrier(policy: quickRetries, logger: quietLogger)
        )
    }

    /// An Azure client for the user's default storage, with SAS tokens from the credentials endpoint.
    static func azure(_ sim: SimHarness, source: SimCredentialSource) async throws -> AzureBlobClient {
        let settings = try #require(
            try await sim.call(.GET, "/api/v3/users/me/").json?["defaultStorage"]?["connectionSettings"]
        )
        return AzureBlobClient(
            transport: HTTPClientTransport(client: sim.client),
            accountURL: settings["endpoint"]?.string ?? "",
            container: settings["container"]?.string ?? "",
            credentials: CredentialCache(provider: SimAzureCredentials(source: source)),
            retrier: StorageRetrier(policy: quickRetries, logger: quietLogger)
        )
    }

    /// Reads a whole object and decrypts it (v0 or v2 by its metadata), checking size and SHA-512 from the record.
    static func download(_ record: JSONValue, from store: any ObjectStore) async throws -> (
        bytes: [UInt8], format: ObjectFormat
    ) {
        let key = ObjectKey(record["pathParts"]?["path"]?.string ?? "")
        let properties = try await store.properties(of: key)
        var metadata: [String: String] = [:]
        for entry in properties.metadata.entries { metadata[entry.name] = entry.value }
        let format = try ObjectFormat.detect(metadata: metadata, recordIV: record["iv"]?.string, path: key.rawValue)
        guard case .v0(let iv) = format else { throw SimClientError(description: "not a v0 object: \(format)") }
        let ciphertext = try await store.read(key, range: 0...(properties.size - 1))
        var decryptor = CBCStreamDecryptor(
            key: try EncryptionKey(base64: record["encodedEncryptionKey"]?.string ?? ""),
            iv: iv,
            path: key.rawValue
        )
        let plaintext = try decryptor.decrypt(Array(ciphertext.readableBytesView), isFinal: true)
        let checksum = record["fileChecksums"]?.array?.first?["fileHash"]?.string
        try decryptor.verify(decryptedSize: Int64(record["decryptedSize"]?.int ?? -1), sha512: checksum)
        return (Array(plaintext), format)
    }
}
