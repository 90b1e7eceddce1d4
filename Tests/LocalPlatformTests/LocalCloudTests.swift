import Foundation
import InterlinkCore
import InterlinkTestSupport
import LocalCloud
import Testing

@Suite(.tags(.integration)) struct LocalCloudTests {
    static func body(_ command: String) -> JobDefinition {
        JobDefinition(
            JobRequest(
                name: "job",
                spec: JobSpec(
                    name: "job",
                    analysis: AnalysisSpec(code: "user_included"),
                    command: command,
                    hardware: HardwareSpec(coreType: "emerald", coresPerSlot: 1, walltime: Walltime(hours: 1))
                ),
                inputFiles: [],
                idempotencyKey: IdempotencyKey("run/job:a/create")
            )
        )
    }

    @Test func recordsSurviveReopeningAndInterruptedWritesAreIgnored() async throws {
        let root = temporaryDirectory("cloud")
        let cloud = try LocalCloud(root: root)
        let key = IdempotencyKey("run/job:a/create")
        let job = try await cloud.createJob(Self.body("true"), idempotencyKey: key)
        let names = try FileManager.default.contentsOfDirectory(atPath: root + "/jobs")
        #expect(names == ["\(job.id).json"], "no temporary file is left behind")
        try Data("{ torn".utf8).write(to: URL(fileURLWithPath: root + "/jobs/\(job.id).json.tmp-crashed"))
        let reopened = try LocalCloud(root: root)
        let loaded = try await reopened.jobRecord(job.id)
        #expect(loaded.body == job.body && loaded.idempotencyKey == key && loaded.statuses.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/jobs") == ["\(job.id).json"])
    }

    @Test func findsJobsByIdempotencyKeyAndCountsDuplicates() async throws {
        let cloud = try LocalCloud(root: temporaryDirectory("cloud"))
        let key = IdempotencyKey("run/job:a/create")
        #expect(await cloud.findJob(idempotencyKey: key) == nil)
        let first = try await cloud.createJob(Self.body("true"), idempotencyKey: key)
        #expect(await cloud.findJob(idempotencyKey: key)?.id == first.id)
        #expect(await cloud.createCount(idempotencyKey: key) == 1)
        _ = try await cloud.createJob(Self.body("true"), idempotencyKey: key)
        #expect(await cloud.createCount(idempotencyKey: key) == 2, "a blind second create is visible")
        try await cloud.submit(first.id)
        try await cloud.submit(first.id)
        #expect(await cloud.submitCount(idempotencyKey: key) == 2)
        #expect(try await cloud.status(of: first.id) == .pending)
    }

    @Test func serveRestartsAJobWhoseExecutionWasOrphaned() async throws {
        let root = temporaryDirectory("cloud")
        let command = "if [ -f ../marker ]; then echo second > out.txt; else touch ../marker; sleep 300; fi"
        let first = try LocalCloud(root: root, killGrace: .milliseconds(100))
        let job = try await first.createJob(Self.body(command), idempotencyKey: IdempotencyKey("k"))
        try await first.submit(job.id)
        await #expect(throws: CancellationError.self) {
            try await EngineSupport.whileServing(first) {
                while try await first.status(of: job.id) != .executing { try await Task.sleep(for: .milliseconds(20)) }
                throw CancellationError()
            }
        }
        #expect(try await first.jobRecord(job.id).isRunning, "a cancelled execution stays recorded as running")
        let second = try LocalCloud(root: root)
        let record = try await EngineSupport.whileServing(second) {
            while try await second.status(of: job.id).isTerminal == false {
                try await Task.sleep(for: .milliseconds(20))
            }
            return try await second.jobRecord(job.id)
        }
        #expect(record.restartCount == 1)
        #expect(record.executionCount == 2)
        #expect(record.status == .completed(.success))
        #expect(text(at: root + "/work/\(job.id)/work/out.txt") == "second\n")
    }
}
