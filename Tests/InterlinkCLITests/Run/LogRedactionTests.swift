import Foundation
import Testing

/// `-v` and `--log-file` against the emulator: the debug lines carry the run, job, stage and attempt, and no
/// secret ever reaches stdout, stderr or the log file.
@Suite(.tags(.integration)) struct LogRedactionTests {
    /// Text that would mean a credential leaked: the API key, HTTP authorization, S3 signatures and secrets, SAS
    /// signatures.
    static let forbidden = [
        SimProcess.apiKey, "Authorization", "Token ", "X-Amz-Signature", "X-Amz-Credential", "x-amz-security-token",
        "secretKey", "sessionToken", "sig=",
    ]

    @Test func verboseRunLogsContextToStderrAndAPrivateFileAndNeverASecret() async throws {
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: "logs")
        defer { workspace.remove() }
        let log = workspace.root + "/debug.log"
        let environment = sim.environment(configHome: workspace.root + "/config")
        let run = try await CLIProcess.run(
            [
                "run", "workflow.yaml", "--platform", "rescale", "--quiet", "--poll-interval", "0.2", "-v",
                "--log-file", log,
            ],
            in: workspace.root + "/examples/dag-shared",
            environment: environment
        )
        let test = try await CLIProcess.run(
            ["config", "test", "--verbose", "--log-file=\(log)"],
            in: workspace.root,
            environment: environment
        )
        await sim.stop()
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(test.status == 0, "\(test.stdout)\n\(test.stderr)")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        let mode = try FileManager.default.attributesOfItem(atPath: log)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let response = text.split(separator: "\n").first {
            $0.contains("rescale.api.response") && $0.contains("job.name=")
        }
        let line = try #require(response, "\(text.prefix(2000))")
        for key in ["run.id=", "stage=", "attempt=", "http.status="] { #expect(line.contains(key), "\(line)") }
        #expect(text.contains("rescale-int: rescale.api.response http.method=GET http.path=/api/v3/users/me/"))
        #expect(run.stderr.contains(" debug rescale-int: rescale.api.response"))
        for secret in Self.forbidden {
            #expect(!text.contains(secret), "log file holds '\(secret)'")
            #expect(!run.stderr.contains(secret) && !run.stdout.contains(secret), "run output holds '\(secret)'")
            #expect(!test.stderr.contains(secret) && !test.stdout.contains(secret), "config test holds '\(secret)'")
        }
    }

    @Test func withoutVerboseTheConsoleShowsNoDebugLines() async throws {
        let workspace = try RunWorkspace(label: "quiet-logs")
        defer { workspace.remove() }
        let log = workspace.root + "/debug.log"
        let result = try await CLIProcess.run(
            ["run", "workflow.yaml", "--quiet", "--log-file", log],
            in: workspace.root + "/examples/dag-shared"
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains(" debug "), "\(result.stderr)")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains(" debug rescale-int: engine.run.started run.id="), "\(text.prefix(2000))")
        #expect(text.contains("local.platform.opened"))
    }
}
