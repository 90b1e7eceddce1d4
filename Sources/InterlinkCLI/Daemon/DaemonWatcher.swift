import Foundation
import InterlinkCore
import RescaleAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The daemon's loop: list the jobs, pick the completed ones not yet journaled as done (oldest first), and
/// download each into its own directory between an `intent` and a `done` record.
package struct DaemonWatcher: Sendable {
    /// The output directory (absolute).
    package var directory: String
    /// A glob on job names.
    package var namePattern: String?
    /// A job tag.
    package var tag: String?
    /// The journal.
    package var journal: DaemonJournal
    /// How transfers are shown.
    package var display: TransferDisplay

    /// Checks every `interval` until cancelled, or once.
    ///
    /// - Returns: The jobs whose download failed in the last check (they are tried again in the next one).
    /// - Throws: ``CommandFailure`` when the journal cannot be used; `CancellationError`.
    package func watch(_ connection: RescaleConnection, every interval: Duration, once: Bool) async throws -> Int {
        var state = try await journal.replay()
        while true {
            let failures = try await check(connection, &state)
            if once { return failures }
            try await Task.sleep(for: interval)
        }
    }

    /// One check: every due job downloaded or its failure logged.
    ///
    /// - Returns: How many due jobs failed.
    func check(_ connection: RescaleConnection, _ state: inout DaemonJournal.State) async throws -> Int {
        let records: [JSONValue]
        do {
            records = try await connection.api.jobRecords(limit: nil)
        } catch let error as PlatformError {
            RecordOutput.note("daemon: cannot list the jobs: \(error.message); trying again at the next check")
            return 1
        }
        var failures = 0
        for record in records.reversed() {
            let job = JobSummary(record: record)
            guard job.hasEnded, !job.id.isEmpty, !state.done.contains(job.id), matchesName(job.name) else { continue }
            do {
                guard try await hasTag(record, job.id, connection) else { continue }
                try await download(job, connection, &state)
            } catch let error as CancellationError {
                throw error
            } catch let error as CommandFailure where error.exitStatus != .ioError {
                RecordOutput.note("daemon: job '\(job.id)': \(error.message)")
                failures += 1
            } catch let error as CommandFailure {
                throw error
            } catch let error as PlatformError {
                RecordOutput.note("daemon: job '\(job.id)': \(error.message); trying again at the next check")
                failures += 1
            }
        }
        return failures
    }

    private func download(
        _ job: JobSummary,
        _ connection: RescaleConnection,
        _ state: inout DaemonJournal.State
    ) async throws {
        let folder = Self.folderName(name: job.name, id: job.id)
        let target = PathName.join(directory, folder)
        if !state.started.contains(job.id) {
            try await journal.append(
                .init(kind: .intent, job: job.id, name: job.name, directory: folder, at: DaemonJournal.now())
            )
            state.started.insert(job.id)
        }
        let outputs = try await connection.platform.listOutputs(of: JobID(job.id))
        let placements = try OutputDownloader.placements(of: outputs, in: target)
        try await OutputDownloader.checkFreeSpace(for: placements, in: directory)
        let summary = try await OutputDownloader(platform: connection.platform, display: display).download(placements)
        try await journal.append(
            .init(
                kind: .done,
                job: job.id,
                name: job.name,
                directory: folder,
                at: DaemonJournal.now(),
                files: summary.downloaded,
                bytes: summary.bytes
            )
        )
        state.done.insert(job.id)
        RecordOutput.note(
            "daemon: job '\(job.id)' downloaded into '\(folder)': \(summary.downloaded) file(s), "
                + "\(RecordOutput.bytes(summary.bytes)), \(summary.present) already present"
        )
    }

    private func matchesName(_ name: String) -> Bool {
        guard let namePattern else { return true }
        return fnmatch(namePattern, name, 0) == 0
    }

    private func hasTag(_ record: JSONValue, _ id: String, _ connection: RescaleConnection) async throws -> Bool {
        guard let tag else { return true }
        if let tags = record["userTags"]?.array { return tags.contains(.string(tag)) }
        return try await connection.api.jobTags(id).contains(tag)
    }

    /// `<job name>-<id>`, with `/`, control characters and a leading dot replaced by `_`.
    package static func folderName(name: String, id: String) -> String {
        var cleaned = String(
            name.unicodeScalars.map { $0 == "/" || $0.properties.generalCategory == .control ? "_" : Character($0) }
        )
        if cleaned.hasPrefix(".") { cleaned = "_" + cleaned.dropFirst() }
        return cleaned.isEmpty ? id : "\(cleaned)-\(id)"
    }
}
