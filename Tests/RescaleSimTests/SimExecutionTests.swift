import Foundation
import InterlinkCore
import InterlinkCrypto
import InterlinkStorage
import InterlinkTestSupport
import InterlinkTransfer
import NIOCore
import RescaleSim
import Testing

@Suite(.tags(.integration)) struct SimExecutionTests {
    static func fastConfiguration(storage: SimConfiguration.StorageKind = .s3) -> SimConfiguration {
        var configuration = SimConfiguration(users: [.init(apiKey: "k1", storage: storage)])
        configuration.timeScale = 1000
        return configuration
    }

    /// Encrypts a tar.gz of `files` with our streaming producer (v2), as the PUR pipeline does.
    static func encryptedArchive(_ files: [(name: String, bytes: [UInt8])], partSize: Int) async throws -> (
        ciphertext: [UInt8], key: EncryptionKey, iv: CipherBlock, summary: UploadSummary
    ) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sim-in-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var entries: [ArchiveManifest.Entry] = []
        for file in files {
            let path = directory + "/" + file.name
            try Data(file.bytes).write(to: URL(fileURLWithPath: path))
            entries.append(
                .init(
                    name: file.name,
                    sourcePath: path,
                    kind: .file,
                    size: Int64(file.bytes.count),
                    mode: 0o644,
                    modificationTime: 1_700_000_000
                )
            )
        }
        let key = EncryptionKey.random()
        let iv = CipherBlock.random()
        let producer = try UploadPartProducer.archive(
            ArchiveManifest(entries: entries),
            compression: .gzip,
            key: key,
            iv: iv,
            partSize: partSize,
            name: "case.tar.gz"
        )
        var ciphertext: [UInt8] = []
        while let part = try await producer.nextPart() { ciphertext += part.bytes }
        let summary = try #require(producer.summary)
        return (ciphertext, key, iv, summary)
    }

    @Test func v2InputUploadedByOurClientRunsAndOutputsDecryptToWhatTheCommandWrote() async throws {
        var generator = SystemRandomNumberGenerator()
        var data: [UInt8] = []
        data.reserveCapacity(6 << 20)
        for _ in 0..<((6 << 20) / 8) { withUnsafeBytes(of: generator.next() as UInt64) { data += $0 } }
        let partSize = 5 << 20
        let input = try await Self.encryptedArchive(
            [("note.txt", Array("hello sim\n".utf8)), ("data.bin", data)],
            partSize: partSize
        )
        try await SimHarness.with(Self.fastConfiguration()) { sim, server in
            let source = SimCredentialSource(sim)
            let store = try await SimClients.s3(sim, source: source)
            let key = ObjectKey("user/sim/case.tar.gz-" + ObjectNameSuffix.make())
            let checkpoint = try await ConcurrentUploader(store: store, window: 2, logger: quietLogger).upload(
                to: key,
                metadata: ObjectMetadata.streaming(iv: input.iv.base64, partSize: partSize),
                partSize: partSize,
                from: BufferPartSource(bytes: input.ciphertext, partSize: partSize),
                expectedBytes: Int64(input.ciphertext.count)
            )
            #expect(checkpoint.completedParts.count == 2)
            let storage = try #require(try await sim.call(.GET, "/api/v3/users/me/").json?["defaultStorage"])
            let fileID = try await sim.register(
                name: "case.tar.gz",
                path: key.rawValue,
                container: "rescale-sim",
                storage: storage,
                key: input.key.base64,
                size: Int(input.summary.plaintextSize),
                sha512: input.summary.sha512
            )
            let command = """
                sha512sum data.bin | cut -d' ' -f1 > digest.txt
                tr a-z A-Z < note.txt > upper.txt
                mkdir -p results && echo "$GREETING $RESCALE_JOB_ID" > results/flag.txt
                echo "log line"
                """
            let id = try await sim.runJob("v2-input", command: command, inputs: [(fileID, true)])
            let history = try await sim.waitForCompletion(id)
            #expect(history.map(\.status) == ["Pending", "Queued", "Started", "Validated", "Executing", "Completed"])
            #expect(history.last?.reason == "Completed successfully")
            let (records, pages) = try await sim.outputs(of: id, pageSize: 2)
            #expect(pages == 2)
            #expect(
                records.compactMap { $0["relativePath"]?.string }.sorted() == [
                    "digest.txt", "process_output.log", "results/flag.txt", "upper.txt",
                ]
            )
            var contents: [String: String] = [:]
            for record in records {
                #expect(record["typeId"]?.int == 5)
                #expect(record["iv"] == nil)
                let (bytes, format) = try await SimClients.download(record, from: store)
                if case .v0 = format {} else { Issue.record("outputs are v0, got \(format)") }
                contents[record["relativePath"]?.string ?? ""] = String(decoding: bytes, as: UTF8.self)
            }
            #expect(contents["digest.txt"] == Hex.encode(SHA512.hash(data: data)) + "\n")
            #expect(contents["upper.txt"] == "HELLO SIM\n")
            #expect(contents["results/flag.txt"] == "hello from the sim \(id)\n")
            #expect(contents["process_output.log"] == "log line\n")
            let flag = try #require(records.first { $0["name"]?.string == "flag.txt" })
            let stored = try await server.s3.object(flag["pathParts"]?["path"]?.string ?? "", in: "rescale-sim")
            #expect(stored.metadata.keys.sorted() == ["iv"])
            #expect(flag["pathParts"]?["path"]?.string == "user/sim/output/job_\(id)/run1/results/flag.txt")
            let one = try await sim.call(.GET, "/api/v3/files/\(flag["id"]?.string ?? "")/")
            #expect(one.status == 200 && one.json?["relativePath"]?.string == "results/flag.txt")
        }
    }

    @Test func failedCommandEndsWithARunFailedAndStillStoresItsOutputs() async throws {
        try await SimHarness.with(Self.fastConfiguration()) { sim, _ in
            let id = try await sim.runJob("fails", command: "echo partial > out.txt; echo oops >&2; exit 3")
            let history = try await sim.waitForCompletion(id)
            #expect(
                history.map(\.status) == [
                    "Pending", "Queued", "Started", "Validated", "Executing", "Stopping", "Completed",
                ]
            )
            #expect(history.suffix(2).map(\.reason) == ["A run failed", "A run failed"])
            let (records, _) = try await sim.outputs(of: id, pageSize: 25)
            #expect(records.compactMap { $0["name"]?.string }.sorted() == ["out.txt", "process_output.log"])
            let store = try await SimClients.s3(sim, source: SimCredentialSource(sim))
            let log = try #require(records.first { $0["name"]?.string == "process_output.log" })
            let text = String(decoding: try await SimClients.download(log, from: store).bytes, as: UTF8.self)
            #expect(text.contains("oops\n"))
            #expect(text.contains("rescale-sim: the command exited with status 3"))
        }
    }

    @Test func inputMissingFromStorageFailsTheRunWithTheReasonInTheLog() async throws {
        try await SimHarness.with(Self.fastConfiguration()) { sim, server in
            let storage = try #require(try await sim.call(.GET, "/api/v3/users/me/").json?["defaultStorage"])
            try await server.s3.put(
                "user/sim/gone-x",
                in: "rescale-sim",
                bytes: Array(repeating: 0, count: 32),
                metadata: ["iv": CipherBlock.random().base64]
            )
            let fileID = try await sim.register(
                name: "gone.txt",
                path: "user/sim/gone-x",
                container: "rescale-sim",
                storage: storage,
                key: EncryptionKey.random().base64,
                size: 5,
                sha512: String(repeating: "a", count: 128)
            )
            try await server.s3.delete("user/sim/gone-x", in: "rescale-sim")
            let id = try await sim.runJob("missing", command: "touch never-here", inputs: [(fileID, false)])
            let history = try await sim.waitForCompletion(id)
            #expect(history.last?.reason == "A run failed")
            #expect(history.map(\.status) == ["Pending", "Queued", "Started", "Stopping", "Completed"])
            let (records, _) = try await sim.outputs(of: id, pageSize: 25)
            #expect(records.compactMap { $0["name"]?.string } == ["process_output.log"])
            let log = try #require(records.first)
            let text = String(
                decoding: try await SimClients.download(
                    log,
                    from: try await SimClients.s3(sim, source: SimCredentialSource(sim))
                ).bytes,
                as: UTF8.self
            )
            #expect(text.contains("input 'gone.txt'") && text.contains("user/sim/gone-x"))
        }
    }

    @Test func stopKillsTheRunningCommandAndKeepsWhatItWrote() async throws {
        try await SimHarness.with(Self.fastConfiguration()) { sim, _ in
            let id = try await sim.runJob("long", command: "echo started > started.txt; sleep 60; echo late > late.txt")
            let deadline = ContinuousClock.now + .seconds(20)
            while try await sim.currentStatus(id) != "Executing", ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await Task.sleep(for: .milliseconds(200))
            let stopped = ContinuousClock.now
            #expect(try await sim.call(.POST, "/api/v3/jobs/\(id)/stop/").status == 202)
            let history = try await sim.waitForCompletion(id, timeout: .seconds(20))
            #expect(ContinuousClock.now - stopped < .seconds(40))  // the command alone would take 60 s
            #expect(history.suffix(2).map(\.status) == ["Stopping", "Completed"])
            #expect(history.last?.reason == "Stopped by user")
            let names = try await sim.outputs(of: id, pageSize: 25).records.compactMap { $0["name"]?.string }.sorted()
            #expect(names == ["process_output.log", "started.txt"])
        }
    }
}
