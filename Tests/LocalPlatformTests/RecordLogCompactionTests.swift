import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTestSupport
import Testing

@testable import LocalCloud

/// `gc` compacts the record log to one line per record: every record reads back the same, removed ones stay
/// removed (also those of the older one-file-per-record layout), and instances that had the log open before go on
/// against the new file, reading and appending.
@Suite(.tags(.integration)) struct RecordLogCompactionTests {
    /// A cloud with `count` jobs, each submitted twice (three whole lines per job), and the jobs.
    static func busyCloud(_ root: String, count: Int) async throws -> (LocalCloud, [StoredJob]) {
        let cloud = try LocalCloud(root: root)
        var jobs: [StoredJob] = []
        for index in 0..<count {
            let job = try await cloud.createJob(
                LocalCloudTests.body("true"),
                idempotencyKey: IdempotencyKey("run/job:\(index)/create")
            )
            try await cloud.submit(job.id)
            try await cloud.submit(job.id)
            jobs.append(job)
        }
        return (cloud, jobs)
    }

    static func size(_ path: String) throws -> Int64 {
        try #require((try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value)
    }

    static func inode(_ path: String) throws -> UInt64 {
        let number = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber
        return try #require(number?.uint64Value)
    }

    @Test func everyRecordReadsBackTheSameInOneLineEachAndRemovedOnesStayGone() async throws {
        let root = temporaryDirectory("compact")
        let (_, jobs) = try await Self.busyCloud(root, count: 40)
        try RecordLog(root: root).append([RecordLogLine(removedJobs: [jobs[3].id, jobs[7].id])])
        let before = try RecordLog.loadAll(root: root)
        #expect(before.jobs.count == 38)
        let logPath = root + "/" + RecordLog.fileName
        let bytesBefore = try Self.size(logPath)

        let compaction = try #require(try RecordLog.compact(root: root))
        #expect(compaction.before == bytesBefore)
        #expect(compaction.after == (try Self.size(logPath)))
        #expect(compaction.after * 2 < compaction.before, "\(compaction)")
        let lines = LocalCloudTests.logLines(root).filter { !$0.isEmpty }
        #expect(lines.count == 38, "one line per record")
        let after = try RecordLog.loadAll(root: root)
        #expect(after.jobs == before.jobs)
        #expect(after.files == before.files)
        #expect(!FileManager.default.fileExists(atPath: logPath + ".compacting"))
        #expect((try FileManager.default.attributesOfItem(atPath: logPath)[.posixPermissions] as? NSNumber) == 0o600)
        // A second compaction has nothing left to drop.
        #expect(try RecordLog.compact(root: root)?.after == compaction.after)
        // A reopened cloud holds the same jobs, and goes on appending.
        let reopened = try LocalCloud(root: root)
        #expect(try await reopened.jobRecord(jobs[0].id).submitCount == 2)
        await #expect(throws: LocalCloudError.self) { try await reopened.jobRecord(jobs[3].id) }
    }

    @Test func instancesOpenBeforeTheCompactionReadTheNewLogWholeAndAppendToIt() async throws {
        let root = temporaryDirectory("compact-shared")
        let (reader, jobs) = try await Self.busyCloud(root, count: 10)
        let writer = try LocalCloud(root: root)
        #expect(try await writer.jobRecord(jobs[0].id).submitCount == 2)
        // Appended by another instance and not yet read by `reader` when the log is compacted: a removal and a new
        // job, folded into the new log (the removal leaves no line of its own there).
        try RecordLog(root: root).append([RecordLogLine(removedJobs: [jobs[5].id])])
        let added = try await LocalCloud(root: root).createJob(
            LocalCloudTests.body("true"),
            idempotencyKey: IdempotencyKey("run/job:added/create")
        )
        let logPath = root + "/" + RecordLog.fileName
        let oldInode = try Self.inode(logPath)
        _ = try #require(try RecordLog.compact(root: root))
        #expect(try Self.inode(logPath) != oldInode, "the log was replaced by a rename")

        // The reader sees the new file whole: the job it had not read, and not the one removed meanwhile.
        #expect(try await reader.jobRecord(added.id).idempotencyKey == added.idempotencyKey)
        await #expect(throws: LocalCloudError.self) { try await reader.jobRecord(jobs[5].id) }
        #expect(try await reader.jobRecord(jobs[4].id).submitCount == 2)

        // The writer, which last read the old file, appends to the new one: a fresh reader sees its changes.
        try await writer.submit(jobs[1].id)
        let late = try await writer.createJob(
            LocalCloudTests.body("true"),
            idempotencyKey: IdempotencyKey("run/job:late/create")
        )
        let fresh = try RecordLog.loadAll(root: root)
        #expect(fresh.jobs[jobs[1].id]?.submitCount == 3)
        #expect(fresh.jobs[late.id] != nil)
        #expect(fresh.jobs[jobs[5].id] == nil)
        #expect(try await reader.jobRecord(late.id).id == late.id)
        #expect(try Self.inode(logPath) != oldInode, "nothing was appended to the replaced file")
    }

    /// Every record removed, the compacted log is empty; an instance open before appends its next record there
    /// and still reads it back (its first read of the new file takes it whole, its own line included).
    @Test func anInstanceAppendingFirstToAnEmptyCompactedLogReadsItsOwnRecord() async throws {
        let root = temporaryDirectory("compact-empty")
        let (cloud, jobs) = try await Self.busyCloud(root, count: 2)
        try RecordLog(root: root).append([RecordLogLine(removedJobs: jobs.map(\.id))])
        #expect(try RecordLog.compact(root: root)?.after == 0)
        let next = try await cloud.createJob(
            LocalCloudTests.body("true"),
            idempotencyKey: IdempotencyKey("run/job:next/create")
        )
        #expect(try await cloud.jobRecord(next.id).id == next.id)
        await #expect(throws: LocalCloudError.self) { try await cloud.jobRecord(jobs[0].id) }
        #expect(Set(try RecordLog.loadAll(root: root).jobs.keys) == [next.id])
    }

    /// Records of the older layout (one file each) are read first and the log over them: one the log removed
    /// keeps a removal line after the compaction, so it does not come back; one the log replaced keeps its newer
    /// record.
    @Test func recordsOfTheOlderLayoutThatTheLogRemovedDoNotComeBack() async throws {
        let root = temporaryDirectory("compact-older")
        let source = temporaryDirectory("compact-older-source")
        let sourceCloud = try LocalCloud(root: source)
        var older: [StoredJob] = []
        for index in 0..<2 {
            older.append(
                try await sourceCloud.createJob(
                    LocalCloudTests.body("true"),
                    idempotencyKey: IdempotencyKey("run/job:old\(index)/create")
                )
            )
        }
        try FileManager.default.createDirectory(atPath: root + "/jobs", withIntermediateDirectories: true)
        for job in older { try AtomicFile.write(try AtomicFile.encodeJSON(job), to: root + "/jobs/\(job.id).json") }
        let cloud = try LocalCloud(root: root)
        try await cloud.submit(older[1].id)
        try RecordLog(root: root).append([RecordLogLine(removedJobs: [older[0].id])])

        _ = try #require(try RecordLog.compact(root: root))
        let after = try RecordLog.loadAll(root: root)
        #expect(after.jobs[older[0].id] == nil, "a removed record of the older layout came back")
        #expect(after.jobs[older[1].id]?.submitCount == 1)
        #expect(LocalCloudTests.logLines(root).contains { $0.contains("removedJobs") })
    }
}
