import Foundation
import InterlinkCore
import InterlinkSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The daemon's memory in its output directory: JSON Lines, one record per line, each fsynced when appended.
///
/// An `intent` is written before a job's first byte and a `done` after its last file is
/// verified and renamed, so after a restart (or `kill -9`) a job with an intent and no `done` is resumed and a job
/// with a `done` is never downloaded again. A torn last line is cut off when the journal is opened.
package struct DaemonJournal: Sendable {
    /// The journal's name in the output directory.
    package static let fileName = ".rescale-int-daemon.jsonl"

    /// One line.
    package struct Record: Codable, Hashable, Sendable {
        /// The format version, 1.
        package var v = 1
        /// `intent` or `done`.
        package var kind: Kind
        /// The job id.
        package var job: String
        /// The job name.
        package var name: String
        /// The job's directory, relative to the output directory.
        package var directory: String
        /// When (ISO 8601, UTC).
        package var at: String
        /// Files downloaded now (`done` only).
        package var files: Int?
        /// Bytes downloaded now (`done` only).
        package var bytes: Int64?

        /// Creates a record.
        package init(
            kind: Kind,
            job: String,
            name: String,
            directory: String,
            at: String,
            files: Int? = nil,
            bytes: Int64? = nil
        ) {
            self.kind = kind
            self.job = job
            self.name = name
            self.directory = directory
            self.at = at
            self.files = files
            self.bytes = bytes
        }

        /// What a record says.
        package enum Kind: String, Codable, Hashable, Sendable {
            /// The job's download is starting (or resuming).
            case intent
            /// Every output of the job is in its directory.
            case done
        }
    }

    /// What the journal says so far.
    package struct State: Hashable, Sendable {
        /// Jobs with an intent.
        package var started: Set<String> = []
        /// Jobs with every output downloaded.
        package var done: Set<String> = []
    }

    /// The journal file.
    package let path: String

    /// The journal of an output directory.
    package init(directory: String) { path = PathName.join(directory, Self.fileName) }

    /// Reads the journal, cutting off a torn last line so the next append starts on a line of its own.
    ///
    /// - Returns: The jobs started and done.
    /// - Throws: ``CommandFailure`` (74) when the file cannot be read or repaired, (65) for a damaged line before
    ///   the last.
    package func replay() async throws(CommandFailure) -> State {
        let path = self.path
        return try await Blocking.run { () throws(CommandFailure) -> State in
            guard let data = FileManager.default.contents(atPath: path) else { return State() }
            var complete = data
            if let last = data.last, last != UInt8(ascii: "\n") {
                let end = data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? data.startIndex
                complete = data[data.startIndex..<end]
                guard truncate(path, off_t(complete.count)) == 0 else {
                    throw CommandFailure([.error("cannot repair the daemon journal '\(path)'")], status: .ioError)
                }
            }
            var state = State()
            let decoder = JSONDecoder()
            for (index, line) in complete.split(separator: UInt8(ascii: "\n")).enumerated() {
                guard let record = try? decoder.decode(Record.self, from: Data(line)) else {
                    throw CommandFailure(
                        [
                            .error(
                                "line \(index + 1) of the daemon journal '\(path)' is damaged",
                                help: "move the journal away to start over (jobs already downloaded are then checked "
                                    + "file by file and not downloaded again)"
                            )
                        ],
                        status: .invalidInput
                    )
                }
                switch record.kind {
                case .intent: state.started.insert(record.job)
                case .done: state.done.insert(record.job)
                }
            }
            return state
        }
    }

    /// Appends one record and fsyncs it before returning.
    ///
    /// - Throws: ``CommandFailure`` (74) when it cannot be written.
    package func append(_ record: Record) async throws(CommandFailure) {
        let path = self.path
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let encoded = try? encoder.encode(record) else { preconditionFailure("a record always encodes") }
        let line = encoded + Data("\n".utf8)
        try await Blocking.run { () throws(CommandFailure) in
            let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw CommandFailure([.error("cannot open the daemon journal '\(path)'")], status: .ioError)
            }
            defer { close(descriptor) }
            let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == line.count, fsync(descriptor) == 0 else {
                throw CommandFailure([.error("cannot write the daemon journal '\(path)'")], status: .ioError)
            }
        }
    }

    /// The current time as the journal writes it.
    package static func now() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
