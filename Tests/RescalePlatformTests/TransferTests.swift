import Foundation
import InterlinkCore
import InterlinkCrypto
import InterlinkHTTP
import InterlinkStorage
import InterlinkTestSupport
import InterlinkTransfer
import Synchronization
import Testing

@testable import RescalePlatform

/// Upload, register, list and download through moto, reached with the `AWS_ENDPOINT_URL_S3` override.
@Suite(.tags(.integration)) struct TransferTests {
    /// The fake API: S3 default storage, credentials, registration, folder listing and job outputs built from
    /// what was registered.
    func makeServer(bucket: String) -> ScriptedServer {
        ScriptedServer { request, _ in
            switch (request.method, request.path) {
            case ("GET", "/api/v3/users/me/"):
                return .json(
                    #"{"email":"ada@example.com","defaultStorage":{"id":"sTor01","storageType":"S3Storage","encryptionType":"default","connectionSettings":{"region":"us-east-1","container":"\#(bucket)","pathBase":"user/ada","pathPartsBase":"user/ada"}}}"#
                )
            case ("GET", "/api/v3/users/me/folders/"): return .json(#"{"myLibrary":"lib1","myJobs":"jobs1"}"#)
            case ("POST", "/api/v3/credentials/"):
                return .json(
                    #"{"storageType":"S3Storage","accessKey":"testing","secretKey":"testing","sessionToken":"t"}"#
                )
            case ("POST", "/api/v3/files/"): return .json(#"{"id":"F1"}"#, status: 201)
            default: return .json(#"{"detail":"Not found."}"#, status: 404)
            }
        }
    }

    func outputsReply(from registration: [String: Any]) -> String {
        var record = registration
        record["id"] = "OUT1"
        record["relativePath"] = "results/data.bin"
        record["storage"] = [
            "id": "sTor01", "storageType": "S3Storage", "connectionSettings": ["region": "us-east-1"],
        ]
        return jsonText(["count": 1, "next": NSNull(), "results": [record]])
    }

    @Test(.disabled(if: MotoServer.isWaived, Comment(rawValue: MotoServer.waivedComment)))
    func uploadsRegistersAndDownloadsThroughTheS3Override() async throws {
        guard let moto = MotoServer.endpoint else {
            Issue.record(Comment(rawValue: MotoServer.missingMessage))
            return
        }
        let bucket = "rescale-\(UUID().uuidString.lowercased().prefix(8))"
        let endpoint = try #require(S3Endpoint.custom(url: moto))
        let admin = S3Client(
            transport: HTTPClientTransport(client: .shared),
            endpoint: endpoint,
            bucket: bucket,
            region: "us-east-1",
            credentials: CredentialCache(
                provider: StaticCredentialProvider(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"))
            ),
            retrier: StorageRetrier(logger: quietLogger)
        )
        try await admin.createBucket()
        let directory = try makeTemporaryDirectory()
        let source = directory.appendingPathComponent("data.bin")
        let payload = patternBytes(count: 300_017, seed: 7)
        try Data(payload).write(to: source)
        let digest = SHA512.hash(data: Data(payload)).map { String(format: "%02x", $0) }.joined()
        let upload = PlannedUpload(
            name: "data.bin",
            source: .file(path: source.path),
            decompress: false,
            fileCount: 1,
            bytes: Int64(payload.count)
        )
        let server = makeServer(bucket: bucket)
        try await server.run { base in
            let platform = try makePlatform(base, environment: ["AWS_ENDPOINT_URL_S3": moto])
            try await platform.prepareStorage()
            // First attempt stops after the upload was created: its checkpoint must let the second attempt continue.
            let first = Mutex<UploadCheckpoint?>(nil)
            struct Stop: Error {}
            await #expect(throws: Stop.self) {
                _ = try await platform.upload(upload, idempotencyKey: IdempotencyKey("k/upload/0"), resumingFrom: nil) {
                    progress in
                    if let checkpoint = progress.checkpoint {
                        first.withLock { $0 = checkpoint }
                        throw Stop()
                    }
                }
            }
            let saved = try #require(first.withLock { $0 })
            let object = try await platform.upload(
                upload,
                idempotencyKey: IdempotencyKey("k/upload/0"),
                resumingFrom: saved
            ) { _ in }
            #expect(saved.payload.contains(object.storagePath))
            #expect(
                object.storagePath.hasPrefix("user/ada/data.bin-")
                    && object.storagePath.count == "user/ada/data.bin-".count + 22
            )
            #expect(object.sha512 == digest && object.plaintextBytes == Int64(payload.count))
            let properties = try await admin.properties(of: ObjectKey(object.storagePath))
            #expect(properties.size == PartSize.encryptedSize(plaintextSize: Int64(payload.count)))
            #expect(properties.metadata["streamingformat"] == "cbc" && properties.metadata["partsize"] == "16777216")
            #expect(properties.metadata["iv"]?.count == 24)
            #expect(
                try await platform.registerFile(object, idempotencyKey: IdempotencyKey("k/register/0")) == FileID("F1")
            )
            let registration = jsonObject(try #require(server.requests.last { $0.path == "/api/v3/files/" }).body)
            #expect(registration["currentFolderId"] as? String == "lib1")
            #expect((registration["pathParts"] as? [String: Any])?["path"] as? String == object.storagePath)
            #expect((registration["fileChecksums"] as? [[String: Any]])?.first?["fileHash"] as? String == digest)
            #expect(registration["decryptedSize"] as? Int == payload.count)
            #expect((registration["encodedEncryptionKey"] as? String)?.count == 44)
            try await verifyDownload(
                platform: platform,
                registration: registration,
                directory: directory,
                payload: payload,
                digest: digest
            )
        }
    }

    func verifyDownload(
        platform: RescalePlatform,
        registration: [String: Any],
        directory: URL,
        payload: [UInt8],
        digest: String
    ) async throws {
        let outputs = outputsReply(from: registration)
        let listing = ScriptedServer { request, _ in
            switch request.path {
            case "/api/v2/jobs/J1/files/?page_size=100": .json(outputs)
            case "/api/v3/credentials/":
                .json(#"{"storageType":"S3Storage","accessKey":"testing","secretKey":"testing","sessionToken":"t"}"#)
            default: .json(#"{"detail":"Not found."}"#, status: 404)
            }
        }
        let moto = ProcessInfo.processInfo.environment["INTERLINK_TEST_S3_ENDPOINT"] ?? ""
        try await listing.run { base in
            let reader = try makePlatform(base, environment: ["AWS_ENDPOINT_URL_S3": moto])
            let outputs = try await reader.listOutputs(of: JobID("J1"))
            let output = try #require(outputs.first)
            #expect(output.relativePath == "results/data.bin" && output.sha512 == digest)
            let destination = directory.appendingPathComponent("out/results/data.bin").path
            #expect(try await reader.verifyDownload(output, at: destination) == nil)
            let file = try await reader.download(output, to: destination) { _ in }
            #expect(file.sha512 == digest && file.bytes == Int64(payload.count))
            #expect(try Data(contentsOf: URL(fileURLWithPath: destination)) == Data(payload))
            #expect(!FileManager.default.fileExists(atPath: destination + ".partial"))
            #expect(try await reader.verifyDownload(output, at: destination) != nil)
            try Data(payload.prefix(10)).write(to: URL(fileURLWithPath: destination))
            #expect(try await reader.verifyDownload(output, at: destination) == nil)
            let credentialCalls = listing.requests.filter { $0.path == "/api/v3/credentials/" }
            let body = jsonObject(try #require(credentialCalls.first).body)
            #expect((body["storage"] as? [String: Any])?["id"] as? String == "sTor01")
        }
    }
}
