import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkTestSupport
import Testing

/// A run folder missing its plan or its journal, or with an empty or unreadable journal, is refused by name and
/// never taken for a new run.
@Suite struct RunDirectoryTests {
    enum Shape: String, CaseIterable, Sendable {
        case planOnly, emptyJournal, unreadableJournal, journalOnly

        var damage: JournalError.RunDamage {
            switch self {
            case .planOnly: .journalMissing
            case .emptyJournal: .journalEmpty
            case .unreadableJournal: .journalUnreadable
            case .journalOnly: .planMissing
            }
        }
    }

    /// A run folder of `plan` in the damaged `shape`.
    static func make(_ shape: Shape, plan: Plan) throws -> InterlinkEngine.RunDirectory {
        let directory = InterlinkEngine.RunDirectory(baseDirectory: plan.baseDirectory, runID: RunID("run-1"))
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        if shape != .journalOnly { try directory.freeze(plan) }
        switch shape {
        case .planOnly: break
        case .emptyJournal: try Data().write(to: URL(fileURLWithPath: directory.journalPath))
        case .unreadableJournal:
            try FileManager.default.createDirectory(atPath: directory.journalPath, withIntermediateDirectories: true)
        case .journalOnly:
            let line = try Journal.makeEncoder().encode(
                JournalRecord.runStarted(RunID("run-1"), pid: 1, resumed: false)
            )
            try (line + Data("\n".utf8)).write(to: URL(fileURLWithPath: directory.journalPath))
        }
        return directory
    }

    @Test(arguments: Shape.allCases)
    func refusesADamagedRunFolderNamingWhatIsMissing(shape: Shape) throws {
        let plan = EngineFixtures.threeJobPlan(baseDirectory: EngineFixtures.temporaryDirectory())
        let directory = try Self.make(shape, plan: plan)
        let error = #expect(throws: JournalError.self) { try directory.checkIsIntact() }
        #expect(error?.reason == .damagedRun(shape.damage))
        #expect(error?.path == directory.path)
        #expect(error.map { "\($0)".contains("help: this run cannot be continued") } == true)
    }

    @Test(arguments: Shape.allCases)
    func engineNeverTakesADamagedRunFolderForANewRun(shape: Shape) async throws {
        let plan = EngineFixtures.threeJobPlan(baseDirectory: EngineFixtures.temporaryDirectory())
        let directory = try Self.make(shape, plan: plan)
        let before = FileManager.default.contents(atPath: directory.journalPath)
        let platform = FakePlatform()
        let error = await #expect(throws: JournalError.self) {
            try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        }
        #expect(error?.reason == .damagedRun(shape.damage))
        #expect(await platform.jobs.isEmpty)
        #expect(FileManager.default.contents(atPath: directory.journalPath) == before, "the journal is untouched")
        #expect(FileManager.default.fileExists(atPath: directory.planPath) == (shape != .journalOnly))
    }

    @Test func acceptsAFolderNotStartedYetAndAWholeRun() async throws {
        let plan = EngineFixtures.threeJobPlan(baseDirectory: EngineFixtures.temporaryDirectory())
        let directory = InterlinkEngine.RunDirectory(baseDirectory: plan.baseDirectory, runID: RunID("run-1"))
        try directory.checkIsIntact()
        _ = try await Engine(EngineFixtures.configuration(plan, platform: FakePlatform())).run()
        try directory.checkIsIntact()
        #expect(FileManager.default.fileExists(atPath: directory.planPath))
        #expect(!FileManager.default.fileExists(atPath: directory.stagingPath))
    }

    @Test func aStartThatCrashesBeforeItsFirstRecordsAreDurableLeavesNoRunFolder() async throws {
        let plan = EngineFixtures.threeJobPlan(baseDirectory: EngineFixtures.temporaryDirectory())
        let directory = InterlinkEngine.RunDirectory(baseDirectory: plan.baseDirectory, runID: RunID("run-1"))
        let platform = FakePlatform()
        await #expect(throws: JournalError.self) {
            try await Engine(EngineFixtures.configuration(plan, platform: platform, crashAfter: 1)).run()
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path), "no half-made run folder under its id")
        #expect(FileManager.default.fileExists(atPath: directory.stagingPath + "/plan.json"))
        let summary = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        #expect(summary.result == .succeeded)
        #expect(!FileManager.default.fileExists(atPath: directory.stagingPath))
        #expect(await platform.jobs.count == 3)
    }

    @Test func acceptsAnEmptyJournalWhenAskedToForARunnerThatHoldsTheLock() throws {
        let plan = EngineFixtures.threeJobPlan(baseDirectory: EngineFixtures.temporaryDirectory())
        let directory = try Self.make(.emptyJournal, plan: plan)
        try directory.checkIsIntact(allowsEmptyJournal: true)
    }
}
