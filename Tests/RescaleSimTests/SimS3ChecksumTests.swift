import CSystemCodecs
import Foundation
import InterlinkCore
import InterlinkHTTP
import InterlinkStorage
import InterlinkTestSupport
import NIOCore
import RescaleSim
import Testing

/// Streams bytes in memory as parts of `partSize`, 1 MiB at a time.
private struct PatternStream: StreamingPartSource {
    let bytes: [UInt8]
    let partSize: Int
    var next = 1

    var replayer: (@Sendable (Int, PartChunks) async throws -> Void)? {
        { [bytes, partSize] number, chunks in await Self.write(bytes, number, partSize, into: chunks) }
    }

    mutating func nextPartLength() async throws -> Int? {
        let start = (next - 1) * partSize
        return start < bytes.count ? min(partSize, bytes.count - start) : nil
    }

    mutating func writePart(into chunks: PartChunks) async throws {
        await Self.write(bytes, next, partSize, into: chunks)
        next += 1
    }

    static func write(_ bytes: [UInt8], _ number: Int, _ partSize: Int, into chunks: PartChunks) async {
        var offset = (number - 1) * partSize
        let end = min(bytes.count, number * partSize)
        while offset < end {
            let stop = min(end, offset + (1 << 20))
            await chunks.send(ByteBuffer(bytes: bytes[offset..<stop]))
            offset = stop
        }
    }
}

/// Sends every streamed part with a trailer whose CRC-32 began on a stray byte: the payload arrives intact, its
/// checksum does not match it.
private struct WrongTrailerTransport: StorageTransport {
    let inner: HTTPClientTransport

    func send(_ request: StorageRequest, timeout: Duration, maxBodyBytes: Int) async throws -> StorageResponse {
        var request = request
        if let trailer = request.trailer {
            let wrong = S3ChecksumTrailer(payloadLength: trailer.payloadLength)
            wrong.update(ByteBuffer(string: "x"))
            request.trailer = wrong
        }
        return try await inner.send(request, timeout: timeout, maxBodyBytes: maxBodyBytes)
    }

    func sendIgnoringCancellation(_ request: StorageRequest, timeout: Duration) async throws -> StorageResponse {
        try await inner.sendIgnoringCancellation(request, timeout: timeout)
    }
}

/// Part checksums between our S3 client and the emulator, over real HTTP: what S3 checks, the emulator checks.
@Suite(.tags(.integration)) struct SimS3ChecksumTests {
    /// The CRC-32 S3 lists for `bytes` (base64 of the big-endian sum), from this module's table, not zlib.
    static func crc32(_ bytes: ArraySlice<UInt8>) -> String {
        let sum = bytes.withUnsafeBytes { il_crc32_portable(0, $0.baseAddress, $0.count) }
        return withUnsafeBytes(of: sum.bigEndian) { Data($0).base64EncodedString() }
    }

    /// Uploads `bytes` streamed in parts of `partSize`, `window` parts in flight.
    static func upload(
        _ bytes: [UInt8],
        to key: ObjectKey,
        in store: S3Client,
        partSize: Int,
        window: Int
    ) async throws -> MultipartCheckpoint {
        try await ConcurrentUploader(store: store, window: window, logger: quietLogger).upload(
            to: key,
            metadata: ObjectMetadata([("iv", "AAAAAAAAAAAAAAAAAAAAAA==")]),
            partSize: partSize,
            streamingFrom: PatternStream(bytes: bytes, partSize: partSize),
            expectedBytes: Int64(bytes.count)
        )
    }

    /// A streamed upload is created with CRC32, each part goes with its CRC-32 in a trailer, the completion lists
    /// them, and the object comes back whole.
    @Test func streamedPartsCarryTheirCRC32AndTheObjectIsWhole() async throws {
        try await SimHarness.with(SimExecutionTests.fastConfiguration()) { sim, _ in
            let store = try await SimClients.s3(sim, source: SimCredentialSource(sim))
            let partSize = 5 << 20
            let bytes = patternBytes(count: 2 * partSize + 4321, seed: 21)
            let key = ObjectKey("user/sim/checksummed.bin")
            let final = try await Self.upload(bytes, to: key, in: store, partSize: partSize, window: 2)
            #expect(final.session.checksumAlgorithm == "CRC32")
            let expected = (0..<3).map { Self.crc32(bytes[($0 * partSize)..<min(bytes.count, ($0 + 1) * partSize)]) }
            #expect(final.completedParts.sorted { $0.number < $1.number }.map(\.checksum) == expected)
            let back = try await store.read(key, range: 0...Int64(bytes.count - 1))
            #expect(Array(back.readableBytesView) == bytes)
        }
    }

    /// With part checksums off the upload is created without an algorithm and its parts go bare, as before them.
    @Test func withPartChecksumsOffPartsGoWithoutOne() async throws {
        try await SimHarness.with(SimExecutionTests.fastConfiguration()) { sim, _ in
            var store = try await SimClients.s3(sim, source: SimCredentialSource(sim))
            store.partChecksums = false
            let partSize = 5 << 20
            let bytes = patternBytes(count: partSize + 99, seed: 24)
            let key = ObjectKey("user/sim/bare.bin")
            let final = try await Self.upload(bytes, to: key, in: store, partSize: partSize, window: 2)
            #expect(final.session.checksumAlgorithm == nil)
            #expect(final.completedParts.map(\.checksum) == [nil, nil])
            let back = try await store.read(key, range: 0...Int64(bytes.count - 1))
            #expect(Array(back.readableBytesView) == bytes)
        }
    }

    /// A part whose trailer does not match its bytes is refused with S3's `BadDigest`, and nothing is stored.
    @Test func aPartWhoseChecksumDoesNotMatchIsRefusedWithBadDigest() async throws {
        try await SimHarness.with(SimExecutionTests.fastConfiguration()) { sim, _ in
            var store = try await SimClients.s3(sim, source: SimCredentialSource(sim))
            store.transport = WrongTrailerTransport(inner: HTTPClientTransport(client: sim.client))
            let partSize = 5 << 20
            let bytes = patternBytes(count: partSize + 10, seed: 22)
            let key = ObjectKey("user/sim/corrupt.bin")
            let error = await #expect(throws: StorageError.self) {
                try await Self.upload(bytes, to: key, in: store, partSize: partSize, window: 1)
            }
            guard case .service(400, "BadDigest", _)? = error?.reason else {
                Issue.record("expected BadDigest, got \(String(describing: error))")
                return
            }
            await #expect(throws: StorageError.self) { try await store.properties(of: key) }
        }
    }

    /// An upload created with CRC32 needs every part's checksum (a part without one is refused), lists them in
    /// ListParts, and refuses a completion that leaves them out; with them it completes.
    @Test func aCRC32UploadRequiresListsAndCompletesWithEveryPartsChecksum() async throws {
        try await SimHarness.with(SimExecutionTests.fastConfiguration()) { sim, _ in
            let store = try await SimClients.s3(sim, source: SimCredentialSource(sim))
            let key = ObjectKey("user/sim/parts.bin")
            let session = try await store.createUpload(
                of: key,
                metadata: ObjectMetadata([("iv", "AAAAAAAAAAAAAAAAAAAAAA==")])
            )
            #expect(session.checksumAlgorithm == "CRC32")
            // The same upload as a client that never asked for checksums sees it: its parts go without one.
            var bare = session
            bare.checksumAlgorithm = nil
            let first = patternBytes(count: 5 << 20, seed: 23)
            let refused = await #expect(throws: StorageError.self) {
                try await store.uploadPart(UploadPart(number: 1, bytes: ByteBuffer(bytes: first)), in: bare)
            }
            guard case .service(400, "InvalidRequest", _)? = refused?.reason else {
                Issue.record("expected InvalidRequest, got \(String(describing: refused))")
                return
            }
            let part1 = try await store.uploadPart(UploadPart(number: 1, bytes: ByteBuffer(bytes: first)), in: session)
            let part2 = try await store.uploadPart(
                UploadPart(number: 2, bytes: ByteBuffer(string: "tail")),
                in: session
            )
            #expect(part1.checksum == Self.crc32(first[...]))
            #expect(part2.checksum == Self.crc32(Array("tail".utf8)[...]))
            #expect(try await store.listParts(of: session) == [part1, part2])
            let total = Int64(first.count + 4)
            let incomplete = await #expect(throws: StorageError.self) {
                try await store.completeUpload(bare, parts: [part1, part2], totalBytes: total)
            }
            guard case .service(400, "InvalidRequest", _)? = incomplete?.reason else {
                Issue.record("expected InvalidRequest, got \(String(describing: incomplete))")
                return
            }
            var wrong = part2
            wrong.checksum = Self.crc32(Array("TAIL".utf8)[...])
            let mismatched = await #expect(throws: StorageError.self) {
                try await store.completeUpload(session, parts: [part1, wrong], totalBytes: total)
            }
            guard case .service(400, "InvalidPart", _)? = mismatched?.reason else {
                Issue.record("expected InvalidPart, got \(String(describing: mismatched))")
                return
            }
            try await store.completeUpload(session, parts: [part1, part2], totalBytes: total)
            #expect(try await store.properties(of: key).size == total)
        }
    }
}
