import Foundation
import InterlinkCore
import InterlinkStorage
import InterlinkTestSupport
import NIOCore
import RescaleSim
import Testing

/// The built-in S3 subset as a plain S3 client sees it: `Expect: 100-continue` answered, bodies over the limit
/// refused with `EntityTooLarge`, and objects and parts kept as files under the work root.
@Suite(.tags(.integration)) struct SimS3DiskTests {
    /// A small upload limit, so that a refused body is cheap.
    static func configuration() -> SimConfiguration {
        var configuration = SimConfiguration(users: [.init(apiKey: "k1")])
        configuration.s3UploadLimit = 1 << 20
        return configuration
    }

    /// How long curl waits for an interim `100 Continue` before it sends the body anyway.
    ///
    /// Long, so that a simulator that does not answer `Expect` takes at least this long while a loaded machine
    /// stays far below ``bound``.
    static let expectTimeout = 60
    /// The seconds an answered or refused upload may take: half of ``expectTimeout``, with room for a debug build
    /// sharing both cores with the parallel suite (under four busy loops beside other suites, a 256 KiB upload
    /// that was answered at once took 10.7 s, and a 5 s bound failed in 3 of 8 runs).
    static let bound = 30.0

    /// `curl --aws-sigv4` against the simulator with fresh credentials; returns the status line's code, the body,
    /// the seconds taken and the headers of every response, interim ones included.
    static func curl(
        _ sim: SimHarness,
        _ arguments: [String],
        path: String,
        output: String
    ) async throws -> (status: Int, body: String, seconds: Double, headers: String) {
        let credentials = try #require(try await sim.call(.POST, "/api/v3/credentials/").json)
        let user = "\(credentials["accessKey"]?.string ?? ""):\(credentials["secretKey"]?.string ?? "")"
        let started = ContinuousClock.now
        let result = try await ChildProcess.run(
            "/usr/bin/curl",
            [
                "-sS", "--aws-sigv4", "aws:amz:us-east-1:s3", "--user", user,
                "-H", "x-amz-security-token: \(credentials["sessionToken"]?.string ?? "")",
                "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD", "-o", output, "-D", output + ".headers",
                "-w", "%{http_code}",
            ] + arguments + [sim.base + "/rescale-sim/" + path]
        )
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        let body = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let headers = (try? String(contentsOfFile: output + ".headers", encoding: .utf8)) ?? ""
        #expect(result.stderrText.isEmpty, "\(result.stderrText)")
        return (Int(result.stdoutText) ?? 0, body, seconds, headers)
    }

    @Test func expectContinueIsAnsweredAndBodiesOverTheLimitAreRefused() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("s3disk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let small = directory.appendingPathComponent("small").path
        let large = directory.appendingPathComponent("large").path
        let smallBytes = (0..<(256 << 10)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        try Data(smallBytes).write(to: URL(fileURLWithPath: small))
        try Data(count: 2 << 20).write(to: URL(fileURLWithPath: large))
        let out = directory.appendingPathComponent("out").path
        try await SimHarness.with(Self.configuration()) { sim, server in
            // Without the interim answer curl would wait the whole --expect100-timeout before sending.
            let put = try await Self.curl(
                sim,
                ["-T", small, "-H", "Expect: 100-continue", "--expect100-timeout", "\(Self.expectTimeout)"],
                path: "user/sim/small",
                output: out
            )
            #expect(put.status == 200)
            #expect(put.headers.contains("HTTP/1.1 100 Continue"), "\(put.headers)")
            #expect(put.seconds < Self.bound)
            let get = try await Self.curl(sim, [], path: "user/sim/small", output: out)
            #expect(get.status == 200)
            #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(smallBytes))
            let range = try await Self.curl(sim, ["-H", "Range: bytes=1000-1999"], path: "user/sim/small", output: out)
            #expect(range.status == 206)
            #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(smallBytes[1000..<2000]))
            for expect in ["Expect: 100-continue", "Expect:"] {
                let refused = try await Self.curl(
                    sim,
                    ["-T", large, "-H", expect, "--expect100-timeout", "\(Self.expectTimeout)"],
                    path: "user/sim/large",
                    output: out
                )
                #expect(refused.status == 400, "\(expect)")
                #expect(refused.body.contains("<Code>EntityTooLarge</Code>"), "\(refused.body)")
                #expect(!refused.headers.contains(" 100 "), "refused without an interim answer: \(refused.headers)")
                #expect(refused.seconds < Self.bound)
            }
            await #expect(throws: S3Error.self) { try await server.s3.object("user/sim/large", in: "rescale-sim") }
            let stored = try await server.s3.object("user/sim/small", in: "rescale-sim")
            #expect(stored.paths.count == 1 && stored.paths.allSatisfy { $0.hasPrefix(server.workRoot + "/s3/") })
            #expect(stored.size == smallBytes.count)
        }
    }

    /// Completing a multipart upload copies nothing: the object's segments are its parts' files, in order, and a
    /// ranged read across a part boundary and a whole read come back intact.
    @Test func partsBecomeTheObjectsSegmentsAtCompletion() async throws {
        try await SimHarness.with(SimExecutionTests.fastConfiguration()) { sim, server in
            let store = try await SimClients.s3(sim, source: SimCredentialSource(sim))
            let partSize = 5 << 20
            let bytes = (0..<(partSize + 4321)).map { UInt8(truncatingIfNeeded: $0 % 249) }
            let key = ObjectKey("user/sim/joined.bin")
            try await SimClients.uploadParts(bytes, to: key, in: store, partSize: partSize, window: 2)
            let object = try await server.s3.object(key.rawValue, in: "rescale-sim")
            #expect(object.etag.hasSuffix("-2\""))
            // The parts' files are the object's segments and the only files left; nothing was joined.
            let files = try FileManager.default.contentsOfDirectory(atPath: server.workRoot + "/s3")
            #expect(Set(files.map { server.workRoot + "/s3/" + $0 }) == Set(object.paths))
            #expect(object.segments.map(\.size) == [partSize, 4321])
            #expect(object.size == bytes.count)
            #expect(try Data(contentsOf: URL(fileURLWithPath: object.paths[1])) == Data(bytes[partSize...]))
            let middle = try await store.read(key, range: Int64(partSize - 10)...Int64(partSize + 9))
            #expect(Array(middle.readableBytesView) == Array(bytes[(partSize - 10)..<(partSize + 10)]))
            let tail = try await store.read(key, range: Int64(partSize + 1)...Int64(partSize + 4320))
            #expect(Array(tail.readableBytesView) == Array(bytes[(partSize + 1)...]))
            let whole = try await store.read(key, range: 0...Int64(bytes.count - 1))
            #expect(Array(whole.readableBytesView) == bytes)
            try await server.s3.delete(key.rawValue, in: "rescale-sim")
            #expect(try FileManager.default.contentsOfDirectory(atPath: server.workRoot + "/s3").isEmpty)
        }
    }

    /// A GET reads one chunk ahead of the socket across the object's segments: ranges that start in the first part
    /// and end in the third, or lie across one boundary, come back exact.
    @Test func rangedReadsAcrossThreeSegmentsReturnTheExactBytes() async throws {
        try await SimHarness.with(SimExecutionTests.fastConfiguration()) { sim, server in
            let store = try await SimClients.s3(sim, source: SimCredentialSource(sim))
            let partSize = 5 << 20
            let bytes = (0..<(2 * partSize + 777)).map { UInt8(truncatingIfNeeded: ($0 &* 7) % 251) }
            let key = ObjectKey("user/sim/three.bin")
            try await SimClients.uploadParts(bytes, to: key, in: store, partSize: partSize, window: 3)
            let object = try await server.s3.object(key.rawValue, in: "rescale-sim")
            #expect(object.segments.map(\.size) == [partSize, partSize, 777])
            let last = bytes.count - 1
            for range in [1...(last - 1), (partSize - 1)...(2 * partSize), (2 * partSize - 3)...last, 0...last] {
                let read = try await store.read(key, range: Int64(range.lowerBound)...Int64(range.upperBound))
                #expect(read.readableBytes == range.count)
                #expect(Array(read.readableBytesView) == Array(bytes[range]), "range \(range)")
            }
        }
    }
}
