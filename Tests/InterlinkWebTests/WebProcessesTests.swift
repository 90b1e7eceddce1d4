import Foundation
import Testing

@testable import InterlinkWeb

/// The commands the UI starts: the flags every child gets and the bound on short commands.
@Suite struct WebProcessesTests {
    private func processes(_ executable: String, leading: [String] = []) -> WebProcesses {
        WebProcesses(
            executable: executable,
            environment: ProcessInfo.processInfo.environment,
            directory: FileManager.default.temporaryDirectory.path,
            leadingArguments: leading,
            events: WebEventBus()
        )
    }

    @Test func everyCommandGetsTheLeadingArgumentsFirst() async throws {
        let echo = processes("/bin/echo", leading: ["-c", "/study/config.csv"])
        let output = try await echo.run(["plan", "--json", "jobs.csv"])
        #expect(output.status == 0)
        #expect(output.stdout == "-c /study/config.csv plan --json jobs.csv\n")
        let plain = try await processes("/bin/echo").run(["validate"])
        #expect(plain.stdout == "validate\n")
    }

    @Test func shortCommandsRunAtMostTheLimitAtOnce() async throws {
        let shell = processes("/bin/sh")
        let count = WebProcesses.shortLimit * 3
        let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
            for index in 0..<count {
                group.addTask { try await shell.run(["-c", "sleep 0.1; exit \(index % 3)"]).status }
            }
            var all: [Int32] = []
            for try await status in group { all.append(status) }
            return all
        }
        let expected: [Int32] = (0..<count).map { index in Int32(index % 3) }
        #expect(statuses.sorted() == expected.sorted())
        #expect(shell.shortCommandsPeak == WebProcesses.shortLimit)
    }

    @Test func aConfigFileReachesChildrenAsAnAbsolutePath() {
        // Other flags reach the child through the environment, not the command line.
        #expect(
            WebProcesses.configArguments("conf/config.csv", current: "/home/me/study")
                == ["-c", "/home/me/study/conf/config.csv"]
        )
        #expect(WebProcesses.configArguments(nil, current: "/x").isEmpty)
    }
}
