import Foundation
import InterlinkCore
import InterlinkEngine
import Testing

/// A frozen plan names the files inside its workflow folder relative to it, so a copied or moved study resolves
/// them where it is now; plans frozen with absolute paths are rebased the same way.
@Suite struct PlanRelocationTests {
    /// The three-job plan with job `a`'s archive and the shared file inside `base`, job `b`'s outside it.
    static func plan(baseDirectory base: String) -> Plan {
        var plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        plan = plan.mappingPathsForTest { path in
            switch path {
            case "/data/a": base + "/inputs/a"
            case "/data/mesh.bin": base + "/mesh.bin"
            default: path
            }
        }
        return plan
    }

    /// Every local path of a plan, in a stable order.
    static func paths(of plan: Plan) -> [String] {
        var paths: [String] = []
        _ = plan.mappingPathsForTest { path in
            paths.append(path)
            return path
        }
        return paths
    }

    @Test func frozenPlanHoldsPathsInsideTheFolderRelativeAndOthersAbsolute() throws {
        let relocatable = Self.plan(baseDirectory: "/old/study").relocatable
        #expect(relocatable.baseDirectory == ".")
        let paths = Self.paths(of: relocatable)
        #expect(paths.contains("inputs/a"))
        #expect(paths.contains("mesh.bin"))
        #expect(paths.contains("/data/b"))
        #expect(!paths.contains { $0.hasPrefix("/old/study") })
    }

    @Test(arguments: [true, false])
    func aPlanIsResolvedAgainstWhereItsFolderIsNow(writtenRelative: Bool) throws {
        let original = Self.plan(baseDirectory: "/old/study")
        let stored = writtenRelative ? original.relocatable : original
        let moved = stored.rebased(onto: "/new/place/study")
        #expect(moved == Self.plan(baseDirectory: "/new/place/study"))
        #expect(!Self.paths(of: moved).contains { $0.hasPrefix("/old/") })
        #expect(Self.paths(of: moved).contains("/data/b"))
    }

    @Test func aRunFolderReadsItsPlanAgainstTheFolderItIsIn() throws {
        let first = EngineFixtures.temporaryDirectory()
        let second = EngineFixtures.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        let plan = Self.plan(baseDirectory: first)
        try RunDirectory(baseDirectory: first, runID: RunID("run-1")).freeze(plan)
        let frozen = try String(contentsOfFile: first + "/.interlink/runs/run-1/plan.json", encoding: .utf8)
        #expect(!frozen.contains(first))
        try FileManager.default.removeItem(atPath: second)
        try FileManager.default.moveItem(atPath: first, toPath: second)
        let read = try #require(try RunDirectory(baseDirectory: second, runID: RunID("run-1")).frozenPlan())
        #expect(read == Self.plan(baseDirectory: second))
    }
}

extension Plan {
    /// Applies `transform` to every local path (the test's view of ``Plan/rebased(onto:)``'s traversal).
    fileprivate func mappingPathsForTest(_ transform: (String) -> String) -> Plan {
        var plan = self
        plan.nodes = nodes.map { node in
            var node = node
            node.uploads = node.uploads.map { upload in
                var upload = upload
                switch upload.source {
                case .archive(var input):
                    input.directory = transform(input.directory)
                    upload.source = .archive(input)
                case .file(let path): upload.source = .file(path: transform(path))
                }
                return upload
            }
            switch node.kind {
            case .sharedInput(var shared):
                if case .file(let path, let decompress) = shared.source {
                    shared.source = .file(path: transform(path), decompress: decompress)
                }
                node.kind = .sharedInput(shared)
            case .job(var job):
                job.inputs = job.inputs.map { input in
                    guard case .archive(var archive) = input else { return input }
                    archive.directory = transform(archive.directory)
                    return .archive(archive)
                }
                node.kind = .job(job)
            }
            return node
        }
        return plan
    }
}
