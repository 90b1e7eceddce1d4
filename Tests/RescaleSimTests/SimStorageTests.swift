import Foundation
import InterlinkCore
import InterlinkCrypto
import InterlinkStorage
import InterlinkTestSupport
import InterlinkTransfer
import NIOCore
import RescaleSim
import Testing

@Suite(.tags(.integration)) struct SimStorageTests {
    /// Runs a fixture script with python3 and returns its JSON output, failing with its stderr.
    static func python(_ fixture: String, _ arguments: [String]) async throws -> JSONValue {
        let script = try #require(Bundle.module.url(forResource: "Fixtures/\(fixture)", withExtension: "py"))
        // The script talks to a server in this process: ChildProcess waits off the cooperative pool.
        let result = try await ChildProcess.run("/usr/bin/env", ["python3", script.path] + arguments)
        let output = result.stdout
        let errors = result.stderrText
        try #require(result.status == 0, "\(fixture) failed: \(errors)")
        return try #require(JSONValue.parse(Array(output)))
    }

    @Test func azureSDKRunsAJobWithASASFromTheCredentialsEndpoint() async throws {
        let configuration = SimExecutionTests.fastConfiguration(storage: .azure)
        try await SimHarness.with(configuration) { sim, server in
            let observed = try await Self.python("azure_sim_job", [sim.base, sim.key])
            #expect(observed["storage_type"] == "AzureStorage")
            #expect(observed["blocks"]?.int == 3)
            #expect(observed["final"] == ["Completed", "Completed successfully"])
            #expect(observed["output_metadata_keys"] == ["iv"])
            #expect(observed["outputs"]?["count.txt"] == "2000\n")
            #expect(observed["outputs"]?["first.txt"] == "eno enil\n")
            #expect(observed["outputs"]?["process_output.log"] == "")
            #expect(observed["outputs"]?["input.txt"] == nil)
            #expect(observed["revoked"] == "AuthenticationFailed")
            #expect(observed["fresh_size"]?.int == 16)
            let stored = try await server.blob.store.blob("input.txt-q3ZkT0aLm9XcVb2nRw8YpE", in: "simcontainer")
            #expect(stored.blocks.count == 3)
        }
    }

    @Test(.disabled(if: MotoServer.isWaived, Comment(rawValue: MotoServer.waivedComment)))
    func externalS3ModeChecksRegistrationsAndKeepsInputsAndOutputsInMoto() async throws {
        guard let endpoint = motoEndpoint() else { return }
        let bucket = "sim-\(UUID().uuidString.lowercased().prefix(12))"
        let moto = S3Client(
            transport: HTTPClientTransport(client: .shared),
            endpoint: try #require(S3Endpoint.custom(url: endpoint)),
            bucket: bucket,
            region: "us-east-1",
            credentials: CredentialCache(
                provider: StaticCredentialProvider(AWSCredentials(accessKeyID: "test", secretAccessKey: "test"))
            ),
            retrier: StorageRetrier(policy: SimClients.quickRetries, logger: quietLogger)
        )
        try await moto.createBucket()
        var configuration = SimExecutionTests.fastConfiguration()
        configuration.externalS3 = .init(endpoint: endpoint, bucket: bucket)
        try await SimHarness.with(configuration) { sim, _ in
            let credentials = try #require(try await sim.call(.POST, "/api/v3/credentials/").json)
            #expect(credentials["endpoint"]?.string == endpoint)
            let storage = try #require(try await sim.call(.GET, "/api/v3/users/me/").json?["defaultStorage"])
            #expect(storage["connectionSettings"]?["container"]?.string == bucket)
            var missing = try #require(
                JSONValue.parse(Array(SimAPITests.register(path: "user/sim/absent-x").utf8))?.object
            )
            missing["pathParts"] = ["container": .string(bucket), "path": "user/sim/absent-x"]
            let refused = try await sim.call(.POST, "/api/v3/files/", body: JSONValue.object(missing).compactJSON)
            #expect(refused.status == 400)
            #expect(refused.json?["pathParts"]?["path"]?.array?.first?.string?.contains("'user/sim/absent-x'") == true)

            let plaintext = Array("from moto\n".utf8)
            let key = EncryptionKey.random()
            let iv = CipherBlock.random()
            var chain = CBCChain(key: key, iv: iv)
            var ciphertext = Data()
            (plaintext + PKCS7.padding(forLength: plaintext.count)).withUnsafeBytes {
                chain.encrypt($0, appendingTo: &ciphertext)
            }
            let path = "user/sim/in.txt-" + ObjectNameSuffix.make()
            let store = try await SimClients.s3(sim, source: SimCredentialSource(sim))
            try await store.putObject(
                ByteBuffer(bytes: ciphertext),
                at: ObjectKey(path),
                metadata: ObjectMetadata([("iv", iv.base64)])
            )
            let fileID = try await sim.register(
                name: "in.txt",
                path: path,
                container: bucket,
                storage: storage,
                key: key.base64,
                size: plaintext.count,
                sha512: Hex.encode(SHA512.hash(data: plaintext))
            )
            let id = try await sim.runJob(
                "moto",
                command: "cp in.txt copy.txt && echo more >> copy.txt",
                inputs: [(fileID, false)]
            )
            #expect(try await sim.waitForCompletion(id).last?.reason == "Completed successfully")
            let records = try await sim.outputs(of: id, pageSize: 25).records
            let copy = try #require(records.first { $0["name"]?.string == "copy.txt" })
            #expect(
                String(decoding: try await SimClients.download(copy, from: moto).bytes, as: UTF8.self)
                    == "from moto\nmore\n"
            )
        }
    }

    @Test func s3FaultsAreSurvivedByOurClientAndExpiryForcesAFreshCredential() async throws {
        try await SimHarness.with(SimExecutionTests.fastConfiguration()) { sim, _ in
            for rule in [
                "s3.UploadPart:1:500", "s3.UploadPart:2:reset", "s3.CompleteMultipartUpload:1:503",
                "s3.GetObject:1:expire", "s3.GetObject:2:slow=300",
            ] {
                let parts = rule.split(separator: ":").map(String.init)
                let body: JSONValue = [
                    "kind": .string(parts[0]), "nth": .number(Double(parts[1]) ?? 1), "action": .string(parts[2]),
                ]
                #expect(try await sim.call(.POST, "/_sim/faults", body: body.compactJSON).status == 201)
            }
            let source = SimCredentialSource(sim)
            let store = try await SimClients.s3(sim, source: source)
            let partSize = 5 << 20
            let bytes = (0..<(partSize + 1000)).map { UInt8(truncatingIfNeeded: $0 % 251) }
            let key = ObjectKey("user/sim/faults.bin")
            try await SimClients.uploadParts(bytes, to: key, in: store, partSize: partSize, window: 1)
            #expect(await source.fetches == 1)
            #expect(try await store.properties(of: key).size == Int64(bytes.count))
            // The GET expires every credential (S3 answers ExpiredToken in the body), the client refreshes once and
            // its retry is the slow one.
            let started = ContinuousClock.now
            let tail = try await store.read(key, range: Int64(partSize)...Int64(partSize + 999))
            #expect(ContinuousClock.now - started >= .milliseconds(300))
            #expect(Array(tail.readableBytesView) == Array(bytes[partSize...]))
            #expect(await source.fetches == 2)
            let requests = try #require(try await sim.call(.GET, "/_sim/counts").json?["requests"])
            #expect(requests["s3.UploadPart"]?.int == 4)
            #expect(requests["s3.CompleteMultipartUpload"]?.int == 2)
            #expect(requests["s3.GetObject"]?.int == 2)
        }
    }

    @Test func azureFaultsAreSurvivedAndARevokedSASIsReplaced() async throws {
        try await SimHarness.with(SimExecutionTests.fastConfiguration(storage: .azure)) { sim, _ in
            for (kind, action) in [
                ("azure.PutBlock", "500"), ("azure.PutBlock", "reset"), ("azure.GetBlob", "slow=300"),
            ] {
                let body: JSONValue = [
                    "kind": .string(kind), "nth": action == "reset" ? 2 : 1, "action": .string(action),
                ]
                #expect(try await sim.call(.POST, "/_sim/faults", body: body.compactJSON).status == 201)
            }
            let source = SimCredentialSource(sim)
            let store = try await SimClients.azure(sim, source: source)
            let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 % 253) }
            let key = ObjectKey("faults.bin-q3ZkT0aLm9XcVb2nRw8YpE")
            try await SimClients.uploadParts(bytes, to: key, in: store, partSize: 100_000, window: 1)
            let started = ContinuousClock.now
            let middle = try await store.read(key, range: 100_000...199_999)
            #expect(ContinuousClock.now - started >= .milliseconds(300))
            #expect(Array(middle.readableBytesView) == Array(bytes[100_000..<200_000]))
            #expect(await source.fetches == 1)
            #expect(try await sim.call(.POST, "/_sim/credentials/expire").status == 204)
            #expect(try await store.properties(of: key).size == 300_000)
            #expect(await source.fetches == 2)  // AuthenticationFailed forced one refresh
            let requests = try #require(try await sim.call(.GET, "/_sim/counts").json?["requests"])
            #expect(requests["azure.PutBlock"]?.int == 5)
            #expect(requests["azure.GetBlobProperties"]?.int == 2)
        }
    }
}
