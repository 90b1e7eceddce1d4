import Foundation
import InterlinkEngine

// Replays a synthetic journal of 100,000 records (or the count given as the first argument) and prints the time.
let count = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 100_000
let data = try JournalBenchmark.makeJournal(records: count)
var best = Double.infinity
for _ in 0..<5 {
    let (state, seconds) = try JournalBenchmark.replay(data)
    precondition(state.lastSequence == count, "replay lost records")
    best = min(best, seconds)
}
print("replayed \(count) records (\(data.count) bytes) in \(String(format: "%.3f", best)) s (best of 5)")
