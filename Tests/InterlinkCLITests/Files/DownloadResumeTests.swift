import Foundation
import InterlinkTestSupport
import Testing

/// A download killed midway continues from the bytes its `.partial` file holds, over real HTTP to `rescale-sim`.
@Suite(.tags(.integration)) struct DownloadResumeTests {
    @Test func aKilledDownloadFetchesOnlyTheMissingRangesWhenRunAgain() async throws {
        let fixture = try await FilesCommandTests.Fixture()
        let range: Int64 = 8 << 20  // the chained layout's range size
        var bytes = Data(count: 17 << 20)  // three ranges: 8, 8 and 1 MiB (and the padding block)
        bytes.withUnsafeMutableBytes { buffer in
            for index in stride(from: 0, to: buffer.count, by: 512) {
                buffer[index] = UInt8(truncatingIfNeeded: index >> 9)
            }
        }
        try bytes.write(to: URL(fileURLWithPath: fixture.root + "/big.bin"))
        let uploaded = try await fixture.run(["files", "upload", "big.bin", "--json"])
        try #require(uploaded.status == 0, "\(uploaded.stderr)")
        let records = try #require(
            try JSONSerialization.jsonObject(with: Data(uploaded.stdout.utf8)) as? [[String: Any]]
        )
        let id = try #require(records.first?["id"] as? String)

        // GET 1 is the key probe, GETs 2 to 4 the ranges (one at a time: INTERLINK_DOWNLOAD_WINDOW=1, so the
        // emulator sees them in order; with reads in parallel the first one was sometimes the third): the second range is held 20 s (the emulator's
        // shutdown waits for it), so the first one is written to the .partial file and the process is killed while
        // it waits, at once when the range is there.
        _ = try await fixture.sim.json(
            "POST",
            "/_sim/faults",
            body: #"{"kind": "s3.GetObject", "nth": 3, "action": "slow=20000", "count": 1}"#
        )
        var sequential = fixture.environment
        sequential["INTERLINK_DOWNLOAD_WINDOW"] = "1"
        let first = try CLIProcess(
            ["files", "download", id, "-o", "back.bin"],
            in: fixture.root,
            environment: sequential
        )
        let partial = fixture.root + "/back.bin.partial"
        func written() -> Int64 {
            ((try? FileManager.default.attributesOfItem(atPath: partial))?[.size] as? NSNumber)?.int64Value ?? 0
        }
        // The first range's bytes all in place, not only the file's length: its pieces may be written in any order
        // (under load, a kill between them left a hole the resumed download rightly refused).
        func firstRangeWritten() -> Bool {
            guard written() >= range, let handle = FileHandle(forReadingAtPath: partial) else { return false }
            defer { try? handle.close() }
            return (try? handle.read(upToCount: Int(range))) == bytes.prefix(Int(range))
        }
        let deadline = ContinuousClock.now + .seconds(18)
        while !firstRangeWritten(), first.process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let stillRunning = first.process.isRunning
        first.send(SIGKILL)
        let ended = await first.wait()
        let kept = written()
        try #require(
            kept >= range,
            "the first range was written before the kill (running: \(stillRunning); \(ended.stderr))"
        )
        #expect(!FileManager.default.fileExists(atPath: fixture.root + "/back.bin"), "never under its final name")

        let before = try await Self.servedBytes(fixture)
        let again = try await fixture.run(["files", "download", id, "-o", "back.bin"])
        #expect(again.status == 0, "\(again.stderr)")
        let fetched = try await Self.servedBytes(fixture) - before
        let rangesKept = kept / range * range
        // The missing ranges, the key probe (32 bytes) and the ciphertext block before the first missing range.
        #expect(fetched == Int64(bytes.count + 16 - Int(rangesKept)) + 32 + 16, "fetched \(fetched) bytes")
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.root + "/back.bin")) == bytes)
        #expect(!FileManager.default.fileExists(atPath: partial))

        // A .partial that is not this file's (here: another file's bytes) fails the SHA-512 check once resumed,
        // and the download starts over from the first byte.
        try FileManager.default.removeItem(atPath: fixture.root + "/back.bin")
        try Data(repeating: 7, count: 16 << 20).write(to: URL(fileURLWithPath: partial))
        let stale = try await Self.servedBytes(fixture)
        let over = try await fixture.run(["files", "download", id, "-o", "back.bin"])
        #expect(over.status == 0, "\(over.stderr)")
        let refetched = try await Self.servedBytes(fixture) - stale
        #expect(refetched == 32 + 16 + Int64(bytes.count + 16 - (16 << 20)) + Int64(bytes.count + 16))
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.root + "/back.bin")) == bytes)
        await fixture.remove()
    }

    static func servedBytes(_ fixture: FilesCommandTests.Fixture) async throws -> Int64 {
        let counts = try await fixture.sim.counts()
        let served = counts["servedBytes"] as? [String: Any] ?? [:]
        return (served["s3.GetObject"] as? NSNumber)?.int64Value ?? 0
    }
}
