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
            nth: 2
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
        #expect(failed.first?.errorMessage == "the platform rejected the request with status 400: bad core type")
        #expect(rows.filter { $0.submitStatus == .success }.allSatisfy { !$0.jobID.isEmpty && $0.errorMessage.isEmpty })
        #expect(rows[0].extraFileIDs == (state.nodes[.shared("mesh")]?.fileIDs[0]?.rawValue ?? "missing"))
    }
}
