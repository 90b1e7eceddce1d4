import InterlinkCore
import Testing

@Suite struct JobsCSVTests {
    static let header =
        "Directory,JobName,AnalysisCode,AnalysisVersion,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,"
        + "LicenseSettings,Tags,NoDecompress,Submit,TarSubpath"
    static let options = JobsCSV.Options(homeDirectory: "/home/user")

    /// The canonical three-row CSV Interlink writes.
    static let canonical = """
        \(header)
        /data/study/Run_1,Run_1,user_included,,cd Run_1 && ./run.sh,emerald,4,2.0,1,"{""LM_LICENSE_FILE"":""27000@lic""}","sweep,pur",false,yes,
        /data/study/Run_2,Run_2,user_included,,cd Run_2 && ./run.sh,emerald,2,0.5,1,,"a, b ,a",false,no,
        /data/study/Run_3,Run_3,user_included,,cd inputs && cat params.json,emerald,8,2.25,2,,,true,draft,inputs

        """

    /// A one-row file with the required columns plus `extra` columns and values.
    static func file(extraHeader: String = "", row extra: String = "", walltime: String = "1") -> String {
        "Directory,JobName,AnalysisCode,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,LicenseSettings\(extraHeader)\n"
            + "Run_1,Run_1,user_included,echo hi,emerald,4,\(walltime),1,\(extra)\n"
    }

    static func row(_ text: String) throws -> JobsCSVRow {
        try #require(try JobsCSV.read(contents: text, path: "jobs.csv").rows.first)
    }

    @Test func readsTheCanonicalExample() throws {
        let jobs = try JobsCSV.parse(
            contents: Self.canonical,
            path: "jobs.csv",
            baseDirectory: "/",
            options: Self.options
        )
        #expect(jobs.map(\.name) == ["Run_1", "Run_2", "Run_3"])
        #expect(jobs.map(\.hardware.walltime.apiHours) == [2, 1, 3])
        #expect(jobs.map(\.hardware.coresPerSlot) == [4, 2, 8])
        #expect(jobs[2].hardware.slots == 2)
        #expect(jobs[0].environment == ["LM_LICENSE_FILE": "27000@lic"])
        #expect(jobs[0].tags == ["sweep", "pur"])
        #expect(jobs[1].tags == ["a", "b", "a"])
        #expect(jobs.map(\.submit) == [.submit, .createOnly, .createOnly])
        let archive = ArchiveInput(directory: "/data/study/Run_3", subpath: "inputs", decompress: false)
        #expect(jobs[2].inputs == [.archive(archive)])
        #expect(jobs[0].inputs == [.archive(ArchiveInput(directory: "/data/study/Run_1"))])
        #expect(jobs[0].origin == SourceLocation(file: "jobs.csv", line: 2, column: 1))
        #expect(jobs[0].license.useRescaleLicense == false)
    }

    @Test func matchesHeadersTrimmedAndCaseInsensitivelyInAnyOrder() throws {
        let text =
            " walltimehours ,SLOTS,directory,JobName,analysiscode,command,coretype,corespeRslot,licensesettings,Other\n"
            + "3,2,d,n,a,c,t,4,,ignored\n"
        let row = try Self.row(text)
        #expect(row.walltimeHours == 3)
        #expect(row.slots == 2)
        #expect(row.coresPerSlot == 4)
    }

    @Test func lastOfARepeatedColumnWins() throws {
        let text = Self.file(extraHeader: ",Slots", row: ",7")
        let document = try JobsCSV.read(contents: text, path: "jobs.csv")
        #expect(document.rows.first?.slots == 7)
        #expect(document.warnings.count == 1)
    }

    @Test(arguments: [
        ("true", true), ("TRUE", true), ("yes", true), ("Yes", true), ("1", true),
        ("false", false), ("no", false), ("NO", false), ("0", false), ("", false), (" true ", true),
    ])
    func readsBooleans(text: String, expected: Bool) throws {
        let row = try Self.row(Self.file(extraHeader: ",NoDecompress,IsLowPriority", row: ",\(text),\(text)"))
        #expect(row.noDecompress == expected)
        #expect(row.isLowPriority == expected)
    }

    @Test(arguments: [
        ("", SubmitMode.submit), ("yes", .submit), ("TRUE", .submit), ("submit", .submit),
        ("Create_And_Submit", .submit), ("no", .createOnly), ("false", .createOnly), ("create_only", .createOnly),
        ("draft", .createOnly),
    ])
    func readsSubmitModes(text: String, expected: SubmitMode) throws {
        #expect(try Self.row(Self.file(extraHeader: ",Submit", row: ",\(text)")).submit == expected)
    }

    @Test(arguments: [("2", 2.0), ("0.25", 0.25), (".5", 0.5), ("1e1", 10.0), ("+2.5E-1", 0.25), ("336", 336.0)])
    func readsWalltimes(text: String, hours: Double) throws {
        #expect(try Self.row(Self.file(walltime: text)).walltimeHours == hours)
    }

    @Test(arguments: ["+4", " 4 ", "4"])
    func readsSignedIntegers(text: String) throws {
        let csv =
            "Directory,JobName,AnalysisCode,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,LicenseSettings\n"
            + "d,n,a,c,t,\"\(text)\",1,\(text),\n"
        let row = try Self.row(csv)
        #expect(row.coresPerSlot == 4)
        #expect(row.slots == 4)
    }

    @Test func convertsLicenseSettingsToEnvironmentText() throws {
        let json = #"{"S":"27000@h","N":27000,"F":1.5,"E":1e21,"B":true,"Z":null,"O":{"x":1,"a":[1,"b"]}}"#
        let row = try Self.row(Self.file(row: CSVWriter.encode(json)))
        #expect(
            row.licenseSettings == [
                "S": "27000@h", "N": "27000", "F": "1.5", "E": "1e+21", "B": "true", "Z": "",
                "O": #"{"a":[1,"b"],"x":1}"#,
            ]
        )
    }

    @Test func splitsTagsAndFileIDsOnCommasOnly() throws {
        let row = try Self.row(
            Self.file(extraHeader: ",Tags,ExtraInputFileIDs", row: ",\"cfd run, a ,,\u{200B}b\",\" id1 ,,id2,id1\"")
        )
        #expect(row.tags == ["cfd run", "a", "b"])
        #expect(row.extraInputFileIDs == ["id1", "id2", "id1"])
    }

    @Test func cleansFieldsButKeepsCommandSpacing() throws {
        let command = CSVWriter.encode("  cd a\r\n\r\n  echo \"a  b\"\u{200B}\rdone  ")
        let csv =
            "Directory,JobName,AnalysisCode,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,LicenseSettings,"
            + "ProjectID,AnalysisVersion\n"
            + "\u{00A0}d\u{200D},\u{FEFF} Run 1 \u{00AD},a,\(command),t,1,1,1,,\u{2060}p\u{00A0}x ,\u{200B}v\n"
        let row = try Self.row(csv)
        #expect(row.command == "cd a\n\n  echo \"a  b\"\ndone")
        #expect(row.directory == "d")
        #expect(row.jobName == "Run 1")
        #expect(row.projectID == "p\u{00A0}x")
        #expect(row.analysisVersion == "\u{200B}v")
    }

    @Test func mapsOptionalColumnsIntoTheJob() throws {
        let csv = Self.file(
            extraHeader: ",ExtraInputFileIDs,OnDemandLicenseSeller,ProjectID,OrgCode,IsLowPriority,InputFiles",
            row: ",f1,seller,p1,,true,a.inp; sub/b.mesh"
        )
        let options = JobsCSV.Options(
            include: ["*.inp"],
            compression: .gzip,
            absoluteNames: true,
            orgCode: "org",
            homeDirectory: "/home/user"
        )
        let job = try #require(
            try JobsCSV.parse(contents: csv, path: "j.csv", baseDirectory: "/csv", options: options).first
        )
        let archive = ArchiveInput(
            directory: "/csv/Run_1",
            include: ["*.inp"],
            compression: .gzip,
            files: ["a.inp", "sub/b.mesh"],
            absoluteNames: true
        )
        #expect(job.inputs == [.archive(archive), .existing(ExistingFile(id: "f1", decompress: true))])
        #expect(job.license.onDemandSeller == "seller")
        #expect(job.projectID == "p1")
        #expect(job.orgCode == "org")
        #expect(job.isLowPriority)
    }

    @Test(arguments: [
        ("~", "/home/user"), ("~/runs/a", "/home/user/runs/a"), ("rel/../x", "/base/x"), ("/abs/d", "/abs/d"),
    ])
    func resolvesDirectoriesAgainstTheBaseAndHome(directory: String, expected: String) throws {
        let row = try Self.row(Self.file().replacing("Run_1,Run_1", with: "\(directory),Run_1"))
        let job = row.makeJob(baseDirectory: "/base", options: Self.options)
        guard case .archive(let archive) = job.inputs.first else {
            Issue.record("the first input is not an archive")
            return
        }
        #expect(archive.directory == expected)
    }

    @Test func skipsAllBlankRowsWithAWarning() throws {
        let document = try JobsCSV.read(contents: Self.file() + ",,, ,,,,,\n", path: "j.csv")
        #expect(document.rows.count == 1)
        #expect(
            document.warnings.map(\.description) == [
                "j.csv:3:1: warning: row has only empty fields and is skipped\n  help: delete the row"
            ]
        )
    }

    @Test func templatesMayHaveAnEmptyDirectory() throws {
        let text = Self.file().replacing("Run_1,Run_1", with: ",Run_1")
        #expect(throws: DiagnosticsError.self) { try JobsCSV.read(contents: text, path: "t.csv") }
        #expect(try JobsCSV.read(contents: text, path: "t.csv", requiresDirectory: false).rows.first?.directory == "")
    }

    @Test func acceptsADotOrAbsoluteLookingTarSubpath() throws {
        let row = try Self.row(Self.file(extraHeader: ",TarSubpath", row: ",/inputs/./sub"))
        #expect(JobsCSV.normalizedSubpath(row.tarSubpath) == "inputs/sub")
        #expect(JobsCSV.normalizedSubpath(".") == nil)
        #expect(try Self.row(Self.file(extraHeader: ",TarSubpath", row: ",..data")).tarSubpath == "..data")
    }
}
