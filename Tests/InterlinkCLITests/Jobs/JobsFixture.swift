import Foundation
import InterlinkTestSupport
import Testing

/// A `rescale-sim` process and a workspace, with helpers to drive `rescale-int` against them.
struct JobsFixture {
    let sim: SimProcess
    let root: String
    let environment: [String: String]

    init(label: String) async throws {
        sim = try await SimProcess()
        root = try makeWorkspace([:], label: label)
        environment = sim.environment(configHome: root + "/config")
    }

    /// Runs `rescale-int arguments…` in the workspace to the end.
    func run(_ arguments: [String]) async throws -> CLIProcess.Result {
        try await CLIProcess.run(arguments, in: root, environment: environment)
    }

    /// Starts `rescale-int arguments…` in the workspace.
    func start(_ arguments: [String]) throws -> CLIProcess {
        try CLIProcess(arguments, in: root, environment: environment)
    }

    /// Writes a job file in Interlink's form (the platform's create body) and submits it; returns the job id.
    func submit(name: String, command: String) async throws -> String {
        let body: [String: Any] = [
            "name": name, "isLowPriority": false,
            "jobanalyses": [
                [
                    "command": command, "analysis": ["code": "user_included", "version": "0"],
                    "hardware": ["coreType": ["code": "emerald"], "coresPerSlot": 1],
                ]
            ],
        ]
        let file = root + "/\(name).json"
        try JSONSerialization.data(withJSONObject: body).write(to: URL(fileURLWithPath: file))
        let result = try await run(["jobs", "submit", "-f", file, "--json"])
        try #require(result.status == 0, "submit: \(result.stderr)")
        let records = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        return try #require(records.first?["id"] as? String)
    }

    /// The newest status of a job, through `jobs get --json`.
    func status(_ id: String) async throws -> String? {
        let result = try await run(["jobs", "get", "--id", id, "--json"])
        let record = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return (record?["jobStatus"] as? [String: Any])?["content"] as? String
    }

    /// Polls until a job has a status (at most 120 s: a suite run many tests at once on two cores has taken 30).
    func wait(_ id: String, for wanted: String) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while try await status(id) != wanted {
            try #require(ContinuousClock.now < deadline, "job \(id) never reached \(wanted)")
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Validates a JSON document against a schema of `schemas/` with python's jsonschema.
    func validate(_ document: String, schema: String) async throws {
        let file = root + "/doc-\(UUID().uuidString).json"
        try document.write(toFile: file, atomically: true, encoding: .utf8)
        let script = """
            import json, sys, jsonschema
            validator = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
            errors = [e.message for e in validator.iter_errors(json.load(open(sys.argv[2])))]
            print("\\n".join(errors)); sys.exit(1 if errors else 0)
            """
        let path = RunWorkspace.repository.appendingPathComponent("schemas/\(schema)").path
        let result = try await ChildProcess.run("/usr/bin/env", ["python3", "-c", script, path, file])
        #expect(result.status == 0, "\(schema): \(result.stdoutText)\(result.stderrText)")
    }

    func remove() async {
        await sim.stop()
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Parses a JSON array printed by `--json`.
func jsonArray(_ text: String) throws -> [[String: Any]] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
}
