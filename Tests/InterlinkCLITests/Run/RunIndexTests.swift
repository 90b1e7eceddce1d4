import Foundation
import InterlinkCLI
import InterlinkEngine
import Testing

/// The index of workflow directories under the state directory.
@Suite struct RunIndexTests {
    /// A temporary directory with `count` workflow directories that have `.interlink/runs`.
    static func directories(_ count: Int) throws -> (root: String, bases: [String]) {
        let root = NSTemporaryDirectory() + "interlink-index-\(UUID().uuidString)"
        let bases = (0..<count).map { root + "/w\($0)" }
        for base in bases {
            try FileManager.default.createDirectory(
                atPath: RunDirectory.runsDirectory(baseDirectory: base),
                withIntermediateDirectories: true
            )
        }
        return (root, bases)
    }

    @Test func theStateDirectoryComesFromTheOverrideThenXDGThenHome() {
        #expect(RunIndex(environment: ["INTERLINK_STATE_DIR": "/s", "XDG_STATE_HOME": "/x"]).stateDirectory == "/s")
        #expect(RunIndex(environment: ["XDG_STATE_HOME": "/x", "HOME": "/h"]).stateDirectory == "/x/rescale-int")
        #expect(RunIndex(environment: ["HOME": "/h"]).stateDirectory == "/h/.local/state/rescale-int")
        #expect(RunIndex(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"]).path.hasPrefix("/h/"))
    }

    @Test func concurrentWritersLoseNoDirectoryAndDeletedOnesDisappear() async throws {
        let (root, bases) = try Self.directories(8)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let index = RunIndex(stateDirectory: root + "/state")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (number, base) in bases.enumerated() {
                group.addTask { try await index.record(RunID("run-\(number)"), in: base) }
            }
            try await group.waitForAll()
        }
        #expect(Set(index.directories().map(\.directory)) == Set(bases))
        try FileManager.default.removeItem(atPath: bases[0])
        #expect(!index.directories().map(\.directory).contains(bases[0]))
        try await index.record(RunID("run-again"), in: bases[1])
        let entries = index.directories()
        #expect(entries.first?.directory == bases[1] && entries.first?.lastRun == "run-again")
        #expect(entries.count == 7)
        try "{ torn".write(toFile: index.path, atomically: true, encoding: .utf8)
        #expect(index.directories().isEmpty)
    }
}
