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

    @Test(arguments: [0, 1, 2, 40, 200])
    func decodingTheNodesInRunsGivesWhatOneDecodeGives(copies: Int) throws {
        var plan = try Self.plan(copies: copies)
        // Values that look like the structure the scan follows: a member named nodes, brackets, commas, escapes.
        plan.workflow = "nodes"
        if let index = plan.nodes.indices.last, case .job(var spec) = plan.nodes[index].kind {
            spec.command = "echo '\"nodes\" : [1, 2], {\"a\": [\"]\"]}' \\\" ,]"
            plan.nodes[index].kind = .job(spec)
        }
        var file = Data()
        try PlanFile.encode(plan) { file.append($0) }
        let whole = try JSONDecoder().decode(Plan.self, from: file)
        #expect(try PlanFile.decode(file, parallelAbove: 0) == whole)
        #expect(try PlanFile.decode(file) == whole)
        // Without its nodes: the plan around them.
        var outline = whole
        outline.nodes = []
        #expect(try PlanFile.outline(file) == outline)
        // The scan finds every node (none for a plan without nodes, which is decoded whole).
        let layout = PlanFile.NodesLayout(file)
        #expect((layout.map { $0.commas.count + 1 } ?? 0) == plan.nodes.count)
        // Compact JSON (no spaces or line breaks) is followed as well.
        let compact = try JSONEncoder().encode(plan.relocatable)
        #expect(try PlanFile.decode(compact, parallelAbove: 0) == plan.relocatable)
    }

    @Test func aDamagedPlanIsReportedAsOneDecodeReportsIt() throws {
        var file = Data()
        try PlanFile.encode(try Self.plan(copies: 40)) { file.append($0) }
        let text = String(decoding: file, as: UTF8.self)
        // A node whose field has the wrong type, a node cut short, and a file cut inside the array.
        let damaged = [
            text.replacingOccurrences(of: "\"id\" : \"job:copy-9\"", with: "\"id\" : 9"),
            text.replacingOccurrences(of: "\"id\" : \"job:copy-7\",", with: ""),
            String(text.prefix(text.utf8.count / 2)),
        ]
        for variant in damaged {
            let data = Data(variant.utf8)
            #expect(data != file)
            var expected = ""
            do { _ = try JSONDecoder().decode(Plan.self, from: data) } catch { expected = "\(error)" }
            #expect(!expected.isEmpty)
            #expect {
                _ = try PlanFile.decode(data, parallelAbove: 0)
            } throws: { error in
                "\(error)" == expected
            }
        }
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
