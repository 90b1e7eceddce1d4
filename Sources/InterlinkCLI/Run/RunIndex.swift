import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem

/// The workflow directories that hold runs, kept under the user's state directory so a bare run id can be found
/// from any working directory.
///
/// The index is `<state>/runs.json`: `$INTERLINK_STATE_DIR`, else `$XDG_STATE_HOME/rescale-int`, else
/// `~/.local/state/rescale-int`. A run adds its directory when it starts. Several runners may write at once, so a
/// writer takes `<state>/runs.lock` and replaces the file atomically; readers take no lock and skip directories
/// that no longer exist. The index is a convenience: failing to write it never fails a run.
package struct RunIndex: Sendable {
    /// One workflow directory the index knows.
    package struct Entry: Hashable, Sendable, Codable {
        /// The absolute directory holding `.interlink/runs`.
        package var directory: String
        /// The newest run started there.
        package var lastRun: String
        /// When that run started.
        package var updated: Date
    }

    private struct Document: Codable {
        var v = 1
        var directories: [Entry]
    }

    /// The most directories kept; the least recently used ones are dropped first.
    package static let capacity = 1000

    /// The state directory.
    package var stateDirectory: String

    /// Creates an index in a state directory.
    package init(stateDirectory: String) { self.stateDirectory = stateDirectory }

    /// The index for this user, from the environment.
    ///
    /// - Parameter environment: The process environment (`INTERLINK_STATE_DIR`, `XDG_STATE_HOME`, `HOME`).
    package init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let explicit = environment["INTERLINK_STATE_DIR"], PathName.isAbsolute(explicit) {
            stateDirectory = explicit
        } else if let xdg = environment["XDG_STATE_HOME"], PathName.isAbsolute(xdg) {
            stateDirectory = PathName.join(xdg, "rescale-int")
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            stateDirectory = PathName.join(PathName.join(PathName.join(home, ".local"), "state"), "rescale-int")
        }
    }

    /// `<state>/runs.json`.
    package var path: String { PathName.join(stateDirectory, "runs.json") }

    /// The directories whose runs still exist, most recently used first.
    package func directories() -> [Entry] {
        read().filter {
            FileManager.default.fileExists(atPath: RunDirectory.runsDirectory(baseDirectory: $0.directory))
        }
    }

    /// Records that a run started in `directory`, dropping directories that are gone.
    ///
    /// Waits up to about a second for another writer's lock.
    ///
    /// - Parameters:
    ///   - run: The run.
    ///   - directory: The absolute base directory of its workflow.
    ///   - now: The time recorded.
    /// - Throws: `SystemError` or `FileLock.Failure` when the index cannot be written.
    package func record(_ run: RunID, in directory: String, now: Date = Date()) async throws {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let lock = try await Self.lock(PathName.join(stateDirectory, "runs.lock"))
        defer { lock.release() }
        var entries = read().filter {
            $0.directory != directory
                && FileManager.default.fileExists(atPath: RunDirectory.runsDirectory(baseDirectory: $0.directory))
        }
        entries.insert(Entry(directory: directory, lastRun: run.rawValue, updated: now), at: 0)
        try AtomicFile.write(
            try AtomicFile.encodeJSON(Document(directories: Array(entries.prefix(Self.capacity)))),
            to: path
        )
    }

    /// The entries on disk; an unreadable or missing index is empty.
    private func read() -> [Entry] {
        (try? AtomicFile.readJSON(Document.self, from: path))?.directories ?? []
    }

    /// Takes the writers' lock, retrying for about a second while another writer holds it.
    private static func lock(_ path: String) async throws -> FileLock {
        for _ in 0..<100 {
            if let lock = try? FileLock(path: path) { return lock }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try FileLock(path: path)
    }
}
