import Foundation
import Testing

/// A job name is a folder name under the destination: one that is a path is refused before anything runs.
@Suite(.tags(.integration)) struct HostileNameTests {
    @Test func aJobNamedLikeAPathIsRefusedAndNothingIsWrittenAnywhere() async throws {
        let workspace = try RunWorkspace(label: "hostile")
        defer { workspace.remove() }
        let study = workspace.root + "/a/b/c/study"
        try FileManager.default.createDirectory(atPath: study + "/mesh", withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: study + "/mesh/input.txt"))
        let spec = """
            version: 1
            jobs:
              - name: ../../../escaped
                inputs: [mesh]
                command: echo pwn > owned.txt
            """
        try Data(spec.utf8).write(to: URL(fileURLWithPath: study + "/workflow.yaml"))
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
}
