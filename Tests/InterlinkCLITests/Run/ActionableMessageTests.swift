import Foundation
import InterlinkTestSupport
import Testing

/// Messages a person can act on: the file, what was wrong and what to do, never `errno 13`, a `DecodingError`'s
/// debug text or `error:` twice; links leading out of an input are refused by `validate`; the API key is never
/// printed or logged, even when a server echoes it back.
@Suite(.tags(.integration)) struct ActionableMessageTests {
    /// A study with a `mesh/` input holding one readable file, and a one-job workflow using it.
    static func makeStudy(label: String) throws -> String {
        let root = try makeWorkspace(
            [
                "study/mesh/input.txt": "x\n",
                "study/workflow.yaml": """
                version: 1
                jobs:
                  - name: solve
                    inputs: [mesh]
                    command: cat mesh/input.txt
                """,
            ],
            label: label
        )
        return root + "/study"
    }

    /// Runs the binary as an unprivileged user when the tests run as root (root reads files of mode 000), so that
    /// permissions are enforced as they are for a user.
    static func runUnprivileged(_ arguments: [String], in directory: String, environment: [String: String] = [:])
        async throws -> CLIProcess.Result
    {
        guard geteuid() == 0 else {
            return try await CLIProcess.run(arguments, in: directory, environment: environment)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", CLIProcess.binary] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = await ChildProcess.collect(process, stdout: stdout, stderr: stderr)
        return CLIProcess.Result(
            status: output.status,
            stdout: output.stdoutText,
            stderr: output.stderrText,
            wasSignalled: output.wasSignalled,
            outputEnded: output.outputEnded
        )
    }

    /// Every message line says `error:` at most once, and none carries debug text.
    static func expectActionable(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for line in text.split(separator: "\n") {
            #expect(line.components(separatedBy: "error:").count <= 2, "\(line)", sourceLocation: sourceLocation)
        }
        for raw in ["errno", "DecodingError", "Debug description", "dataCorrupted", "NSCocoaErrorDomain"] {
            #expect(!text.contains(raw), "'\(raw)' in: \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [("/etc/hostname", "points to the absolute path '/etc/hostname'"), ("../../x", "outside")])
    func linksLeadingOutOfAnInputAreRefusedByValidate(target: String, words: String) async throws {
        let study = try Self.makeStudy(label: "links")
        defer { try? FileManager.default.removeItem(atPath: (study as NSString).deletingLastPathComponent) }
        try FileManager.default.createSymbolicLink(atPath: study + "/mesh/link", withDestinationPath: target)
        let result = try await CLIProcess.run(["validate", "workflow.yaml"], in: study)
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("workflow.yaml:3:5: error: "), "\(result.stderr)")
        #expect(result.stderr.contains("error: symbolic link '\(study)/mesh/link' points to"), "\(result.stderr)")
        #expect(result.stderr.contains(words) && result.stderr.contains("'\(target)'"), "\(result.stderr)")
        #expect(result.stderr.contains("help: replace the link"), "\(result.stderr)")
        Self.expectActionable(result.stderr)
    }

    @Test func anUnreadableInputSaysPermissionDeniedWithThePath() async throws {
        let study = try Self.makeStudy(label: "unreadable")
        defer { try? FileManager.default.removeItem(atPath: (study as NSString).deletingLastPathComponent) }
        try Data("secret\n".utf8).write(to: URL(fileURLWithPath: study + "/mesh/locked.txt"))
        #expect(chmod(study + "/mesh/locked.txt", 0) == 0)
        let result = try await Self.runUnprivileged(["validate", "workflow.yaml"], in: study)
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("'\(study)/mesh/locked.txt'"), "\(result.stderr)")
        #expect(result.stderr.lowercased().contains("permission denied"), "\(result.stderr)")
        #expect(result.stderr.contains("help: "), "\(result.stderr)")
        Self.expectActionable(result.stderr)
    }

    @Test func anUnreadableOrCorruptConfigSaysWhichFileAndWhatIsWrong() async throws {
        let root = try makeWorkspace(["config/rescale-int/profiles/default.json": "{\"apiBaseURL\": 7}"], label: "cfg")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let environment = [
            "XDG_CONFIG_HOME": root + "/config", "RESCALE_API_KEY": "k-0123456789", "RESCALE_PROFILE": "",
        ]
        let settings = root + "/config/rescale-int/profiles/default.json"
        let corrupt = try await CLIProcess.run(["config", "show"], in: root, environment: environment)
        #expect(corrupt.status != 0)
        #expect(corrupt.stderr.contains(settings) && corrupt.stderr.contains("apiBaseURL"), "\(corrupt.stderr)")
        Self.expectActionable(corrupt.stderr)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: settings))
        #expect(chmod(settings, 0) == 0)
        let locked = try await Self.runUnprivileged(["config", "show"], in: root, environment: environment)
        #expect(locked.status != 0)
        #expect(locked.stderr.contains(settings), "\(locked.stderr)")
        #expect(locked.stderr.lowercased().contains("permission denied"), "\(locked.stderr)")
        Self.expectActionable(locked.stderr)
    }

    @Test func aCorruptSpecOrFrozenPlanSaysWhatIsWrongWithoutDebugText() async throws {
        let study = try Self.makeStudy(label: "corrupt")
        defer { try? FileManager.default.removeItem(atPath: (study as NSString).deletingLastPathComponent) }
        try Data("{\"version\": 1, \"jobs\": [ {\"name\": ".utf8).write(to: URL(fileURLWithPath: study + "/bad.json"))
        let spec = try await CLIProcess.run(["validate", "bad.json"], in: study)
        #expect(spec.status == 65, "\(spec.stderr)")
        #expect(spec.stderr.contains("bad.json"), "\(spec.stderr)")
        Self.expectActionable(spec.stderr)
        let run = try await CLIProcess.run(["run", "workflow.yaml", "--quiet"], in: study)
        #expect(run.status == 0, "\(run.stderr)")
        let runs = study + "/.interlink/runs"
        let id = try #require(try FileManager.default.contentsOfDirectory(atPath: runs).first { !$0.hasPrefix(".") })
        try Data("{\"nodes\": 3}".utf8).write(to: URL(fileURLWithPath: runs + "/" + id + "/plan.json"))
        let status = try await CLIProcess.run(["status", runs + "/" + id], in: study)
        #expect(status.status == 65, "\(status.stderr)")
        #expect(
            status.stderr.contains("plan.json: error: the run's plan is not valid: the key 'version' is missing"),
            "\(status.stderr)"
        )
        #expect(status.stderr.contains("help: restore plan.json from a backup"), "\(status.stderr)")
        Self.expectActionable(status.stderr)
    }

    @Test func aKeyEchoedBackByTheServerIsNeverPrintedOrLogged() async throws {
        let key = "il-test-key-5f3a9c2e7b1d"
        let server = ScriptedServer { _, _ in
            .json(
                "{\"detail\": \"key \(key) may not do this\", \"header\": \"Authorization: Token \(key)\"}",
                status: 403
            )
        }
        let root = try makeWorkspace([:], label: "echo")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = root + "/debug.log"
        let result = try await server.run { url in
            try await CLIProcess.run(
                ["config", "test", "-v", "--log-file", log],
                in: root,
                environment: [
                    "RESCALE_API_URL": url, "RESCALE_API_KEY": key, "RESCALE_INSECURE_API_HOST": "1",
                    "XDG_CONFIG_HOME": root + "/config", "RESCALE_PROFILE": "",
                ]
            )
        }
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("may not do this"), "\(result.stderr)")
        #expect(result.stderr.contains("<redacted>"), "\(result.stderr)")
        let logged = try String(contentsOfFile: log, encoding: .utf8)
        for text in [result.stdout, result.stderr, logged] {
            #expect(!text.contains(key), "the key leaked: \(text)")
            #expect(!text.contains("Token il-"), "\(text)")
        }
        Self.expectActionable(result.stderr)
    }
}
