import Foundation
import InterlinkCore
import InterlinkSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run's append-only journal: `journal.jsonl` under an exclusive lock, every synced append durable before it
/// returns, and the folded ``RunState`` kept up to date.
///
/// Appends are written at once, in order, on the journal's thread; a synced append then waits for a group commit
/// (``GroupCommit``): one `fdatasync`, run off this thread, covers every record written before it started, so the
/// intents of many concurrent steps share one sync instead of queueing one sync each.
package actor Journal {
    /// The journal file's path.
    package private(set) var path: String
    /// The records' state, folded.
    package private(set) var state: RunState
    /// One node's folded state: a copy of that node only.
    ///
    /// Callers that need one node read it here rather than through ``state``: a copy of the whole state still held
    /// by a caller when the next record is folded in would make that fold copy every node's state.
    ///
    /// - Parameter id: The node.
    /// - Returns: Its state, nil when no record introduced it.
    package func nodeState(_ id: NodeID) -> NodeState? { state.nodes[id] }

    /// A state holding only these nodes (copies of them), for a caller that reads a few nodes at once.
    ///
    /// - Parameter ids: The nodes.
    /// - Returns: A state whose ``RunState/nodes`` holds those of them a record introduced.
    package func nodeStates(_ ids: [NodeID]) -> RunState {
        var partial = RunState()
        partial.runID = state.runID
        partial.lastSequence = state.lastSequence
        for id in ids { partial.nodes[id] = state.nodes[id] }
        return partial
    }

    /// Records read when the journal was opened.
    package nonisolated let replayedCount: Int
    private let descriptor: Int32
    private let lock: JournalLock
    private let encoder: JSONEncoder
    private let crashPoint: CrashPoint?
    private var recordsWritten = 0
    private let now: @Sendable () -> Date
    private var isClosed = false
    /// Syncs the file in groups: an append's records are durable once the commit reaches its ticket.
    private let commit: GroupCommit

    /// How soon appended records must be on disk.
    package enum Durability: Sendable {
        /// Synced, with every record written before them, before `append` returns: they precede a side effect.
        case synced
        /// Written now and synced by the next synced append (a group commit with the intent of the step after), or
        /// when the journal closes. For outcomes and observed statuses: losing one in a power cut leaves its step
        /// in flight, as a crash just before it was written would, and the next intent makes it durable before
        /// any side effect that could depend on it starts.
        case deferred
    }

    /// The journal's dedicated thread: every append writes, which must not hold a cooperative-pool thread (the syncs
    /// run on ``BlockingExecutor``).
    package nonisolated var unownedExecutor: UnownedSerialExecutor {
        SerialThreadExecutor.journal.asUnownedSerialExecutor()
    }

    /// Opens (or creates) the journal in a run directory: takes the lock, replays, drops a torn last line.
    ///
    /// - Parameters:
    ///   - directory: The run directory.
    ///   - crashPoint: Where to stop as if the process died (crash tests only); nil in production.
    ///   - now: The wall clock for record times.
    ///   - folded: The journal as a caller read and folded it before the lock was taken, if it did: taken instead
    ///     of reading the file again when the file is still exactly what was read (``FoldedJournal``).
    /// - Throws: `JournalError` when the run is locked, a line is corrupt or of an unsupported version (nothing is
    ///   written then), or the file cannot be read or written.
    package init(
        directory: String,
        crashPoint: CrashPoint? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        folded: FoldedJournal? = nil
    ) throws(JournalError) {
        let path = PathName.join(directory, "journal.jsonl")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw JournalError(.io("cannot create directory: \(ErrorText.describe(error))"), path: directory)
        }
        let lock = try JournalLock(path: PathName.join(directory, "lock"))
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            lock.release()
            throw JournalError(.io("cannot open: \(ErrorText.words(errno: errno))"), path: path)
        }
        let state: RunState
        let replayedCount: Int
        let commit: GroupCommit
        do throws(JournalError) {
            if let reused = folded?.reusable(for: descriptor) {
                (state, replayedCount) = (reused.state, reused.recordCount)
            } else {
                (state, replayedCount) = try Self.replay(path: path, descriptor: descriptor)
            }
            guard lseek(descriptor, 0, SEEK_END) >= 0 else { throw JournalError(.io("cannot seek"), path: path) }
            do { commit = try GroupCommit(descriptor: descriptor) } catch {
                throw JournalError(.io(error.description), path: path)
            }
        } catch {
            closeDescriptor(descriptor)
            lock.release()
            throw error
        }
        self.path = path
        self.descriptor = descriptor
        self.lock = lock
        self.state = state
        self.replayedCount = replayedCount
        self.encoder = Self.makeEncoder()
        self.commit = commit
        self.crashPoint = crashPoint
        self.now = now
    }

    /// Reads and folds the journal file, dropping a torn last line.
    private static func replay(path: String, descriptor: Int32) throws(JournalError) -> (RunState, Int) {
        let data = FileManager.default.contents(atPath: path) ?? Data()
        let folded = try JournalReader.fold(data, path: path)
        if folded.validLength < data.count {
            guard ftruncate(descriptor, off_t(folded.validLength)) == 0, fsync(descriptor) == 0 else {
                throw JournalError(
                    .io("cannot drop the torn last line: \(ErrorText.words(errno: errno))"),
                    path: path
                )
            }
        }
        return (folded.state, folded.recordCount)
    }

    /// An encoder configured for journal records: sorted keys, ISO-8601 dates.
    package static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// Appends records as one write, folds them in and (unless deferred) waits for a sync that covers them and every
    /// record written before them (a group commit that keeps their order).
    ///
    /// Other appends may run while this one waits for its sync; the records' sequence numbers and the state follow
    /// the order of the writes.
    ///
    /// - Parameters:
    ///   - records: The records, in order.
    ///   - durability: Whether they are synced before this returns (the default) or with the next synced append.
    /// - Returns: The records as written, with sequence numbers and times.
    /// - Throws: `JournalError` when the write or the fsync fails, the journal is closed, or (with
    ///   ``CrashPoint/Action/closeJournal``) the crash point was reached.
    @discardableResult
    package func append(_ records: [JournalRecord], durability: Durability = .synced) async throws(JournalError)
        -> [JournalRecord]
    {
        guard !isClosed else { throw JournalError(.io("journal is closed"), path: path) }
        var written: [JournalRecord] = []
        var bytes = Data()
        var sequence = state.lastSequence
        for var record in records {
            sequence += 1
            record.seq = sequence
            record.time = now()
            do { bytes.append(try encoder.encode(record)) } catch {
                throw JournalError(.io("cannot encode a record: \(ErrorText.describe(error))"), path: path)
            }
            bytes.append(UInt8(ascii: "\n"))
            written.append(record)
        }
        try writeAll(bytes)
        let ticket = commit.noteWritten()
        for record in written {
            state.apply(record)
            recordsWritten += 1
            if let crashPoint, crashPoint.afterRecord == recordsWritten { try stop(at: crashPoint) }
        }
        if durability == .synced { try await waitDurable(through: ticket) }
        return written
    }

    /// Appends one record; see ``append(_:durability:)``.
    ///
    /// - Parameters:
    ///   - record: The record.
    ///   - durability: Whether it is synced before this returns (the default) or with the next synced append.
    /// - Returns: The record as written.
    /// - Throws: `JournalError`, as the batch form does.
    @discardableResult
    package func append(_ record: JournalRecord, durability: Durability = .synced) async throws(JournalError)
        -> JournalRecord
    {
        try await append([record], durability: durability)[0]
    }

    /// Waits until every record written so far is durable.
    ///
    /// - Throws: `JournalError` when the sync fails.
    package func sync() async throws(JournalError) {
        try await waitDurable(through: commit.lastWritten)
    }

    /// Syncs written so far (group commits); tests count them.
    package var syncCount: Int { commit.syncCount }

    private func waitDurable(through ticket: UInt64) async throws(JournalError) {
        do { try await commit.waitDurable(through: ticket) } catch {
            throw JournalError(.io("fsync failed: \(ErrorText.words(errno: error.code))"), path: path)
        }
    }

    deinit {
        if !isClosed {
            if commit.hasUnsyncedAppends { _ = fsync(descriptor) }
            closeDescriptor(descriptor)
            lock.release()
        }
    }

    /// Renames the folder holding the journal (a new run's staging folder) to `directory`, which must not exist.
    ///
    /// The open file and the lock go with it. The parent folder is fsync'd so the rename is as durable as a record.
    ///
    /// - Throws: `JournalError` when the rename fails.
    package func moveFolder(to directory: String) throws(JournalError) {
        let folder = PathName.dirname(path)
        guard rename(folder, directory) == 0 else {
            throw JournalError(
                .io("cannot move '\(folder)' to '\(directory)': \(ErrorText.words(errno: errno))"),
                path: path
            )
        }
        path = PathName.join(directory, "journal.jsonl")
        let parent = open(PathName.dirname(directory), O_RDONLY | O_CLOEXEC)
        if parent >= 0 {
            _ = fsync(parent)
            closeDescriptor(parent)
        }
    }

    /// Closes the file and releases the lock; later appends fail.
    package func close() {
        guard !isClosed else { return }
        isClosed = true
        if commit.hasUnsyncedAppends { _ = fsync(descriptor) }
        closeDescriptor(descriptor)
        lock.release()
    }

    private func writeAll(_ bytes: Data) throws(JournalError) {
        let failed = bytes.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let count = write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return true }
                offset += count
            }
            return false
        }
        guard !failed else {
            throw JournalError(.io("write failed: \(ErrorText.words(errno: errno))"), path: path)
        }
    }

    /// Stops at the crash point: the process dies, or the journal closes as its death would close it.
    private func stop(at crashPoint: CrashPoint) throws(JournalError) {
        // Records before a crash point are durable, as an fsync'd record before a real crash would be.
        if commit.hasUnsyncedAppends { _ = fsync(descriptor) }
        if crashPoint.action == .killProcess { _ = kill(getpid(), SIGKILL) }
        close()
        throw JournalError(.io("journal is closed"), path: path)
    }
}

/// Closes a file descriptor (a free function: inside ``Journal`` the name `close` means its own method).
private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
