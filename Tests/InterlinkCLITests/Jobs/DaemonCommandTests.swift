import Foundation
import InterlinkTestSupport
import Testing

/// `rescale-int daemon` against the `rescale-sim` binary: each completed job's outputs downloaded exactly once,
/// through `--once`, a `kill -9` in the middle of a download and a restart, and a clean stop on SIGTERM.
@Suite(.tags(.integration)) struct DaemonCommandTests {
    /// The journal's lines as (kind, job) pairs.
    static func journal(_ directory: String) throws -> [(kind: String, job: String)] {
        let path = directory + "/.rescale-int-daemon.jsonl"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { line in
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return (try #require(record["kind"] as? String), try #require(record["job"] as? String))
        }
    }

    @Test func eachCompletedJobIsDownloadedExactlyOnceAcrossAKillAndARestart() async throws {
        let fixture = try await JobsFixture(label: "daemon")
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        let small = try await fixture.submit(name: "dm-small", command: "printf small > out.txt")
        let big = try await fixture.submit(
            name: "dm-big",
            command: "head -c 24000000 /dev/zero | tr '\\0' 'z' > big.bin; echo done > tail.txt"
        )
        let other = try await fixture.submit(name: "elsewhere", command: "echo no > out.txt")
        let watch = try await fixture.run(["jobs", "watch", "--id", small, big, other, "--interval", "0.1"])
        try #require(watch.status == 0, "\(watch.stderr)")

        let outdir = fixture.root + "/results"
        let arguments = ["daemon", "--outdir", "results", "--name-pattern", "dm-*", "--interval", "0.2"]
        // The big output's reads are held 4 s each while the first daemon runs, so the kill below lands inside its
        // download however slowly this test's poller is scheduled (a 24 MB download can otherwise end first).
        let hold = #"{"kind": "s3.GetObject", "path": "big.bin", "action": "slow=4000", "count": 1000}"#
        _ = try await fixture.sim.json("POST", "/_sim/faults", body: hold)
        let first = try fixture.start(arguments)
        let deadline = ContinuousClock.now + .seconds(30)
        while !(try Self.journal(outdir).contains { $0.kind == "intent" && $0.job == big }) {
            try #require(ContinuousClock.now < deadline, "the daemon never started the big job")
            try await Task.sleep(for: .milliseconds(2))
        }
        first.send(SIGKILL)
        let killed = await first.wait()
        #expect(killed.wasSignalled)
        let beforeRestart = try Self.journal(outdir)
        #expect(!beforeRestart.contains { $0.kind == "done" && $0.job == big }, "killed too late: \(beforeRestart)")
        let smallFile = outdir + "/dm-small-\(small)/out.txt"
        #expect(try String(contentsOfFile: smallFile, encoding: .utf8) == "small")
        let smallDate = try FileManager.default.attributesOfItem(atPath: smallFile)[.modificationDate] as? Date

        _ = try await fixture.sim.json("DELETE", "/_sim/faults")
        let restart = try await fixture.run(arguments + ["--once"])
        #expect(restart.status == 0, "\(restart.stderr)")
        let after = try Self.journal(outdir)
        for job in [small, big] {
            #expect(after.filter { $0.job == job }.map(\.kind) == ["intent", "done"], "\(job): \(after)")
        }
        #expect(!after.contains { $0.job == other })
        let bigFile = outdir + "/dm-big-\(big)/big.bin"
        #expect((try FileManager.default.attributesOfItem(atPath: bigFile)[.size] as? NSNumber)?.intValue == 24_000_000)
        #expect(try String(contentsOfFile: outdir + "/dm-big-\(big)/tail.txt", encoding: .utf8) == "done\n")
        #expect(try FileManager.default.attributesOfItem(atPath: smallFile)[.modificationDate] as? Date == smallDate)
        let names = try FileManager.default.subpathsOfDirectory(atPath: outdir)
        #expect(!names.contains { $0.hasSuffix(".partial") }, "\(names)")
        #expect(!names.contains { $0.hasPrefix("elsewhere") })
        let journalText = try String(contentsOfFile: outdir + "/.rescale-int-daemon.jsonl", encoding: .utf8)
        for line in journalText.split(separator: "\n") {
            try await fixture.validate(String(line), schema: "daemon-journal.schema.json")
        }

        let third = try await fixture.run(arguments + ["--once"])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(try String(contentsOfFile: outdir + "/.rescale-int-daemon.jsonl", encoding: .utf8) == journalText)
        await fixture.sim.stop()
    }

    @Test func theDaemonStopsCleanlyOnSIGTERM() async throws {
        let fixture = try await JobsFixture(label: "daemon-term")
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        let id = try await fixture.submit(name: "term", command: "echo hi > out.txt")
        _ = try await fixture.run(["jobs", "watch", "--id", id, "--interval", "0.1"])
        let daemon = try fixture.start(["daemon", "--outdir", "results", "--interval", "0.1"])
        let done = fixture.root + "/results/term-\(id)/out.txt"
        let deadline = ContinuousClock.now + .seconds(30)
        while !FileManager.default.fileExists(atPath: done) {
            try #require(ContinuousClock.now < deadline, "the daemon never downloaded the job")
            try await Task.sleep(for: .milliseconds(20))
        }
        daemon.send(SIGTERM)
        let ended = await daemon.wait()
        #expect(ended.status == 0 && !ended.wasSignalled, "\(ended.stderr)")
        #expect(ended.stderr.contains("daemon: stopping on signal"), "\(ended.stderr)")
        await fixture.sim.stop()
    }
}
