import ArgumentParser
import Foundation
import InterlinkCLI
import Testing

/// The pure parts of the job commands and the daemon.
@Suite struct JobsUnitTests {
    @Test(arguments: [
        ([], ["a", "b"], ["a", "b"]),
        (["a", "b"], ["a", "b", "c"], ["c"]),
        (["a", "b", "c"], ["b", "c", "d", "e"], ["d", "e"]),
        (["x"], ["a", "b"], ["a", "b"]),
        (["a", "b"], ["a", "b"], []),
    ])
    func tailPrintsOnlyTheLinesAfterTheOverlap(printed: [String], current: [String], expected: [String]) {
        #expect(JobsTailCommand.newLines(after: printed, in: current) == expected)
    }

    @Test func daemonFoldersAreOneSafeComponent() {
        #expect(DaemonWatcher.folderName(name: "wing case", id: "abc") == "wing case-abc")
        #expect(DaemonWatcher.folderName(name: "../up/x", id: "abc") == "_._up_x-abc")
        #expect(DaemonWatcher.folderName(name: "a\u{1B}b", id: "abc") == "a_b-abc")
        #expect(DaemonWatcher.folderName(name: "", id: "abc") == "abc")
    }

    @Test func theDaemonJournalCutsATornLastLineAndReplays() async throws {
        let directory = NSTemporaryDirectory() + "daemon-journal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = DaemonJournal(directory: directory)
        try await journal.append(.init(kind: .intent, job: "a", name: "A", directory: "A-a", at: "t"))
        try await journal.append(.init(kind: .done, job: "a", name: "A", directory: "A-a", at: "t", files: 1, bytes: 3))
        try await journal.append(.init(kind: .intent, job: "b", name: "B", directory: "B-b", at: "t"))
        let handle = try #require(FileHandle(forWritingAtPath: journal.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"v":1,"kind":"do"#.utf8))
        try handle.close()
        let state = try await journal.replay()
        #expect(state.done == ["a"] && state.started == ["a", "b"])
        try await journal.append(.init(kind: .done, job: "b", name: "B", directory: "B-b", at: "t", files: 0, bytes: 0))
        #expect(try await journal.replay().done == ["a", "b"])
    }

    @Test func everyJobCatalogueAndDaemonCommandListsItsExitCodesInItsHelp() {
        let helps: [CommandConfiguration] = [
            JobsListCommand.configuration, LsCommand.configuration, JobsGetCommand.configuration,
            JobsSubmitCommand.configuration, JobsStopCommand.configuration, JobsTailCommand.configuration,
            JobsListFilesCommand.configuration, JobsDownloadCommand.configuration, JobsDeleteCommand.configuration,
            JobsWatchCommand.configuration, HardwareListCommand.configuration, SoftwareListCommand.configuration,
            AutomationsListCommand.configuration, DaemonCommand.configuration,
        ]
        for configuration in helps {
            let name = configuration.commandName ?? ""
            #expect(configuration.discussion.contains("Exit codes:\n  0    success\n"), "\(name)")
            #expect(configuration.discussion.contains("\n  64   usage error"), "\(name)")
        }
    }

    @Test func downloadsNeedTheirSizePlusFifteenPercentFree() throws {
        #expect(OutputDownloader.spaceRefusal(needed: 1000, available: 1150, directory: "/d") == nil)
        let refusal = try #require(OutputDownloader.spaceRefusal(needed: 1000, available: 1149, directory: "/d"))
        #expect(refusal.exitStatus == .ioError)
        #expect(
            refusal.message
                == "not enough free space in '/d': the outputs need 1150 bytes (1000 plus 15 %) and 1149 bytes are "
                + "available"
        )
    }
}
