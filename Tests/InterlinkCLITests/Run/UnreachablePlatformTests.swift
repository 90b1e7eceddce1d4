import Foundation
import InterlinkCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `run --platform rescale` against an API URL where nothing listens: each retry is shown as it happens, Ctrl-C
/// ends the wait at once, and the final error is one `error:` and one `help:` line.
@Suite(.tags(.integration)) struct UnreachablePlatformTests {
    /// A port on 127.0.0.1 that was free a moment ago: bound, read, and closed again.
    static func closedPort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socket >= 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
            }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func environment(_ workspace: RunWorkspace, attempts: Int, base: String) throws -> [String: String] {
        [
            "RESCALE_API_URL": "http://127.0.0.1:\(try closedPort())", "RESCALE_API_KEY": "test-key-unreachable",
            "RESCALE_INSECURE_API_HOST": "1", "XDG_CONFIG_HOME": workspace.root + "/config", "RESCALE_PROFILE": "",
            "INTERLINK_API_RETRY_ATTEMPTS": String(attempts), "INTERLINK_API_RETRY_BASE": base,
        ]
    }

    @Test func eachRetryIsShownAndTheFinalErrorIsOneMessageAndOneHelp() async throws {
        let workspace = try RunWorkspace(label: "unreachable")
        defer { workspace.remove() }
        let result = try await CLIProcess.run(
            ["run", "workflow.yaml", "--platform", "rescale"],
            in: workspace.root + "/examples/dag-shared",
            environment: try Self.environment(workspace, attempts: 3, base: "0.02")
        )
        #expect(result.status == InterlinkCore.ExitStatus.unavailable.rawValue, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        let retries = lines.filter { $0.contains("platform unreachable (connection refused): retrying in ") }
        #expect(retries.count == 2, "\(result.stderr)")
        #expect(retries.first?.hasSuffix("attempt 2 of 3") == true, "\(result.stderr)")
        #expect(retries.last?.hasSuffix("attempt 3 of 3") == true, "\(result.stderr)")
        let errors = lines.filter { $0.contains("error:") }
        #expect(errors.count == 1, "\(result.stderr)")
        #expect(errors.first?.hasPrefix("error: connection to the platform failed: connection refused") == true)
        #expect(lines.filter { $0.contains("help:") }.count == 1, "\(result.stderr)")
        #expect(!result.stderr.contains("test-key-unreachable"))
    }

    @Test func ctrlCDuringTheWaitExits130AtOnce() async throws {
        let workspace = try RunWorkspace(label: "unreachable-int")
        defer { workspace.remove() }
        // Waits of 5 s and more: without a prompt stop the test would take minutes.
        let process = try CLIProcess(
            ["run", "workflow.yaml", "--platform", "rescale"],
            in: workspace.root + "/examples/dag-shared",
            environment: try Self.environment(workspace, attempts: 50, base: "5")
        )
        let runs = workspace.root + "/examples/dag-shared/.interlink/runs"
        // The run has started when its folder exists; the first attempt fails at once, then the wait begins.
        for _ in 0..<200 {
            if ((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).contains(where: {
                !$0.hasPrefix(".")
            }) {
                break
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        try await Task.sleep(for: .milliseconds(300))
        let sent = ContinuousClock.now
        process.send(SIGINT)
        let result = await process.wait()
        // To the end of its output, not to this task's resumption: a cooperative thread can be held for seconds
        // by CPU-heavy tests beside this one (CI once measured 7.6 s here).
        let elapsed = result.outputEnded - sent
        // The catalogue check comes before the run, and nothing has started: Ctrl-C has its default action, the
        // process ends at once by SIGINT (a shell shows 130), with nothing to resume.
        #expect(
            result.status == InterlinkCore.ExitStatus.interrupted.rawValue
                || (result.wasSignalled && result.status == SIGINT),
            "\(result.status) \(result.stderr)"
        )
        #expect(elapsed < .seconds(3), "exited \(elapsed) after SIGINT")
        #expect(result.stderr.contains("platform unreachable (connection refused): retrying in"), "\(result.stderr)")
    }
}
