import Foundation
import InterlinkCore
import InterlinkEngine
import Testing

/// Journals for the journal tests: ones written by earlier builds (in `Fixtures/journals`) and synthetic ones.
enum JournalFixtures {
    /// The journals `rescale-int` wrote before records became an enum: `examples/dag-shared` crashed after 14
    /// records and resumed (two starts, checkpoints), and a variant whose `solve-fine` fails (a blocked node, a
    /// reconciled outcome).
    static let written = ["resumed-run.jsonl", "failed-run.jsonl"]

    /// The bytes of a fixture journal.
    static func data(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/journals/\(name)", withExtension: nil))
        return try Data(contentsOf: url)
    }

    /// A fixture's lines (without their newlines).
    static func lines(_ name: String) throws -> [String] {
        String(decoding: try data(name), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// A fixture with one line changed: its JSON object is edited and written back with sorted keys.
    ///
    /// - Parameters:
    ///   - name: The fixture.
    ///   - line: The 1-based line to change.
    ///   - change: The edit to the line's object.
    /// - Returns: The journal's bytes.
    /// - Throws: When the fixture cannot be read or the line is not a JSON object.
    static func editing(_ name: String, line: Int, _ change: (inout [String: Any]) -> Void) throws -> Data {
        var lines = try lines(name)
        let original = try JSONSerialization.jsonObject(with: Data(lines[line - 1].utf8))
        var object = try #require(original as? [String: Any])
        change(&object)
        let edited = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        lines[line - 1] = String(decoding: edited, as: UTF8.self)
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// The 1-based number of the first line of a fixture whose `kind` is `kind`.
    static func firstLine(of kind: JournalRecordKind, in name: String) throws -> Int {
        let index = try lines(name).firstIndex { $0.contains("\"kind\":\"\(kind.rawValue)\"") }
        return try #require(index) + 1
    }

    /// A synthetic journal of `records` lines: the first 1,000 plan the nodes, the rest cycle through intents,
    /// checkpoints, statuses and outcomes over them, as a large run writes them.
    static func synthetic(records: Int) throws -> Data {
        let encoder = Journal.makeEncoder()
        var data = Data()
        for sequence in 1...records {
            let node = NodeID.job("job-\(sequence % 1000)")
            let step = StepRef(.upload, item: "0")
            let key = step.idempotencyKey(run: RunID("synthetic"), node: node)
            var record: JournalRecord =
                switch sequence % 4 {
                case _ where sequence <= 1000: .nodePlanned(node, name: "job-\(sequence % 1000)", contentHash: "h")
                case 1: .intent(node, step, attempt: 1, key: key)
                case 2: .checkpoint(node, step, key: key, UploadCheckpoint(payload: "{}", committedBytes: 8_388_608))
                case 3: .jobStatus(node, job: JobID("J\(sequence)"), status: .executing)
                default: .outcome(.init(node: node, step: step, attempt: 1, key: key, result: .succeeded))
                }
            record.seq = sequence
            record.time = Date(timeIntervalSince1970: 1_790_000_000 + Double(sequence))
            data.append(try encoder.encode(record))
            data.append(UInt8(ascii: "\n"))
        }
        return data
    }
}
