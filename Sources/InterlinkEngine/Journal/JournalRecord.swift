import Foundation
import InterlinkCore

/// The kinds of journal record.
package enum JournalRecordKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// A runner started (or resumed) the run.
    case runStarted
    /// A node entered the run, or its content hash changed (its earlier state is discarded).
    case nodePlanned
    /// A side effect is about to happen.
    case intent
    /// An upload stored more data; the next attempt may continue from here.
    case checkpoint
    /// A side effect finished, failed, or reconciliation proved it never happened.
    case outcome
    /// A job's status changed.
    case jobStatus
    /// A node cannot run because a dependency failed.
    case nodeBlocked
    /// The runner stopped.
    case runFinished
    /// A node's job ended unsuccessfully and the node starts over from its create stage with a new job.
    case nodeRetried
    /// `rescale-int stop` asked the platform to stop a node's job.
    case jobStopped
}

/// How a step attempt ended.
package enum StepResult: String, Hashable, Sendable, Codable {
    /// It happened (or reconciliation found that it had).
    case succeeded
    /// It failed.
    case failed
    /// Reconciliation proved it did not happen; it may be done again.
    case absent
}

/// How a run ended.
package enum RunResult: String, Hashable, Sendable, Codable {
    /// Every node succeeded.
    case succeeded
    /// At least one node failed or was blocked.
    case failed
    /// Stopped by the user before finishing; resumable.
    case interrupted
}

/// An error as the journal keeps it.
package struct RecordedError: Hashable, Sendable, Codable {
    /// One lowercase line.
    package var message: String
    /// What may be done about it.
    package var retryClass: RetryClass

    /// Creates a recorded error.
    package init(message: String, retryClass: RetryClass) {
        self.message = message
        self.retryClass = retryClass
    }
}

/// One line of `journal.jsonl`: its sequence number, its time, and what it records.
///
/// What a record says is a closed ``JournalEntry``, one case per kind with the fields that kind requires, so a
/// record that lacks one cannot exist in memory. On disk the record stays flat (``JournalLine``): the kind's fields
/// beside `v`, `seq`, `time` and `kind`, keys sorted, absent fields left out, as `schemas/journal.schema.json`
/// states.
package struct JournalRecord: Hashable, Sendable {
    /// The record format version this build writes.
    package static let version = 1
    /// The record format versions this build reads.
    package static let readableVersions = [1]

    /// 1-based position in the journal; strictly increasing (set by ``Journal/append(_:)-([JournalRecord])``).
    package var seq: Int
    /// When it was written (set by ``Journal/append(_:)-([JournalRecord])``).
    package var time: Date
    /// What it records.
    package var entry: JournalEntry

    /// Creates a record; the journal numbers and timestamps it when it is appended.
    ///
    /// - Parameters:
    ///   - entry: What it records.
    ///   - seq: The sequence number (0 until appended).
    ///   - time: The time written (the epoch until appended).
    package init(_ entry: JournalEntry, seq: Int = 0, time: Date = Date(timeIntervalSince1970: 0)) {
        self.entry = entry
        self.seq = seq
        self.time = time
    }

    /// The record's kind.
    package var kind: JournalRecordKind { entry.kind }
}

extension JournalRecord: Codable {
    /// Decodes a flat line and checks it: its version is one this build reads and its kind's fields are present.
    ///
    /// - Throws: `DecodingError` for invalid JSON or a mistyped value, ``JournalRecord/Invalid`` for a record
    ///   that is well-formed JSON but not a record this build can read.
    package init(from decoder: any Decoder) throws {
        try self.init(JournalLine(from: decoder))
    }

    /// Encodes the record as its flat line.
    package func encode(to encoder: any Encoder) throws {
        try JournalLine(self).encode(to: encoder)
    }
}
