import Foundation
import InterlinkCore
import InterlinkSystem

/// Parses a journal file's bytes: complete lines are records, a torn last line is dropped, a bad middle line is
/// an error naming its line number.
package enum JournalReader {
    /// What reading found.
    package struct Contents: Sendable {
        /// The records, in file order.
        package var records: [JournalRecord]
        /// The byte length of the valid prefix; anything after it (a torn last line) is to be truncated.
        package var validLength: Int
    }

    /// A decoder configured for journal records.
    package static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = JournalDate.decodingStrategy
        return decoder
    }

    /// Parses journal bytes.
    ///
    /// - Throws: `JournalError` with ``JournalError/Reason/corruptLine(line:detail:)`` when a line other than the
    ///   last is not JSON, when any line lacks a field its kind requires, or when a record names a node that no
    ///   earlier `nodePlanned` record introduced; with ``JournalError/Reason/unsupportedVersion(line:version:)``
    ///   when a line's `v` is not one this build reads.
    package static func parse(_ data: Data, path: String) throws(JournalError) -> Contents {
        if let fast = parseAllAtOnce(data) {
            var nodes = PlannedNodes()
            if fast.records.allSatisfy({ nodes.unknownNode(in: $0.entry) == nil }) { return fast }
        }
        return try parseLineByLine(data, path: path)
    }

    /// A journal folded: what ``parse(_:path:)`` then `RunState(replaying:)` give, without every record.
    package struct Folded: Sendable {
        /// The records folded.
        package var state: RunState
        /// How many records the file holds.
        package var recordCount: Int
        /// When the first record was written.
        package var started: Date?
        /// The byte length of the valid prefix; anything after it (a torn last line) is to be truncated.
        package var validLength: Int
    }

    /// Reads and folds journal bytes, never holding more than a few chunks' records at once: a 10,000-job journal
    /// is 130,000 records, which ``parse(_:path:)`` holds all together.
    ///
    /// - Throws: What ``parse(_:path:)`` throws, for the same bytes.
    package static func fold(_ data: Data, path: String) throws(JournalError) -> Folded {
        if let folded = foldAllAtOnce(data) { return folded }
        let contents = try parseLineByLine(data, path: path)
        return Folded(
            state: RunState(replaying: contents.records),
            recordCount: contents.records.count,
            started: contents.records.first?.time,
            validLength: contents.validLength
        )
    }

    /// The fast path: every line complete and valid; the file is cut into chunks at line ends and each chunk is
    /// decoded as one JSON array (one decoder call per chunk, chunks in parallel).
    private static func parseAllAtOnce(_ data: Data) -> Contents? {
        var records: [JournalRecord] = []
        records.reserveCapacity(data.count / 150)
        let complete = decodeInChunks(data, wave: Int.max) { records.append(contentsOf: $0) }
        return complete ? Contents(records: records, validLength: data.count) : nil
    }

    /// The fast path of ``fold(_:path:)``: chunks decoded in waves of one per core, each wave's records checked and
    /// folded in order and then let go; nil when a line needs the careful path.
    private static func foldAllAtOnce(_ data: Data) -> Folded? {
        var folded = Folded(state: RunState(), recordCount: 0, started: nil, validLength: data.count)
        var nodes = PlannedNodes()
        var known = true
        let wave = max(ProcessInfo.processInfo.activeProcessorCount, 1)
        let complete = decodeInChunks(data, wave: wave) { records in
            for record in records where known {
                guard nodes.unknownNode(in: record.entry) == nil else {
                    known = false
                    return
                }
                folded.state.apply(record)
                folded.recordCount += 1
                if folded.started == nil { folded.started = record.time }
            }
        }
        return complete && known ? folded : nil
    }

    /// Decodes complete lines in chunks, up to `wave` chunks at once, handing each chunk's records to `take` in file
    /// order.
    ///
    /// A file under 1 MiB is one chunk, a larger one four per core, cut at line ends. The chunks are read where the
    /// file's bytes are (a 10,000-job journal is 31 MB: no copy of it).
    ///
    /// - Returns: Whether every line decoded (false for an empty last line missing its newline, or any line the
    ///   fast decoders decline).
    private static func decodeInChunks(_ data: Data, wave: Int, _ take: ([JournalRecord]) -> Void) -> Bool {
        guard !data.isEmpty else { return true }
        guard data.last == UInt8(ascii: "\n") else { return false }
        let count = data.count
        let chunkCount = count < 1 << 20 ? 1 : max(ProcessInfo.processInfo.activeProcessorCount, 1) * 4
        var bounds: [Int] = [0]
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            for chunk in 1..<chunkCount {
                var cut = count * chunk / chunkCount
                while cut < count, raw[cut - 1] != UInt8(ascii: "\n") { cut += 1 }
                if cut > bounds[bounds.count - 1], cut < count { bounds.append(cut) }
            }
        }
        bounds.append(count)
        let cuts = bounds
        var first = 0
        while first < cuts.count - 1 {
            let size = min(wave, cuts.count - 1 - first)
            let start = first
            let results = ParallelParts.map(size) { offset in
                let chunk = start + offset
                return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                    let bytes = raw.assumingMemoryBound(to: UInt8.self)
                    return decodeChunk(UnsafeBufferPointer(rebasing: bytes[cuts[chunk]..<cuts[chunk + 1]]))
                }
            }
            for records in results {
                guard let records else { return false }
                take(records)
            }
            first += size
        }
        return true
    }

    /// Decodes complete lines, each with ``JournalLineDecoder`` and, where that declines, with `JSONDecoder`.
    private static func decodeChunk(_ buffer: UnsafeBufferPointer<UInt8>) -> [JournalRecord]? {
        var records: [JournalRecord] = []
        records.reserveCapacity(buffer.count / 150)
        var decoder: JSONDecoder?
        var start = 0
        while start < buffer.count {
            var end = start
            while end < buffer.count, buffer[end] != UInt8(ascii: "\n") { end += 1 }
            let line = UnsafeBufferPointer(rebasing: buffer[start..<end])
            if !line.isEmpty {
                if let record = JournalLineDecoder.decode(line) {
                    records.append(record)
                } else {
                    let fallback = decoder ?? makeDecoder()
                    decoder = fallback
                    guard let record = try? fallback.decode(JournalRecord.self, from: Data(line)) else { return nil }
                    records.append(record)
                }
            }
            start = end + 1
        }
        return records
    }

    /// The careful path: line by line, to drop a torn last line and to name a corrupt one.
    private static func parseLineByLine(_ data: Data, path: String) throws(JournalError) -> Contents {
        let decoder = makeDecoder()
        var records: [JournalRecord] = []
        records.reserveCapacity(data.count / 160)
        var nodes = PlannedNodes()
        var validLength = 0
        var lineNumber = 0
        var lineStart = data.startIndex
        lines: while lineStart < data.endIndex {
            lineNumber += 1
            // A last line without its newline was never acknowledged (torn write): drop it.
            guard let newline = data[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            let line = data[lineStart..<newline]
            if !line.isEmpty {
                let record: JournalRecord
                do {
                    record = try JournalRecord(decoder.decode(JournalLine.self, from: line))
                } catch let invalid as JournalRecord.Invalid {
                    // Well-formed JSON is never a torn write: a record this build cannot read is always reported.
                    throw JournalError(invalid, line: lineNumber, path: path)
                } catch {
                    if let version = Self.version(of: line, decoder: decoder),
                        !JournalRecord.readableVersions.contains(version)
                    {
                        throw JournalError(.unsupportedVersion(line: lineNumber, version: version), path: path)
                    }
                    // A bad final line is torn too; anything earlier is corruption the user must see.
                    guard newline + 1 >= data.endIndex else {
                        throw JournalError(.corruptLine(line: lineNumber, detail: Self.describe(error)), path: path)
                    }
                    break lines
                }
                if let node = nodes.unknownNode(in: record.entry) {
                    let detail =
                        "it names node '\(node.rawValue)', which no earlier 'nodePlanned' record introduced "
                        + "(the run's plan has no such node)"
                    throw JournalError(.corruptLine(line: lineNumber, detail: detail), path: path)
                }
                records.append(record)
            }
            validLength = newline + 1 - data.startIndex
            lineStart = newline + 1
        }
        return Contents(records: records, validLength: validLength)
    }

    /// The `v` of a line that does not decode as a record, when the line is a JSON object with an integer `v`.
    private static func version(of line: Data, decoder: JSONDecoder) -> Int? {
        struct Probe: Decodable { var v: Int? }
        return (try? decoder.decode(Probe.self, from: line))?.v
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription.lowercased() }
        if case DecodingError.keyNotFound(let key, _) = error { return "missing field '\(key.stringValue)'" }
        return ErrorText.describe(error)
    }
}

/// The nodes a journal has planned so far; a record about any other node is corrupt.
///
/// Every node of a run's plan gets a `nodePlanned` record before any record about it (the engine writes them
/// with `runStarted`), and nodes a later plan dropped keep theirs, so this set is the journal's own copy of every
/// plan the run has had.
struct PlannedNodes {
    private var planned: Set<NodeID> = []

    /// Admits a `nodePlanned` entry's node; for any other entry, returns the node it names that is not planned.
    mutating func unknownNode(in entry: JournalEntry) -> NodeID? {
        switch entry {
        case .nodePlanned(let planned):
            self.planned.insert(planned.node)
            return nil
        case .nodeBlocked(let blocked):
            return [blocked.node, blocked.dependency].first { !planned.contains($0) }
        default:
            guard let node = entry.node, !planned.contains(node) else { return nil }
            return node
        }
    }
}

extension JournalError {
    /// The error for a line that is well-formed JSON but not a record this build reads.
    init(_ invalid: JournalRecord.Invalid, line: Int, path: String) {
        switch invalid {
        case .unsupportedVersion(let version): self.init(.unsupportedVersion(line: line, version: version), path: path)
        case .missingField: self.init(.corruptLine(line: line, detail: invalid.detail), path: path)
        }
    }
}
