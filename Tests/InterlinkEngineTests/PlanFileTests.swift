import Foundation
import InterlinkCore
import Testing

@testable import InterlinkEngine

/// `plan.json` written a node at a time holds the bytes `JSONEncoder` gives for the whole relocatable plan.
@Suite struct PlanFileTests {
    /// What the file held when the whole plan was encoded at once.
    static func wholeEncoding(_ plan: Plan) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(plan.relocatable)
    }

    /// The relocation tests' plan, with `copies` more jobs whose commands hold what JSON escapes or keeps as is:
    /// line breaks, tabs, quotes, backslashes, slashes, control characters and non-ASCII text.
    static func plan(copies: Int) throws -> Plan {
        var plan = PlanRelocationTests.plan(baseDirectory: "/study")
        let job = try #require(plan.nodes.first { $0.job != nil })
        for index in 0..<copies {
            var node = job
            node.id = .job("copy-\(index)")
            if case .job(var spec) = node.kind {
                spec.command = "echo \"\(index)\"\n\tcat a\\b /c/d \u{1}é 🚀 {\(index)}"
                node.kind = .job(spec)
            }
            plan.nodes.append(node)
        }
        return plan
    }

    @Test(arguments: [0, 1, 40])
    func theBytesAreThoseOfTheWholePlanEncodedAtOnce(copies: Int) throws {
        let plan = try Self.plan(copies: copies)
        var streamed = Data()
        try PlanFile.encode(plan) { streamed.append($0) }
        #expect(streamed == (try Self.wholeEncoding(plan)))
        #expect(try JSONDecoder().decode(Plan.self, from: streamed) == plan.relocatable)
    }

    @Test func aPlanWithoutNodesIsWrittenWhole() throws {
        var plan = try Self.plan(copies: 0)
        plan.nodes = []
        var pieces: [Data] = []
        try PlanFile.encode(plan) { pieces.append($0) }
        #expect(pieces == [try Self.wholeEncoding(plan)])
    }

    @Test func largePlansAreWrittenInPiecesOfAboutTheChunkSize() throws {
        let plan = try Self.plan(copies: 200)
        var pieces: [Data] = []
        try PlanFile.encode(plan, chunkSize: 4096) { pieces.append($0) }
        let whole = try Self.wholeEncoding(plan)
        #expect(pieces.count > whole.count / 8192)
        // A piece ends once it reaches the chunk size: none holds more than one node beyond it.
        let largestNode = try #require(
            try plan.nodes.map { try PlanFile.makeEncoder().encode(plan.relocatingNode($0)).count }.max()
        )
        #expect(pieces.allSatisfy { $0.count < 4096 + 2 * largestNode })
        #expect(pieces.reduce(Data(), +) == whole)
    }

    @Test func theFileIsReplacedWholeAndNoTemporaryFileStays() throws {
        let directory = EngineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/plan.json"
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let plan = try Self.plan(copies: 3)
        try PlanFile.write(plan, to: path)
        #expect(FileManager.default.contents(atPath: path) == (try Self.wholeEncoding(plan)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["plan.json"])
        // Into a directory that is gone: an error, and nothing written.
        #expect(throws: (any Error).self) { try PlanFile.write(plan, to: directory + "/gone/plan.json") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["plan.json"])
    }
}
