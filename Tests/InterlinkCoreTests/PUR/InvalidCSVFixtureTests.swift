import Foundation
import InterlinkCore
import Testing

/// Every file in `Fixtures/invalid/csv/` is read by the parser its name selects (`config-…` config.csv,
/// `state-…` state CSV, anything else a jobs CSV) and must fail with exactly the diagnostics in `<name>.expected`.
@Suite struct InvalidCSVFixtureTests {
    static let directory = Bundle.module.resourceURL?.appendingPathComponent("Fixtures/invalid/csv")

    static func fixtureNames() -> [String] {
        guard let directory else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".csv") }.sorted()
    }

    @Test func thereAreEnoughFixtures() {
        #expect(Self.fixtureNames().count >= 22)
    }

    @Test(arguments: fixtureNames())
    func rejectsInvalidFileWithLocatedDiagnostics(fixture: String) throws {
        let directory = try #require(Self.directory)
        let contents = try String(contentsOf: directory.appendingPathComponent(fixture), encoding: .utf8)
        let expected = try String(
            contentsOf: directory.appendingPathComponent(fixture + ".expected"),
            encoding: .utf8
        )
        let error = #expect(throws: DiagnosticsError.self) {
            if fixture.hasPrefix("config-") {
                _ = try ConfigCSV.parse(contents: contents, path: fixture)
            } else if fixture.hasPrefix("state-") {
                _ = try StateCSV.read(contents: contents, path: fixture)
            } else {
                _ = try JobsCSV.read(contents: contents, path: fixture)
            }
        }
        #expect(error?.description == expected)
    }
}
