import Foundation
import InterlinkCore
import InterlinkTestSupport
import Testing

@Suite struct FileScanTests {
    /// A tree of primary files with their secondary files.
    static func tree() -> InMemoryFileSystem {
        var fileSystem = InMemoryFileSystem(currentDirectory: "/work")
        for name in ["case_a.inp", "case_a.mesh", "case_b.inp", "case_c.inp", "case_c.mesh"] {
            fileSystem.addFile("files/inputs/\(name)")
        }
        fileSystem.addFile("files/common.cfg")
        return fileSystem
    }

    static func scanExample(in fileSystem: InMemoryFileSystem = tree()) throws -> FileScan.Result {
        try FileScan.scan(
            root: "files",
            primary: "inputs/*.inp",
            secondaries: ["*.mesh", "../common.cfg:optional"],
            in: fileSystem
        )
    }

    @Test func findsTheJobsOfTheExample() throws {
        let result = try Self.scanExample()
        #expect(result.totalCount == 3)
        #expect(result.matchCount == 2)
        #expect(result.jobs?.map(\.primaryBase) == ["case_a", "case_c"])
        #expect(
            result.jobs?.first?.inputFiles == [
                "files/inputs/case_a.inp", "files/inputs/case_a.mesh", "files/common.cfg",
            ]
        )
        #expect(result.skippedFiles == ["case_b.inp: required secondary file not found: files/inputs/case_b.mesh"])
        #expect(result.warnings == nil)
    }

    @Test func warnsAboutMissingOptionalFilesAndSkipsOnMissingRequiredOnes() throws {
        var fileSystem = Self.tree()
        fileSystem.addFile("files/inputs/case_b.mesh")
        let result = try FileScan.scan(
            root: "files",
            primary: "inputs/*.inp",
            secondaries: ["*.mesh:required", "*.bc:optional", "../common.cfg"],
            in: fileSystem
        )
        #expect(result.matchCount == 3)
        #expect(result.jobs?.first?.warnings == ["case_a.inp: optional file not found: files/inputs/case_a.bc"])
        #expect(result.warnings?.count == 3)
    }

    @Test func globsSecondariesWithQuestionMarksAndBrackets() throws {
        var fileSystem = InMemoryFileSystem(currentDirectory: "/work")
        fileSystem.addFile("m/model.v2.inp")
        fileSystem.addFile("m/model.v2_p1.dat")
        fileSystem.addFile("m/model.v2_p2.dat")
        fileSystem.addFile("m/lit[1].txt")
        let result = try FileScan.scan(
            root: ".",
            primary: "m/*.inp",
            secondaries: ["*_p?.dat", "lit[1].txt"],
            in: fileSystem
        )
        #expect(result.jobs?.first?.primaryBase == "model.v2")
        #expect(
            result.jobs?.first?.inputFiles == [
                "m/model.v2.inp", "m/model.v2_p1.dat", "m/model.v2_p2.dat", "m/lit[1].txt",
            ]
        )
    }

    @Test func failsWhenNoPrimaryMatches() {
        #expect(throws: DiagnosticsError.self) {
            try FileScan.scan(root: "files", primary: "*.none", secondaries: [], in: Self.tree())
        }
    }

    @Test func encodesInterlinksJSONShape() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(try Self.scanExample()), as: UTF8.self)
        let job =
            #"{"InputFiles":["files/inputs/case_a.inp","files/inputs/case_a.mesh","files/common.cfg"],"#
            + #""PrimaryBase":"case_a","PrimaryDir":"files/inputs","PrimaryFile":"files/inputs/case_a.inp","#
            + #""SkipReason":"","Warnings":null}"#
        #expect(json.hasPrefix(#"{"Error":"","Jobs":["# + job))
        #expect(
            json.hasSuffix(
                #""MatchCount":2,"SkippedFiles":["case_b.inp: required secondary file not found: files/inputs/case_b.mesh"],"TotalCount":3,"Warnings":null}"#
            )
        )
    }

    @Test func generatedRowsCarryTheirFileLists() throws {
        let template = JobsCSVRow(
            directory: "",
            jobName: "Case",
            analysisCode: "user_included",
            command: "./run.sh",
            coreType: "emerald",
            coresPerSlot: 1,
            walltimeHours: 1
        )
        let rows = JobsCSVGeneration.rows(template: template, scan: try Self.scanExample())
        #expect(rows.map(\.jobName) == ["Case_1", "Case_2"])
        #expect(rows.map(\.directory) == ["files", "files"])
        #expect(rows.first?.inputFiles == ["inputs/case_a.inp", "inputs/case_a.mesh", "common.cfg"])
        let reread = try JobsCSV.read(contents: JobsCSV.render(rows), path: "jobs.csv").rows
        #expect(reread.map(\.inputFiles) == rows.map(\.inputFiles))
        let noCommon = try FileScan.scan(
            root: "files",
            primary: "inputs/*.inp",
            secondaries: ["*.mesh"],
            in: Self.tree()
        )
        let inside = JobsCSVGeneration.rows(template: template, scan: noCommon)
        #expect(inside.map(\.directory) == ["files/inputs", "files/inputs"])
        #expect(inside.last?.inputFiles == ["case_c.inp", "case_c.mesh"])
    }
}
