import Foundation
import InterlinkCore
import InterlinkTestSupport
import Testing

/// The invalid-input fixtures: `Fixtures/invalid/<format>/<name>.<ext>` with `<name>.<ext>.expected` holding
/// the exact rendered diagnostics.
enum InvalidFixtures {
    /// The fixtures folder inside the test bundle.
    static var root: URL? { Bundle.module.resourceURL?.appendingPathComponent("Fixtures/invalid") }

    /// `<format>/<file>` for every fixture, sorted.
    static var all: [String] {
        guard let root else { return [] }
        return ["yaml", "json", "scripts"].flatMap { format in
            let names =
                (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(format).path)) ?? []
            return names.filter { !$0.hasSuffix(".expected") }.sorted().map { "\(format)/\($0)" }
        }
    }

    /// The rendered diagnostics of one fixture, parsed with the fixture file's name as its path.
    static func render(_ fixture: String, contents: String) -> String {
        let name = String(fixture.split(separator: "/").last ?? "")
        if fixture.hasPrefix("scripts/") {
            let script = JobScriptParser.parse(contents: contents, path: name)
            do throws(DiagnosticsError) {
                _ = try script.makeJob(mode: .strict, directory: "/fixtures")
                return "parsed without errors\n"
            } catch {
                return error.description
            }
        }
        do throws(DiagnosticsError) {
            _ = try WorkflowParser.parse(
                contents: contents,
                path: name,
                baseDirectory: "/fixtures",
                fileSystem: InMemoryFileSystem(currentDirectory: "/fixtures"),
                importer: FakeJobImporter()
            )
            return "parsed without errors\n"
        } catch {
            return error.description
        }
    }
}

@Suite struct InvalidFixtureTests {
    @Test func thereAreEnoughFixtures() {
        #expect(InvalidFixtures.all.filter { $0.hasPrefix("yaml/") }.count >= 22)
        #expect(InvalidFixtures.all.contains { $0.hasPrefix("json/") })
        #expect(InvalidFixtures.all.contains { $0.hasPrefix("scripts/") })
    }

    @Test(arguments: InvalidFixtures.all)
    func rejectsInvalidInputWithLocatedHelp(fixture: String) throws {
        let root = try #require(InvalidFixtures.root)
        let url = root.appendingPathComponent(fixture)
        let contents = try String(contentsOf: url, encoding: .utf8)
        let expected = try String(contentsOf: url.appendingPathExtension("expected"), encoding: .utf8)
        #expect(InvalidFixtures.render(fixture, contents: contents) == expected)
    }
}
