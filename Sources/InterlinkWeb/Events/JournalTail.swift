import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem

/// Follows the journals of the runs under the study directory and publishes each new record on the event bus,
/// so the Activity tab and run pages see runs started anywhere (the UI, a terminal, a daemon).
///
/// Journals are polled every 100 ms (a record reaches the page well within a second); the runs present at start
/// are followed from their end, runs that appear later from their first record. Only whole lines are read; a
/// torn last line waits for its end. Memory stays bounded: each poll reads at most 4 MiB per journal.
struct JournalTail: Sendable {
    /// The study directory.
    let directory: String
    /// Where records are published.
    let events: WebEventBus

    /// Polls until the task is cancelled.
    func follow() async {
        var offsets: [String: UInt64] = [:]
        var first = true
        var rescan = 0
        var journals: [(run: String, path: String)] = []
        while !Task.isCancelled {
            if rescan == 0 {
                journals = await Blocking.run { WebRunLocations.journals(under: directory) }
                rescan = 50
            }
            rescan -= 1
            for journal in journals {
                let start: UInt64? = first ? nil : offsets[journal.path] ?? 0
                let (lines, end) = await Blocking.run { Self.read(journal.path, from: start) }
                offsets[journal.path] = end
                for line in lines {
                    events.publish(WebEvent.parsing(line, source: "journal", run: journal.run))
                }
            }
            first = false
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The whole lines of a file after `offset` (nil: none, only the end) and the offset after them.
    static func read(_ path: String, from offset: UInt64?) -> (lines: [String], end: UInt64) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return ([], offset ?? 0) }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        guard let offset else { return ([], size) }
        guard size > offset else { return ([], min(offset, size)) }
        do {
            try handle.seek(toOffset: offset)
            let data = try handle.read(upToCount: Int(min(size - offset, 4 << 20))) ?? Data()
            guard let last = data.lastIndex(of: UInt8(ascii: "\n")) else { return ([], offset) }
            let lines = data[data.startIndex..<last].split(separator: UInt8(ascii: "\n")).map {
                String(decoding: $0, as: UTF8.self)
            }
            return (lines, offset + UInt64(last - data.startIndex + 1))
        } catch {
            return ([], offset)
        }
    }
}

/// Where the runs under a study directory live: the directory's own `.interlink/runs` and those of the
/// folders below it, one level deep (a study folder of workflow folders), hidden folders skipped.
package enum WebRunLocations {
    /// The workflow directories under `directory` that hold runs.
    ///
    /// - Parameter directory: The absolute study directory.
    /// - Returns: The absolute base directories, `directory` first.
    package static func baseDirectories(under directory: String) -> [String] {
        var found: [String] = []
        var queue: [(String, Int)] = [(directory, 0)]
        let manager = FileManager.default
        while !queue.isEmpty {
            let (folder, depth) = queue.removeFirst()
            if manager.fileExists(atPath: RunDirectory.runsDirectory(baseDirectory: folder)) { found.append(folder) }
            guard depth < 1, let names = try? manager.contentsOfDirectory(atPath: folder) else { continue }
            for name in names.sorted() where !name.hasPrefix(".") {
                var isDirectory: ObjCBool = false
                let path = PathName.join(folder, name)
                if manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                    queue.append((path, depth + 1))
                }
            }
        }
        return found
    }

    /// The journals of every run under `directory`.
    ///
    /// - Parameter directory: The absolute study directory.
    /// - Returns: Each run's id and journal path.
    package static func journals(under directory: String) -> [(run: String, path: String)] {
        baseDirectories(under: directory).flatMap { base in
            let runs = RunDirectory.runsDirectory(baseDirectory: base)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []
            return names.filter { !$0.hasPrefix(".") }.map {
                ($0, PathName.join(PathName.join(runs, $0), "journal.jsonl"))
            }
        }
    }
}
