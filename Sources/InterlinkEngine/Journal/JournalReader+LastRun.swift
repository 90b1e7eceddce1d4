import Foundation

extension JournalReader {
    /// How the journal's last run ended, as ``RunState/lastResult`` folds it, read from the journal's end.
    package enum LastRun: Hashable, Sendable {
        /// The last run-level record is `runFinished` with this result.
        case finished(RunResult)
        /// The last run-level record is a `runStarted` (a run in progress, or one that did not end), or there is
        /// none.
        case unfinished
        /// A line that names a run-level kind does not decode: the caller reads the whole journal.
        case unknown
    }

    /// How the last run of a journal ended, without reading its other records.
    ///
    /// The lines are looked at from the end, and only one that names `runStarted` or `runFinished` is decoded.
    /// Choosing the newest unfinished run of a folder costs a scan of bytes per run instead of decoding and
    /// folding every journal (a 10,000-job journal is 31 MB and 130,000 records).
    ///
    /// - Parameter data: The journal's bytes; a torn last line is left out, as ``parse(_:path:)`` drops it.
    /// - Returns: The last run's result, or that it has none (or that a quick look cannot tell).
    package static func lastRun(_ data: Data) -> LastRun {
        data.withUnsafeBytes { raw -> LastRun in
            let bytes = raw.bindMemory(to: UInt8.self)
            var end = bytes.count
            // A last line without its newline was never acknowledged.
            while end > 0, bytes[end - 1] != UInt8(ascii: "\n") { end -= 1 }
            while end > 0 {
                var start = end - 1
                while start > 0, bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[start..<(end - 1)])
                if line.firstRange(of: startedMarker) != nil || line.firstRange(of: finishedMarker) != nil {
                    let record =
                        JournalLineDecoder.decode(line)
                        ?? (try? makeDecoder().decode(JournalRecord.self, from: Data(line)))
                    switch record?.entry {
                    case .runFinished(let result): return .finished(result)
                    case .runStarted: return .unfinished
                    case nil: return .unknown
                    default: break  // the words were inside another record
                    }
                }
                end = start
            }
            return .unfinished
        }
    }

    private static let startedMarker = Array(#""kind":"runStarted""#.utf8)
    private static let finishedMarker = Array(#""kind":"runFinished""#.utf8)
}
