import Foundation
import InterlinkCore
import InterlinkTestSupport
import Testing

/// The invalid plan fixtures.
///
/// Every spec in `Fixtures/invalid/plan/` goes through the loader and the planner,
/// and its rendered diagnostics must equal `<spec>.expected`. The fixture folder is mirrored into an in-memory
/// file system at `/fixtures/plan` (plus an empty run directory `data/empty`, which git cannot hold), so the
/// messages do not depend on where the tests run. `INTERLINK_UPDATE_GOLDEN=1` rewrites the expectations.
@Suite struct PlanFixtureTests {
    static var folder: URL? { Bundle.module.resourceURL?.appendingPathComponent("Fixtures/invalid/plan") }

    static var specs: [String] {
        guard let folder else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasSuffix(".expected") && $0 != "data" }.sorted()
    }

    /// The fixture folder copied into memory.
    static func mirror(_ folder: URL) throws -> InMemoryFileSystem {
        var fs = InMemoryFileSystem(currentDirectory: "/fixtures/plan")
        let walker = FileManager.default.enumerator(atPath: folder.path)
        while let relative = walker?.nextObject() as? String {
            let url = folder.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                fs.addDirectory("/fixtures/plan/\(relative)")
            } else {
                fs.addFile("/fixtures/plan/\(relative)", contents: try String(contentsOf: url, encoding: .utf8))
            }
        }
        fs.addDirectory("/fixtures/plan/data/empty")
        return fs
    }

    @Test func thereAreFixturesForEveryPlannerCheck() {
        let specs = Self.specs
        for name in [
            "cycle.yaml", "duplicate-names.yaml", "missing-directory.yaml", "walltime-over-limit.yaml",
            "non-positive-cores.yaml", "empty-sweep.yaml", "unknown-needs.yaml", "duplicates-and-missing.csv",
            "every-problem.csv",
        ] {
            #expect(specs.contains(name), "missing fixture \(name)")
        }
    }

    @Test(arguments: specs)
    func rejectsWithTheExpectedDiagnostics(spec: String) throws {
        let folder = try #require(Self.folder)
        let fileSystem = try Self.mirror(folder)
        let rendered: String
        do throws(DiagnosticsError) {
            _ = try WorkflowPlanning.plan(path: spec, fileSystem: fileSystem)
            rendered = "planned without errors\n"
        } catch {
            rendered = error.description
        }
        let expectedURL = folder.appendingPathComponent("\(spec).expected")
        if ProcessInfo.processInfo.environment["INTERLINK_UPDATE_GOLDEN"] == "1" {
            // The bundle holds a copy; write the source tree's file.
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Fixtures/invalid/plan/\(spec).expected")
            try rendered.write(to: source, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(rendered == expected)
        #expect(rendered.contains(": error: "))
    }
}
