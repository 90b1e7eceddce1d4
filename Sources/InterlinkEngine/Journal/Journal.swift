import Foundation
import InterlinkCore
import InterlinkSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run's append-only journal: `journal.jsonl` under an exclusive lock, every append fsync'd before it returns,
/// and the folded ``RunState`` kept up to date.
package actor Journal {
    /// What the crash switch does when it fires.
    package enum CrashBehaviour: Sendable {
        /// Kill the process with SIGKILL (the out-of-process crash matrix).
        case killProcess
        /// Throw from the append that fired and from every later one (the in-process crash matrix).
        case failWrites
    }

    /// The journal file's path.
    package nonisolated let path: String
    /// The records' state, folded.
    package private(set) var state: RunState
    /// Records read when the journal was opened.
    package nonisolated let replayedCount: Int
    private let descriptor: Int32
    private let lock: JournalLock
    private let encoder: JSONEncoder
    private var crashSwitch: CrashSwitch
    private let crashBehaviour: CrashBehaviour
    private let now: @Sendable () -> Date
    private var isClosed = false

    /// The journal's dedicated thread: every append writes and fsyncs, which must not hold a cooperative-pool thread.
    package nonisolated var unownedExecutor: UnownedSerialExecutor {
        SerialThreadExecutor.journal.asUnownedSerialExecutor()
    }

    /// Opens (or creates) the journal in a run directory: takes the lock, replays, drops a torn last line.
    ///
    /// - Throws: `JournalError` when the run is locked, a middle line is corrupt (nothing is written then), or
    ///   the file cannot be read or written.
    package init(
        directory: String,
        crashSwitch: CrashSwitch = CrashSwitch(environment: ProcessInfo.processInfo.environment),
        crashBehaviour: CrashBehaviour = .killProcess,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(JournalError) {
        let path = PathName.join(directory, "journal.jsonl")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw JournalError(.io("cannot create directory: \(error.localizedDescription)"), path: directory)
        }
        let lock = try JournalLock(path: PathName.join(directory, "lock"))
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            lock.release()
            throw JournalError(.io("cannot open (errno \(errno))"), path: path)
        }
        let contents: JournalReader.Contents
        do throws(JournalError) {
            let data = FileManager.default.contents(atPath: path) ?? Data()
            contents = try JournalReader.parse(data, path: path)
            if contents.validLength < data.count {
                guard ftruncate(descriptor, off_t(contents.validLength)) == 0, fsync(descriptor) == 0 else {
                    throw JournalError(.io("cannot drop the torn last line (errno \(errno))"), path: path)
                }
            }
            guard lseek(descriptor, 0, SEEK_END) >= 0 else { throw JournalError(.io("cannot seek"), path: path) }
        } catch {
            closeDescriptor(descriptor)
            lock.release()
            throw error
        }
        self.path = path
        self.descriptor = descriptor
        self.lock = lock
        self.state = RunState(replaying: contents.records)
        self.replayedCount = contents.records.count
        self.encoder = Self.makeEncoder()
        self.crashSwitch = crashSwitch
        self.crashBehaviour = crashBehaviour
        self.now = now
    }

    /// An encoder configured for journal records: sorted keys, ISO-8601 dates.
    package static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// Appends records as one write and one fsync (a group commit that keeps their order), then folds them in.
    ///
    /// - Returns: The records as written, with sequence numbers and times.
    /// - Throws: `JournalError` when the write or the fsync fails, or the crash switch fired.
    @discardableResult
    package func append(_ records: [JournalRecord]) throws(JournalError) -> [JournalRecord] {
        if crashSwitch.hasFired { throw JournalError(.simulatedCrash(afterRecord: crashSwitch.written), path: path) }
        guard !isClosed else { throw JournalError(.io("journal is closed"), path: path) }
        var written: [JournalRecord] = []
        var bytes = Data()
        var sequence = state.lastSequence
        for var record in records {
            sequence += 1
            record.v = 1
            record.seq = sequence
            record.time = now()
            do { bytes.append(try encoder.encode(record)) } catch {
                throw JournalError(.io("cannot encode a record: \(error)"), path: path)
            }
            bytes.append(UInt8(ascii: "\n"))
            written.append(record)
        }
        try writeAndSync(bytes)
        for record in written {
            state.apply(record)
            if crashSwitch.recordWritten() { try crash() }
        }
        return written
    }

    /// Appends one record; see ``append(_:)-([JournalRecord])``.
    @discardableResult
    package func append(_ record: JournalRecord) throws(JournalError) -> JournalRecord {
        try append([record])[0]
    }

    deinit {
        if !isClosed {
            closeDescriptor(descriptor)
            lock.release()
        }
    }

    /// Closes the file and releases the lock; later appends fail.
    package func close() {
        guard !isClosed else { return }
        isClosed = true
        closeDescriptor(descriptor)
        lock.release()
    }

    private func writeAndSync(_ bytes: Data) throws(JournalError) {
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
        guard !failed, fsync(descriptor) == 0 else {
            throw JournalError(.io("write failed (errno \(errno))"), path: path)
        }
    }

    private func crash() throws(JournalError) {
        switch crashBehaviour {
        case .killProcess:
            _ = kill(getpid(), SIGKILL)
        case .failWrites:
            throw JournalError(.simulatedCrash(afterRecord: crashSwitch.written), path: path)
        }
    }
}

/// Closes a file descriptor (a free function: inside ``Journal`` the name `close` means its own method).
private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
