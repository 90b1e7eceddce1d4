import Foundation
import InterlinkSystem
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ShellProcess` under its supervising shell, and `ProcessIdentity`.
@Suite struct SupervisedProcessTests {
    private func temporaryDirectory() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    private func start(_ command: String, in directory: String) throws -> ShellProcess {
        try ShellProcess.start(
            command: command,
            environment: ["PATH": "/usr/bin:/bin"],
            directory: directory,
            logPath: directory + "/log",
            controlFile: directory + "/control"
        )
    }

    @Test func theSupervisorRecordsItsPidAndTheCommandsExitStatus() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let process = try start("echo out; exit 7", in: directory)
        #expect(await process.waitForExit() == .exited(7))
        #expect(ShellProcess.recordedTermination(at: directory + "/control") == .exited(7))
        #expect(ShellProcess.recordedPID(at: directory + "/control") == process.pid)
        #expect(try String(contentsOfFile: directory + "/log", encoding: .utf8) == "out\n")
        // One file: the pid, then the status.
        let record = try String(contentsOfFile: directory + "/control", encoding: .utf8)
        #expect(record == "\(process.pid)\n7\n")
    }

    @Test func aRecordReadsOnlyCompleteLinesAndAnEarlierVersionsDirectoryIsStillRead() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let control = directory + "/control"
        #expect(ShellProcess.recordedPID(at: control) == nil && ShellProcess.recordedTermination(at: control) == nil)
        for (text, pid, termination) in [
            ("12", nil, nil), ("12\n", 12, nil), ("12\n13", 12, nil), ("12\n137\n", 12, .signalled(9)),
            ("12\n0\n", 12, .exited(0)), ("\n", nil, nil),
        ] as [(String, Int32?, ShellProcess.Termination?)] {
            try text.write(toFile: control, atomically: false, encoding: .utf8)
            #expect(ShellProcess.recordedPID(at: control) == pid, "\(text.debugDescription)")
            #expect(ShellProcess.recordedTermination(at: control) == termination, "\(text.debugDescription)")
        }
        // An earlier version's record: a directory holding `pid` and `status`.
        let legacy = directory + "/legacy"
        try FileManager.default.createDirectory(atPath: legacy, withIntermediateDirectories: true)
        try "41\n".write(toFile: legacy + "/pid", atomically: false, encoding: .utf8)
        #expect(ShellProcess.recordedPID(at: legacy) == 41 && ShellProcess.recordedTermination(at: legacy) == nil)
        try "3\n".write(toFile: legacy + "/status", atomically: false, encoding: .utf8)
        #expect(ShellProcess.recordedTermination(at: legacy) == .exited(3))
    }

    #if os(Linux)
    @Test func theCommandRunsInAForkedSubshellOfTheSupervisingBashAsBashDashCWould() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let command = """
            echo "$0|$#|${interlink_status-unset}|$BASH_VERSION" > words
            readlink /proc/$BASHPID/exe > exe; cut -d' ' -f4 /proc/$BASHPID/stat > parent; touch started; sleep 30
            """
        let process = try start(command, in: directory)
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: directory + "/started") {
            try await Task.sleep(for: .milliseconds(10))
        }
        let arguments = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(process.pid)/cmdline")).split(separator: 0)
        #expect(arguments.first.map { String(decoding: $0, as: UTF8.self) } == "/bin/bash")
        let supervisorBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(process.pid)/exe")
        let read = { (name: String) in try String(contentsOfFile: directory + "/" + name, encoding: .utf8) }
        // One exec'd shell: the command's shell is a fork of the supervisor (same binary, its child).
        #expect(try read("exe") == supervisorBinary + "\n")
        #expect(try read("parent") == "\(process.pid)\n")
        let words = try read("words").split(separator: "|", maxSplits: 3).map(String.init)
        #expect(words.prefix(3) == ["/bin/bash", "0", "unset"], "no supervisor parameters or variables")
        #expect((words.last?.count ?? 0) > 1, "the command runs in bash")
        process.signalGroup(SIGTERM)
        #expect(await process.waitForExit() == .exited(128 + SIGTERM))
        #expect(ShellProcess.recordedTermination(at: directory + "/control") == .signalled(SIGTERM))
    }
    #endif

    @Test func aSignalToTheGroupEndsTheCommandAndIsRecordedAsThatSignal() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let process = try start("touch started; sleep 30", in: directory)
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: directory + "/started") {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(ShellProcess.recordedTermination(at: directory + "/control") == nil, "no status while the command runs")
        process.signalGroup(SIGTERM)
        // The supervisor waits for the command, then exits with the shell's status for it.
        #expect(await process.waitForExit() == .exited(128 + SIGTERM))
        #expect(ShellProcess.recordedTermination(at: directory + "/control") == .signalled(SIGTERM))
    }

    @Test func anIdentityTellsALiveProcessFromAnEndedOneAndNamesItsCommand() async throws {
        let own = try #require(ProcessIdentity.current(of: getpid()))
        #expect(own.isRunning)
        #expect(ProcessIdentity.current(of: getpid())?.startTime == own.startTime)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let process = try start("exit 0", in: directory)
        let identity = ProcessIdentity.current(of: process.pid) ?? ProcessIdentity(pid: process.pid, startTime: 0)
        _ = await process.waitForExit()
        #expect(!identity.isRunning, "a reaped process is gone")
        #expect(
            !ProcessIdentity(pid: getpid(), startTime: own.startTime + 1).isRunning,
            "another start is another process"
        )
        #if os(Linux)
        let command = try #require(ProcessIdentity.commandLine(of: getpid()))
        #expect(command.hasPrefix(PathTail.name(CommandLine.arguments[0])), "\(command)")
        #endif
    }
}

private enum PathTail {
    static func name(_ path: String) -> String { (path as NSString).lastPathComponent }
}
