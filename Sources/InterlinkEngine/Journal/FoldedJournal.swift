import Foundation
import InterlinkCore
import InterlinkSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A journal read and folded without its lock (by `status`, `resume` or `run` before the engine starts), with the
/// file's identity taken before it was read, so that the ``Journal`` the engine opens under the lock takes this
/// fold instead of reading and folding the file a second time when the file is still exactly what was read.
///
/// A journal is only appended to, by the runner holding its lock, and only that runner truncates a torn last line;
/// either moves the file's size, modification and change times. So a file whose size, times (ns), inode and device
/// are those taken before the read holds the bytes read. A fold whose file had a torn last line is never reused
/// (the journal must drop it).
package struct FoldedJournal: Sendable {
    /// What `stat` says of a journal file that tells whether it was written since.
    ///
    /// It serves any file that is only appended to or replaced: `runs` keeps it in a run's tally for the journal
    /// and the plan.
    package struct Identity: Hashable, Sendable, Codable {
        /// Size, modification and change times, inode.
        var status: FileStatus
        var device: UInt64

        init(_ info: stat) {
            status = FileStatus(info)
            device = UInt64(info.st_dev)
        }

        /// The identity of an open file; nil when `fstat` fails.
        static func of(descriptor: Int32) -> Identity? {
            var info = stat()
            guard fstat(descriptor, &info) == 0 else { return nil }
            return Identity(info)
        }

        /// The identity of the file at a path; nil when `stat` fails.
        package static func of(path: String) -> Identity? {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            return Identity(info)
        }
    }

    /// The records folded.
    package var state: RunState
    /// How many records the file holds.
    package var recordCount: Int
    /// When the first record was written (the run's start).
    package var started: Date?
    /// The file's identity before it was read; nil when the fold may not be reused (no file, a torn last line, or
    /// a file that changed while it was read).
    package var identity: Identity?

    /// The fold of records read elsewhere, without the file's identity: never taken by an engine.
    ///
    /// - Parameter records: The journal's records, in file order.
    package init(records: [JournalRecord]) {
        self.init(
            state: RunState(replaying: records),
            recordCount: records.count,
            started: records.first?.time,
            identity: nil
        )
    }

    private init(state: RunState, recordCount: Int, started: Date?, identity: Identity?) {
        self.state = state
        self.recordCount = recordCount
        self.started = started
        self.identity = identity
    }

    /// Reads and folds a run's journal (an absent file is an empty journal).
    ///
    /// - Parameter path: The journal's path.
    /// - Returns: The fold, with the file's identity when it may be reused.
    /// - Throws: `JournalError` for a corrupt line or a record of an unsupported version.
    package static func read(path: String) throws(JournalError) -> FoldedJournal {
        var info = stat()
        let before = stat(path, &info) == 0 ? Identity(info) : nil
        let data = FileManager.default.contents(atPath: path) ?? Data()
        let folded = try JournalReader.fold(data, path: path)
        let complete = folded.validLength == data.count && before.map { Int64(data.count) == $0.status.size } == true
        return FoldedJournal(
            state: folded.state,
            recordCount: folded.recordCount,
            started: folded.started,
            identity: complete ? before : nil
        )
    }

    /// This fold, when the open file is still the one it was read from.
    ///
    /// - Parameter descriptor: The journal, open.
    /// - Returns: The fold; nil when the file was written since (or cannot be looked at).
    func reusable(for descriptor: Int32) -> FoldedJournal? {
        guard let identity, Identity.of(descriptor: descriptor) == identity else { return nil }
        return self
    }
}
