import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem
import Testing

@testable import InterlinkCLI

/// `runs` lists a run from its tally while the run's journal and plan are unchanged and no runner holds it, and
/// from the whole run otherwise (then making the tally again).
@Suite(.tags(.integration)) struct RunTallyTests {
    @Test func aTallyIsUsedOnlyWhileTheRunsFilesAreUnchangedAndNoRunnerHoldsIt() async throws {
        let workspace = try RunWorkspace(label: "tally")
        defer { workspace.remove() }
        let folder = workspace.root + "/examples/pur-basic"
        let run = try await CLIProcess.run(["run", "jobs.csv", "--quiet"], in: folder)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let state = workspace.root + "/state"
        let store = RunStore(baseDirectory: folder)
        let directory = store.directory(of: try #require(store.runIDs().last))
        let tallyPath = RunTally.path(of: directory.path, stateDirectory: state)
        func row() throws -> RunRow { try RunTally.row(of: directory, stateDirectory: state) }
        func tally() throws -> RunTally { try AtomicFile.readJSON(RunTally.self, from: tallyPath) }

        // The first listing reads the whole run and keeps its tally.
        let first = try row()
        #expect(
            [first.jobs, first.done, first.failed] == [3, 3, 0] && first.standing == "succeeded",
            "\(first)"
        )
        #expect(first.platform == "local" && PathName.basename(first.workflow) == "jobs.csv")
        #expect(try tally().done == 3)

        // A tally marked by hand shows which listing reads it: an unchanged run is listed from it, with what only
        // the plan says (its source, its directory where it is now) read from the plan.
        var marked = try tally()
        marked.done = 2
        try AtomicFile.write(try AtomicFile.encodeJSON(marked), to: tallyPath)
        let cached = try row()
        #expect(cached.done == 2)
        #expect(cached.workflow == first.workflow && cached.baseDirectory == first.baseDirectory)
        #expect(cached.started == first.started && cached.standing == first.standing)

        // A runner holding the run: listed from the whole run, as running, and the tally is left as it was.
        let lock = try FileLock(path: PathName.join(directory.path, "lock"))
        let running = try row()
        lock.release()
        #expect(running.standing == "running" && running.done == 3, "\(running)")
        #expect(try tally().done == 2)

        // A journal written since (its modification time changed, as every append changes it): made again.
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(5)],
            ofItemAtPath: directory.journalPath
        )
        #expect(try row().done == 3)
        #expect(try tally().done == 3)

        // Likewise for the plan.
        marked = try tally()
        marked.done = 1
        try AtomicFile.write(try AtomicFile.encodeJSON(marked), to: tallyPath)
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(5)],
            ofItemAtPath: directory.planPath
        )
        #expect(try row().done == 3)

        // A tally that does not decode is made again.
        try Data("{".utf8).write(to: URL(fileURLWithPath: tallyPath))
        #expect(try row().done == 3)
        #expect(try tally().done == 3)
    }
}
