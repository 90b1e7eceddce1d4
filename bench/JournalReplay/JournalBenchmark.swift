import Foundation
import InterlinkCore
import InterlinkEngine

/// Measures journal replay: parse and fold a journal of synthetic records.
enum JournalBenchmark {
    /// Synthetic journal bytes: `records` lines, the first 1,000 planning the nodes and the rest cycling through
    /// intents, checkpoints, outcomes and statuses over them, as a large run writes them.
    static func makeJournal(records: Int) throws -> Data {
        let encoder = Journal.makeEncoder()
        var data = Data()
        let run = RunID("bench")
        for sequence in 1...max(records, 1) {
            let node = NodeID.job("job-\(sequence % 1000)")
            let step = StepRef(.upload, item: "0")
            let key = step.idempotencyKey(run: run, node: node)
            var record: JournalRecord =
                switch sequence % 4 {
                case _ where sequence <= 1000: .nodePlanned(node, name: "job-\(sequence % 1000)", contentHash: "h")
                case 1: .intent(node, step, attempt: 1, key: key)
                case 2:
                    .checkpoint(
                        node,
                        step,
                        key: key,
                        UploadCheckpoint(payload: "{\"part\":\(sequence)}", committedBytes: 8_388_608)
                    )
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

    /// Parses and folds journal bytes; returns the state and the seconds it took.
    static func replay(_ data: Data) throws -> (state: RunState, seconds: Double) {
        let start = ContinuousClock.now
        let contents = try JournalReader.parse(data, path: "benchmark")
        let state = RunState(replaying: contents.records)
        let elapsed = ContinuousClock.now - start
        return (state, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Builds a journal of `records` records and replays it; returns the seconds replay took.
    static func replay(records: Int) throws -> Double {
        try replay(makeJournal(records: records)).seconds
    }
}
