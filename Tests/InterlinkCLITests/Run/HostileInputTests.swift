import Foundation
import Testing

/// Hostile input is refused before anything runs: a job name that is a path (a job's folder under the destination),
/// and a workflow that expands past `--max-jobs`.
@Suite(.tags(.integration)) struct HostileInputTests {
    /// A study folder at `relative` in the workspace with a `mesh/` input and `spec` as its `workflow.yaml`.
    private func makeStudy(_ spec: String, at relative: String, in workspace: RunWorkspace) throws -> String {
        let study = workspace.root + "/" + relative
        try FileManager.default.createDirectory(atPath: study + "/mesh", withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: study + "/mesh/input.txt"))
        try Data(spec.utf8).write(to: URL(fileURLWithPath: study + "/workflow.yaml"))
        return study
    }

    @Test func aJobNamedLikeAPathIsRefusedAndNothingIsWrittenAnywhere() async throws {
        let workspace = try RunWorkspace(label: "hostile")
        defer { workspace.remove() }
        let spec = """
            version: 1
            jobs:
              - name: ../../../escaped
                inputs: [mesh]
                command: echo pwn > owned.txt
            """
        let study = try makeStudy(spec, at: "a/b/c/study", in: workspace)
        for command in [["validate", "workflow.yaml"], ["run", "workflow.yaml", "--quiet"]] {
            let result = try await CLIProcess.run(command, in: study)
            #expect(result.status == 65, "\(command): \(result.stdout)\n\(result.stderr)")
            #expect(
                result.stderr.contains(
                    "workflow.yaml:3:5: error: job name '../../../escaped' is a path: outputs would be written "
                        + "outside the destination"
                ),
                "\(result.stderr)"
            )
        }
        let written = FileManager.default.enumerator(atPath: workspace.root + "/a")?.allObjects as? [String] ?? []
        #expect(!written.contains { $0.hasSuffix("owned.txt") || $0.contains("escaped") }, "\(written)")
        #expect(!FileManager.default.fileExists(atPath: study + "/.interlink"))
    }

    @Test func maxJobsBoundsTheExpansionAndIsItselfChecked() async throws {
        let workspace = try RunWorkspace(label: "max-jobs")
        defer { workspace.remove() }
        let spec = """
            version: 1
            jobs:
              - name: "run-{index}"
                inputs: [mesh]
                command: ./solve.sh
                matrix:
                  a: [1, 2]
                  b: [1, 2]
            """
        let study = try makeStudy(spec, at: "study", in: workspace)
        let refused = try await CLIProcess.run(["validate", "workflow.yaml", "--max-jobs", "3"], in: study)
        #expect(refused.status == 65, "\(refused.stderr)")
        #expect(refused.stderr.contains("workflow.yaml:7:7: error: the matrix expands to 4 jobs, over the limit of 3"))
        let allowed = try await CLIProcess.run(["validate", "workflow.yaml", "--max-jobs", "4"], in: study)
        #expect(allowed.status == 0 && allowed.stdout.contains("ok: 4 jobs"), "\(allowed.stdout)\(allowed.stderr)")
        let zero = try await CLIProcess.run(["run", "workflow.yaml", "--max-jobs", "0"], in: study)
        #expect(zero.status == 64, "\(zero.stderr)")
        #expect(zero.stderr.contains("--max-jobs must be at least 1"))
    }
}
