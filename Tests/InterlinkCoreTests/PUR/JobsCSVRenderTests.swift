import InterlinkCore
import Testing

@Suite struct JobsCSVRenderTests {
    static let canonicalHeader =
        "Directory,JobName,AnalysisCode,AnalysisVersion,Command,CoreType,CoresPerSlot,"
        + "WalltimeHours,Slots,LicenseSettings,ExtraInputFileIDs,OnDemandLicenseSeller,ProjectID,OrgCode,Tags,"
        + "NoDecompress,IsLowPriority,Submit,TarSubpath"

    static let sample = JobsCSVRow(
        directory: "study/Run 1",
        jobName: "Run_1",
        analysisCode: "user_included",
        command: "echo \"a,  b\"\n./run.sh",
        coreType: "emerald",
        coresPerSlot: 4,
        walltimeHours: 2.04,
        licenseSettings: ["LM_LICENSE_FILE": "27000@lic"],
        tags: ["a", "b"],
        submit: .createOnly
    )

    @Test func writesTheCanonicalHeaderAndQuotesWhereNeeded() {
        let text = JobsCSV.render([Self.sample])
        #expect(
            text == Self.canonicalHeader + "\n"
                + "study/Run 1,Run_1,user_included,,\"echo \"\"a,  b\"\"\n./run.sh\",emerald,4,2.04,1,"
                + "\"{\"\"LM_LICENSE_FILE\"\":\"\"27000@lic\"\"}\",,,,,\"a,b\",false,false,no,\n"
        )
    }

    @Test func addsInputFilesOnlyWhenARowHasFiles() {
        var withFiles = Self.sample
        withFiles.inputFiles = ["a.inp", "b.mesh"]
        #expect(!JobsCSV.render([Self.sample]).contains("InputFiles"))
        let text = JobsCSV.render([Self.sample, withFiles])
        #expect(text.hasPrefix(Self.canonicalHeader + ",InputFiles\n"))
        #expect(text.hasSuffix(",a.inp;b.mesh\n"))
    }

    @Test(arguments: [(2.0, "2"), (2.04, "2.04"), (0.25, "0.25"), (1.0 / 3.0, "0.3333333333333333")])
    func writesTheShortestExactWalltime(hours: Double, text: String) throws {
        var row = Self.sample
        row.walltimeHours = hours
        let rendered = JobsCSV.render([row])
        #expect(rendered.contains(",4,\(text),1,"))
        #expect(try JobsCSV.read(contents: rendered, path: "j.csv").rows.first?.walltimeHours == hours)
    }

    @Test(arguments: 0..<200)
    func readingWhatWasWrittenGivesTheSameRows(seed: Int) throws {
        var generator = RowGenerator(seed: UInt64(seed))
        let rows = (0..<generator.int(1...4)).map { _ in generator.row() }
        var read = try JobsCSV.read(contents: JobsCSV.render(rows), path: "j.csv").rows
        for index in read.indices {
            read[index].origin = nil
            read[index].directoryLocation = nil
        }
        #expect(read == rows)
    }
}

/// Deterministic random rows whose values are already clean, as the reader produces them.
struct RowGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func pick<T>(_ values: [T]) -> T { values[int(0...values.count - 1)] }

    mutating func word() -> String {
        pick(["Run_1", "a b", "x,y", "q\"uote", "é ü", "#hash", "tab\there", "d-1", "üñí", "v1.2"])
    }

    mutating func text(allowEmpty: Bool) -> String {
        if allowEmpty, int(0...3) == 0 { return "" }
        return (0..<int(1...3)).map { _ in word() }.joined(separator: pick([" ", "  ", "_", "/"]))
    }

    mutating func row() -> JobsCSVRow {
        let tags = (0..<int(0...3)).map { _ in pick(["cfd", "cfd run", "a", "é"]) }
        let files: [String]? =
            int(0...2) == 0 ? nil : (0..<int(1...3)).map { _ in pick(["a.inp", "sub/b x.mesh", "ü.cfg"]) }
        return JobsCSVRow(
            directory: pick(["Run_1", "/abs/Run 2", "~/runs/x", "a,b/c", "quo\"te"]),
            jobName: text(allowEmpty: false),
            analysisCode: pick(["user_included", "openfoam"]),
            analysisVersion: pick(["", "CPU", "0"]),
            command: pick(["echo  \"a  b\"", "cd x\n  ./run.sh", "a,b", "\"q\"", "é"]),
            coreType: pick(["emerald", "onyx"]),
            coresPerSlot: int(1...64),
            walltimeHours: pick([0.25, 1, 2.04, 1.0 / 3.0, 336, 1e-5, 47.5]),
            slots: int(1...8),
            licenseSettings: int(0...1) == 0 ? [:] : ["LM": "27000@h", "Q": "say \"x\", y", "E": ""],
            extraInputFileIDs: (0..<int(0...2)).map { _ in pick(["abc", "XyZ1"]) },
            onDemandLicenseSeller: pick(["", "seller"]),
            projectID: pick(["", "p1"]),
            orgCode: pick(["", "org"]),
            tags: tags,
            noDecompress: int(0...1) == 0,
            isLowPriority: int(0...1) == 0,
            submit: pick([.submit, .createOnly]),
            tarSubpath: pick(["", "inputs", "a b/c"]),
            inputFiles: files
        )
    }
}
