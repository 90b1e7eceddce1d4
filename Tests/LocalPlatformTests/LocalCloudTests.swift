import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTestSupport
import LocalCloud
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite(.tags(.integration)) struct LocalCloudTests {
    static func body(_ command: String, cores: Int = 1) -> JobDefinition {
        JobDefinition(
            JobRequest(
                name: "job",
                spec: JobSpec(
                    name: "job",
                    analysis: AnalysisSpec(code: "user_included"),
                    command: command,
                    hardware: HardwareSpec(coreType: "emerald", coresPerSlot: cores, walltime: Walltime(hours: 1))
                ),
                inputFiles: [],
                idempotencyKey: IdempotencyKey("run/job:a/create")
            )
        )
    }

    /// Creates and submits one job per command, keyed by its name; their ids in order.
    static func submit(_ jobs: [(name: String, command: String, cores: Int)], to cloud: LocalCloud) async throws
        -> [JobID]
    {
        var ids: [JobID] = []
        for job in jobs {
            let created = try await cloud.createJob(
                body(job.command, cores: job.cores),
                idempotencyKey: IdempotencyKey("run/job:\(job.name)/create")
            )
            try await cloud.submit(created.id)
            ids.append(created.id)
        }
        return ids
    }

    /// Serves the cloud until every job has ended; their final records in order.
    static func servedToTheEnd(_ ids: [JobID], on cloud: LocalCloud) async throws -> [StoredJob] {
        try await EngineSupport.whileServing(cloud) {
            var records: [StoredJob] = []
            for id in ids {
                while try await cloud.status(of: id).isTerminal == false {
                    try await Task.sleep(for: .milliseconds(10))
                }
                records.append(try await cloud.jobRecord(id))
            }
            return records
        }
    }

    static func logLines(_ root: String) -> [String] {
        text(at: root + "/records.jsonl").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func recordsSurviveReopeningAndATornLastLineIsIgnoredThenCutOff() async throws {
        let root = temporaryDirectory("cloud")
        let cloud = try LocalCloud(root: root)
        let key = IdempotencyKey("run/job:a/create")
        let job = try await cloud.createJob(Self.body("true"), idempotencyKey: key)
        #expect(!FileManager.default.fileExists(atPath: root + "/jobs"), "records go to the log, not a file each")
        #expect(Self.logLines(root).count == 2 && Self.logLines(root).last == "", "one line, newline-terminated")
        // A writer that died in the middle of its line.
        let handle = try #require(FileHandle(forWritingAtPath: root + "/records.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"job\":{\"id\":\"torn".utf8))
        try handle.close()
        let reopened = try LocalCloud(root: root)
        let loaded = try await reopened.jobRecord(job.id)
        #expect(loaded.body == job.body && loaded.idempotencyKey == key && loaded.statuses.isEmpty)
        // The next append cuts the torn line off first, so no line is ever glued to it.
        try await reopened.submit(job.id)
        #expect(Self.logLines(root).count == 3 && Self.logLines(root).last == "")
        #expect(!text(at: root + "/records.jsonl").contains("torn"))
        // The first instance sees the other's change (it reads what was appended since it last looked).
        #expect(try await cloud.status(of: job.id) == .pending)
        #expect(try await LocalCloud(root: root).jobRecord(job.id).submitCount == 1)
    }

    @Test func readsRecordsOfTheOldOneFilePerRecordLayoutUnderTheLog() async throws {
        let root = temporaryDirectory("cloud")
        let job = try await LocalCloud(root: temporaryDirectory("cloud-source")).createJob(
            Self.body("true"),
            idempotencyKey: IdempotencyKey("run/job:a/create")
        )
        try FileManager.default.createDirectory(atPath: root + "/jobs", withIntermediateDirectories: true)
        try AtomicFile.write(try AtomicFile.encodeJSON(job), to: root + "/jobs/\(job.id).json")
        let torn = root + "/jobs/\(job.id).json.tmp-crashed"
        let inFlight = root + "/jobs/\(job.id).json.tmp-another-writer"
        try Data("{ torn".utf8).write(to: URL(fileURLWithPath: torn))
        try Data("{ half".utf8).write(to: URL(fileURLWithPath: inFlight))
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -7200)],
            ofItemAtPath: torn
        )
        let cloud = try LocalCloud(root: root)
        let loaded = try await cloud.jobRecord(job.id)
        #expect(loaded.body == job.body && loaded.idempotencyKey == job.idempotencyKey && loaded.statuses.isEmpty)
        // An old leftover is removed; a fresh one may be another instance's write in progress, and stays.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: root + "/jobs").sorted()
                == ["\(job.id).json", "\(job.id).json.tmp-another-writer"]
        )
        try await cloud.submit(job.id)
        // The change goes to the log, which wins over the old file from then on.
        let reopened = try LocalCloud(root: root)
        #expect(try await reopened.status(of: job.id) == .pending)
        #expect(try await reopened.jobRecord(job.id).submitCount == 1)
        #expect(await reopened.findJob(idempotencyKey: IdempotencyKey("run/job:a/create"))?.id == job.id)
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

    /// Leaves `job` as a runner that was killed outright leaves it: claimed, recorded as running, its command
    /// started under the supervisor with the pid and start time recorded, and no runner serving it.
    static func orphan(_ job: StoredJob, in root: String) async throws -> ShellProcess {
        let control = root + "/processes/\(job.id)"
        let work = root + "/work/\(job.id)/work"
        for directory in [root + "/processes", work] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let command = try #require(job.body.jobanalyses.first?.command)
        let process = try ShellProcess.start(
            command: command,
            environment: ["PATH": "/usr/bin:/bin"],
            directory: work,
            logPath: work + "/process_output.log",
            controlFile: control
        )
        var record = job
        record.isRunning = true
        record.executionCount = 1
        record.pid = process.pid
        record.processStartTime = ProcessIdentity.current(of: process.pid)?.startTime
        try await LocalCloud(root: root).replaceRecord(record)
        return process
    }

    static func waitForTerminalStatus(_ id: JobID, on cloud: LocalCloud) async throws -> StoredJob {
        try await EngineSupport.whileServing(cloud) {
            while try await cloud.status(of: id).isTerminal == false { try await Task.sleep(for: .milliseconds(20)) }
            return try await cloud.jobRecord(id)
        }
    }

    @Test func serveWaitsForAnOrphanedJobStillRunningAndNeverStartsItAgain() async throws {
        let root = temporaryDirectory("cloud")
        let count = root + "/count"
        let command = "echo ran >> '\(count)'; sleep 0.4; echo done > out.txt"
        let first = try LocalCloud(root: root)
        let job = try await first.createJob(Self.body(command), idempotencyKey: IdempotencyKey("k"))
        try await first.submit(job.id)
        let process = try await Self.orphan(try await first.jobRecord(job.id), in: root)
        defer { _ = kill(-process.pid, SIGKILL) }
        let second = try LocalCloud(root: root)
        let record = try await Self.waitForTerminalStatus(job.id, on: second)
        #expect(record.status == .completed(.success))
        #expect(record.executionCount == 1 && record.restartCount == 0)
        #expect(record.exitStatus == 0 && record.pid == process.pid)
        #expect(text(at: count) == "ran\n", "the command ran once")
        let outputs = try await second.outputs(of: job.id, page: 1, pageSize: 10).results.compactMap(\.relativePath)
        #expect(outputs == ["out.txt", "process_output.log"])
        #expect(!FileManager.default.fileExists(atPath: root + "/work/\(job.id)"), "the work directory is removed")
        _ = await process.waitForExit()
    }

    @Test func serveReadsTheRecordedStatusOfAnOrphanedJobThatFinished() async throws {
        let root = temporaryDirectory("cloud")
        let count = root + "/count"
        let first = try LocalCloud(root: root)
        let job = try await first.createJob(
            Self.body("echo ran >> '\(count)'; echo partial > out.txt; exit 3"),
            idempotencyKey: IdempotencyKey("k")
        )
        try await first.submit(job.id)
        let process = try await Self.orphan(try await first.jobRecord(job.id), in: root)
        #expect(await process.waitForExit() == .exited(3))
        let second = try LocalCloud(root: root, keepsWork: true)
        let record = try await Self.waitForTerminalStatus(job.id, on: second)
        #expect(record.status == .failed(reason: "the command exited with status 3"))
        #expect(record.executionCount == 1 && record.restartCount == 0 && record.exitStatus == 3)
        #expect(text(at: count) == "ran\n", "the command ran once")
        #expect(text(at: root + "/work/\(job.id)/work/out.txt") == "partial\n", "--keep-work keeps it")
    }

    @Test func anOrphanOfAnEarlierVersionIsReadFromItsControlDirectoryAndTheRecordRemoved() async throws {
        let root = temporaryDirectory("cloud")
        let first = try LocalCloud(root: root)
        let job = try await first.createJob(Self.body("echo never > out.txt"), idempotencyKey: IdempotencyKey("k"))
        try await first.submit(job.id)
        // What a runner of an earlier version left when killed: `processes/<id>/` holding `pid` and `status`
        // (its command exited 3), the job recorded as running.
        let ended = try ShellProcess.start(
            command: "exit 0",
            environment: [:],
            directory: root,
            logPath: root + "/ended.log"
        )
        _ = await ended.waitForExit()
        let control = root + "/processes/\(job.id)"
        try FileManager.default.createDirectory(atPath: control, withIntermediateDirectories: true)
        try "\(ended.pid)\n".write(toFile: control + "/pid", atomically: false, encoding: .utf8)
        try "3\n".write(toFile: control + "/status", atomically: false, encoding: .utf8)
        let work = root + "/work/\(job.id)/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        var record = try await first.jobRecord(job.id)
        record.isRunning = true
        record.executionCount = 1
        record.pid = ended.pid
        try await first.replaceRecord(record)
        let second = try LocalCloud(root: root)
        let finished = try await Self.waitForTerminalStatus(job.id, on: second)
        #expect(finished.status == .failed(reason: "the command exited with status 3"))
        #expect(finished.executionCount == 1 && finished.restartCount == 0, "never started again")
        #expect(!FileManager.default.fileExists(atPath: control), "the earlier version's record is removed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/processes").isEmpty)
    }

    @Test func aStopOnCancellationQueuesTheJobAgainAndTheNextServeStartsIt() async throws {
        let root = temporaryDirectory("cloud")
        let command = "if [ -f ../marker ]; then echo second > out.txt; else touch ../marker; sleep 300; fi"
        let first = try LocalCloud(root: root, killGrace: .milliseconds(100), keepsWork: true)
        let job = try await first.createJob(Self.body(command), idempotencyKey: IdempotencyKey("k"))
        try await first.submit(job.id)
        await #expect(throws: CancellationError.self) {
            try await EngineSupport.whileServing(first) {
                // Executing, and the command past its `touch`: a stop right after the spawn would end the shell
                // before it ran, and the next execution would take the `sleep` branch.
                while try await first.status(of: job.id) != .executing
                    || !FileManager.default.fileExists(atPath: root + "/work/\(job.id)/marker")
                {
                    try await Task.sleep(for: .milliseconds(20))
                }
                throw CancellationError()
            }
        }
        let stopped = try await first.jobRecord(job.id)
        #expect(!stopped.isRunning && stopped.status == .queued, "a stopped execution is queued again")
        let second = try LocalCloud(root: root, keepsWork: true)
        let record = try await Self.waitForTerminalStatus(job.id, on: second)
        #expect(record.restartCount == 1)
        #expect(record.executionCount == 2)
        #expect(record.status == .completed(.success))
        #expect(text(at: root + "/work/\(job.id)/work/out.txt") == "second\n")
    }

    @Test func aJobWhoseRunnerDiedBeforeItsCommandStartedIsStartedOnce() async throws {
        let root = temporaryDirectory("cloud")
        let count = root + "/count"
        let first = try LocalCloud(root: root)
        let job = try await first.createJob(Self.body("echo ran >> '\(count)'"), idempotencyKey: IdempotencyKey("k"))
        try await first.submit(job.id)
        var record = try await first.jobRecord(job.id)
        record.isRunning = true
        try await first.replaceRecord(record)
        let second = try LocalCloud(root: root)
        let finished = try await Self.waitForTerminalStatus(job.id, on: second)
        #expect(finished.status == .completed(.success))
        #expect(finished.restartCount == 1 && finished.executionCount == 1)
        #expect(text(at: count) == "ran\n")
    }
}
