import ArgumentParser
import Foundation
import InterlinkCLI
import InterlinkCore
import InterlinkEngine
import Testing

/// The CLI's side of damaged run folders and of the crash tests' hidden option.
@Suite struct RunFolderTests {
    /// A run folder under a fresh base with `plan.json` and/or `journal.jsonl` as given (contents, nil: absent).
    static func folder(plan: Bool, journal: String?) throws -> InterlinkEngine.RunDirectory {
        let base = NSTemporaryDirectory() + "interlink-run-folder-\(UUID().uuidString)"
        let directory = InterlinkEngine.RunDirectory(baseDirectory: base, runID: RunID("20261205-000000-abcd"))
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        if plan {
            let plan = Plan(
                workflow: "study",
                source: "workflow.yaml",
                baseDirectory: base,
                platform: .local,
                settings: .default,
                nodes: []
            )
            try directory.freeze(plan)
        }
        if let journal { try Data(journal.utf8).write(to: URL(fileURLWithPath: directory.journalPath)) }
        return directory
    }

    @Test(arguments: [
        (true, nil, "run folder has plan.json but no journal.jsonl"),
        (true, "", "run folder has plan.json but its journal.jsonl is empty"),
        (false, "{}\n", "run folder has journal.jsonl but no plan.json"),
    ])
    func snapshotRefusesADamagedRunFolderWithExit65(plan: Bool, journal: String?, message: String) throws {
        let directory = try Self.folder(plan: plan, journal: journal)
        let failure = #expect(throws: CommandFailure.self) { try RunSnapshot(directory: directory) }
        #expect(failure?.exitCode == 65)
        #expect(failure?.diagnostics.first?.message == message, "\(String(describing: failure))")
        #expect(failure?.diagnostics.first?.help?.contains("start a new run") == true)
    }

    @Test func resolvingARunFolderWithAJournalButNoPlanFindsItSoItCanBeRefused() throws {
        let directory = try Self.folder(plan: false, journal: "{}\n")
        let resolved = try RunStore.resolve(directory.path, currentDirectory: "/")
        #expect(resolved.path == directory.path)
    }

    @Test func aNewRunStillBeingAssembledIsNotListedAsARun() throws {
        let directory = try Self.folder(plan: true, journal: "")
        try FileManager.default.moveItem(atPath: directory.path, toPath: directory.stagingPath)
        let store = RunStore(baseDirectory: PathName.dirname(PathName.dirname(PathName.dirname(directory.path))))
        #expect(store.runIDs().isEmpty)
        try FileManager.default.moveItem(atPath: directory.stagingPath, toPath: directory.path)
        #expect(store.runIDs() == [directory.runID])
    }

    @Test func crashAfterRecordIsAHiddenOptionThatSetsAKillingCrashPoint() throws {
        let options = try RunOptions.parse(["--crash-after-record", "3"])
        #expect(options.crashPoint == CrashPoint(afterRecord: 3, action: .killProcess))
        #expect(try RunOptions.parse([]).crashPoint == nil)
        #expect(!RunCommand.helpMessage().contains("crash"))
        #expect(throws: (any Error).self) { try RunOptions.parse(["--crash-after-record", "0"]) }
    }
}
