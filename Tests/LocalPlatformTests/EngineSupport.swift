import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem
import LocalCloud
import LocalPlatform

/// Workflows planned from `examples/dag-shared` and engines running them on a local cloud.
enum EngineSupport {
    /// The repository root, from this file's path.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Copies `examples/dag-shared` into a new temporary directory and plans its workflow there.
    ///
    /// The example's commands address files under their archived directory's name (`mesh/coarse.msh`), as a PUR
    /// run directory unpacks on Rescale.
    static func dagSharedPlan() throws -> Plan {
        let base = temporaryDirectory("dag")
        for name in ["mesh", "solver", "workflow.yaml"] {
            try FileManager.default.copyItem(
                atPath: repository + "/examples/dag-shared/" + name,
                toPath: base + "/" + name
            )
        }
        let contents = try String(contentsOfFile: base + "/workflow.yaml", encoding: .utf8)
        let fileSystem = LocalFileSystem()
        let workflow = try WorkflowParser.parse(
            contents: contents,
            path: "workflow.yaml",
            baseDirectory: base,
            fileSystem: fileSystem,
            importer: NoCSVImporter()
        )
        var plan = try Planner(fileSystem: fileSystem).plan(workflow).plan
        plan.settings.pollIntervalSeconds = 0.02
        return plan
    }

    static func configuration(_ plan: Plan, cloud: LocalCloud, crashAfter: Int? = nil) -> EngineConfiguration {
        EngineConfiguration(
            plan: plan,
            runID: RunID("run-1"),
            platform: LocalPlatform(cloud: cloud, fileSystem: LocalFileSystem(), partSize: 1 << 12, pageSize: 1),
            jitter: { 0.5 },
            crashPoint: crashAfter.map { CrashPoint(afterRecord: $0, action: .closeJournal) }
        )
    }

    /// Runs `body` while the cloud serves jobs, then stops serving.
    static func whileServing<T: Sendable>(
        _ cloud: LocalCloud,
        _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await cloud.serve()
                return nil
            }
            let result: Result<T, any Error>
            do {
                result = .success(try await body())
            } catch {
                result = .failure(error)
            }
            group.cancelAll()
            do {
                while try await group.next() != nil {}
            } catch is CancellationError {}
            return try result.get()
        }
    }
}
