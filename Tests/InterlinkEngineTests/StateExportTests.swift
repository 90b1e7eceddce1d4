import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkTestSupport
import Testing

@Suite struct StateExportTests {
    @Test func exportsOneInterlinkRowPerJobFromTheJournal() async throws {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform()
        await platform.inject(
            .fail(PlatformError(.rejected(status: 400, message: "bad core type"))),
            on: .createJob,
            // The third create is c's: a's and b's come first in either order, and c waits for a to end (a failed
            // create of a would also block c, and which of a and b is second varies under load).
            nth: 3
        )
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        _ = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        let journal = try Journal(directory: RunDirectory(baseDirectory: base, runID: RunID("run-1")).path)
        let state = await journal.state
        await journal.close()
        let rows = InterlinkStateExport.rows(plan: plan, state: state)
        #expect(rows.map(\.index) == [1, 2, 3])
        #expect(rows.map(\.jobName) == ["a", "b", "c"])
        #expect(rows.allSatisfy { $0.tarPath.isEmpty && $0.tarStatus == .success && $0.uploadStatus == .success })
        #expect(rows.allSatisfy { $0.fileID.hasPrefix("file-") && $0.lastUpdated != nil })
        let failed = rows.filter { $0.submitStatus == .failed }
        #expect(failed.count == 1)
        #expect(failed.first?.jobID == "")
        #expect(
            failed.first?.errorMessage
                == "create failed: the platform rejected the request with status 400: bad core type"
        )
        #expect(rows.filter { $0.submitStatus == .success }.allSatisfy { !$0.jobID.isEmpty && $0.errorMessage.isEmpty })
        #expect(rows[0].extraFileIDs == (state.nodes[.shared("mesh")]?.fileIDs[0]?.rawValue ?? "missing"))
    }

    @Test func importMatchesRowsByNameAndDirectoryNeverByPositionAndSparesNodesWithProgress() {
        let plan = EngineFixtures.threeJobPlan(baseDirectory: "/base")
        let rows = [
            StateRow(index: 1, jobName: "c", directory: "/data/c", jobID: "J-c", submitStatus: .success),
            StateRow(index: 2, jobName: "a", directory: "/moved/a", jobID: "J-a"),
            StateRow(index: 5, jobName: "c", directory: "/other/c", jobID: "J-c2"),
            StateRow(
                index: 3,
                jobName: "b",
                directory: "/data/b",
                tarStatus: .success,
                fileID: "F-b",
                uploadStatus: .success
            ),
            StateRow(index: 4, jobName: "gone", directory: "/data/gone", jobID: "J-gone"),
        ]
        let matched = InterlinkStateImport.match(rows: rows, plan: plan) { row, _ in row.jobName == "b" }
        #expect(matched.unmatched.map(\.index) == [5, 4])
        #expect(
            matched.jobs == [
                ImportedJob(node: .job("c"), jobID: JobID("J-c"), submitted: true, fileID: nil),
                ImportedJob(node: .job("a"), jobID: JobID("J-a"), submitted: false, fileID: nil),
                ImportedJob(node: .job("b"), jobID: nil, submitted: false, fileID: FileID("F-b")),
            ]
        )
        var state = RunState()
        for node in plan.nodes {
            state.apply(JournalRecord.nodePlanned(node.id, name: node.name, contentHash: node.contentHash))
        }
        state.apply(.intent(.job("b"), StepRef(.upload, item: "0"), attempt: 1, key: IdempotencyKey("k")))
        let records = InterlinkStateImport.records(matched.jobs, plan: plan, state: state, run: RunID("run-1"))
        for record in records { state.apply(record) }
        #expect(state.nodes[.job("c")]?.jobID == JobID("J-c"))
        #expect(state.nodes[.job("c")]?[StepRef(.submit)].isSucceeded == true)
        #expect(state.nodes[.job("b")]?.fileIDs.isEmpty == true, "b's journaled progress was overwritten")
        #expect(state.nodes[.job("a")]?.jobID == JobID("J-a"))
        #expect(records.count == 7)
    }
}
