import Foundation
import InterlinkSystem
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct GroupCommitTests {
    /// A file as a crash would leave it: appends written so far, and the prefix the last finished sync made durable.
    final class Disk: Sendable {
        let state = Mutex((written: UInt64(0), durable: UInt64(0), syncs: 0))

        /// Writes one append and takes its ticket, as the writer does (one serial writer: the lock).
        func write(_ commit: GroupCommit) -> UInt64 {
            state.withLock { state in
                state.written += 1
                let ticket = commit.noteWritten()
                #expect(ticket == state.written)
                return ticket
            }
        }

        /// A slow `fdatasync`: covers what was written when it started.
        func sync() -> Int32 {
            let covered = state.withLock { $0.written }
            usleep(3000)
            state.withLock { state in
                state.durable = max(state.durable, covered)
                state.syncs += 1
            }
            return 0
        }
    }

    /// Many concurrent appenders: each resumes only after a sync that started after its write finished (a crash
    /// at that moment keeps its append), and the appends share far fewer syncs than there are appends.
    @Test func concurrentAppendersResumeOnlyWhenDurableAndShareSyncs() async throws {
        let disk = Disk()
        let commit = GroupCommit { disk.sync() }
        let appends = 64
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<appends {
                group.addTask {
                    let ticket = disk.write(commit)
                    try await commit.waitDurable(through: ticket)
                    // Acknowledged: a crash from now on must keep this append.
                    #expect(disk.state.withLock { $0.durable } >= ticket)
                }
            }
            try await group.waitForAll()
        }
        let syncs = disk.state.withLock { $0.syncs }
        #expect(syncs == commit.syncCount)
        #expect(syncs >= 1 && syncs < appends / 2, "\(syncs) syncs for \(appends) concurrent appends")
        #expect(!commit.hasUnsyncedAppends)
    }

    /// An append written after a sync started is not covered by it: its waiter waits for (and leads) the next one.
    @Test func anAppendWrittenDuringASyncWaitsForTheNextOne() async throws {
        let disk = Disk()
        let commit = GroupCommit { disk.sync() }
        let first = disk.write(commit)
        try await commit.waitDurable(through: first)
        #expect(commit.syncCount == 1)
        let second = disk.write(commit)
        #expect(commit.hasUnsyncedAppends)
        try await commit.waitDurable(through: second)
        #expect(commit.syncCount == 2 && disk.state.withLock { $0.durable } == second)
        // Already durable: no sync.
        try await commit.waitDurable(through: first)
        #expect(commit.syncCount == 2)
    }

    /// A failed sync fails its waiters and every later wait: nothing written before it can be called durable.
    @Test func aFailedSyncFailsEveryWaitFromThenOn() async throws {
        let calls = Mutex(0)
        let commit = GroupCommit {
            calls.withLock { $0 += 1 }
            return EIO
        }
        let ticket = commit.noteWritten()
        let error = await #expect(throws: SystemError.self) { try await commit.waitDurable(through: ticket) }
        #expect(error?.code == EIO)
        _ = commit.noteWritten()
        await #expect(throws: SystemError.self) { try await commit.waitDurable(through: commit.lastWritten) }
        #expect(calls.withLock { $0 } == 1)
    }

    /// Over a real file: every append written before the wait is on disk, read back through another descriptor.
    @Test func syncsARealFile() async throws {
        let path = FileManager.default.temporaryDirectory.path + "/group-commit-\(UUID().uuidString)"
        defer { unlink(path) }
        let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        try #require(descriptor >= 0)
        let commit = try GroupCommit(descriptor: descriptor)
        #expect(write(descriptor, "a\n", 2) == 2)
        let ticket = commit.noteWritten()
        close(descriptor)  // the commit syncs its own duplicate
        try await commit.waitDurable(through: ticket)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a\n")
        #expect(commit.syncCount == 1)
    }
}
