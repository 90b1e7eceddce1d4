import Foundation
import InterlinkTestSupport
import Testing

/// `status`, `resume` and `runs` find a run from any working directory: by workflow file, its directory, a run id
/// (through the index under the state directory) or a run directory.
@Suite(.tags(.integration)) struct RunLookupTests {
    /// A workspace with its own state directory, so the index holds only this test's runs.
    static func environment(_ workspace: RunWorkspace) -> [String: String] {
        ["INTERLINK_STATE_DIR": workspace.root + "/state"]
    }

    @Test func statusResumeAndRunsFindARunByFileDirectoryIDOrFolderFromElsewhere() async throws {
        let workspace = try RunWorkspace(label: "lookup")
        defer { workspace.remove() }
        let env = Self.environment(workspace)
        let first = try await CLIProcess.run(
            ["run", "examples/pur-basic/jobs.csv", "--quiet"],
            in: workspace.root,
            environment: env
        )
        try #require(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        let runDirectory = try workspace.runDirectory(in: "examples/pur-basic")
        let runID = (runDirectory as NSString).lastPathComponent
        let elsewhere = workspace.root + "/workflows"
        for argument in ["examples/pur-basic/jobs.csv", "examples/pur-basic", runID, runDirectory] {
            let status = try await CLIProcess.run(["status", argument], in: workspace.root, environment: env)
            #expect(status.status == 0, "status \(argument): \(status.stderr)")
            #expect(status.stdout.contains("run \(runID) "), "status \(argument): \(status.stdout)")
        }
        let byID = try await CLIProcess.run(["status", runID], in: elsewhere, environment: env)
        #expect(byID.status == 0, "\(byID.stderr)")
        #expect(byID.stdout.contains("3 of 3 jobs done"), "\(byID.stdout)")
        let resume = try await CLIProcess.run(["resume", runID, "--quiet"], in: elsewhere, environment: env)
        #expect(resume.status == 0, "\(resume.stdout)\n\(resume.stderr)")
        let runs = try await CLIProcess.run(["runs", runID], in: elsewhere, environment: env)
        #expect(runs.stdout.contains("PLATFORM") && runs.stdout.contains(" local "), "\(runs.stdout)")
        let all = try await CLIProcess.run(["runs", "--all"], in: elsewhere, environment: env)
        #expect(all.stdout.contains(runID), "\(all.stdout)")
        let unknown = try await CLIProcess.run(["status", "no-such-run"], in: elsewhere, environment: env)
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("1 workflow directories"), "\(unknown.stderr)")
    }

    @Test func runsJSONMatchesItsSchema() async throws {
        let workspace = try RunWorkspace(label: "runs-json")
        defer { workspace.remove() }
        let env = Self.environment(workspace)
        let directory = workspace.root + "/examples/pur-basic"
        let first = try await CLIProcess.run(["run", "jobs.csv", "--quiet"], in: directory, environment: env)
        try #require(first.status == 0, "\(first.stderr)")
        let listed = try await CLIProcess.run(["runs", "--json", "jobs.csv"], in: directory, environment: env)
        try #require(listed.status == 0, "\(listed.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
        let runs = try #require(document["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        #expect(runs.first?["platform"] as? String == "local")
        #expect(runs.first?["state"] as? String == "succeeded")
        #expect(runs.first?["done"] as? Int == 3)
        try listed.stdout.write(toFile: workspace.root + "/runs.json", atomically: true, encoding: .utf8)
        let script = """
            import json, sys, jsonschema
            validator = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
            errors = [e.message for e in validator.iter_errors(json.load(open(sys.argv[2])))]
            print("\\n".join(errors))
            sys.exit(1 if errors else 0)
            """
        let schema = RunWorkspace.repository.appendingPathComponent("schemas/runs.schema.json").path
        let result = try await ChildProcess.run(
            "/usr/bin/env",
            ["python3", "-c", script, schema, workspace.root + "/runs.json"]
        )
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
    }
}
