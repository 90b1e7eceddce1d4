import InterlinkCore
import Testing

@Suite struct StateCSVTests {
    /// Interlink's state file after a crash.
    static let text = """
        Index,JobName,Directory,TarPath,TarStatus,FileID,UploadStatus,JobID,SubmitStatus,ExtraFileIDs,ErrorMessage,LastUpdated
        1,Run_1,/d/Run_1,/d/d_Run_1_1.tar,success,F1,success,J1,success,,,2026-11-25T10:00:05Z
        2,Run_2,/d/Run_2,/d/d_Run_2_2.tar,success,F2,success,,failed,,"create job failed: status 400: bad, really",2026-11-25T10:00:06Z
        3,Run_3,/d/Run_3,/d/d_Run_3_3.tar,success,,failed,,failed,,connection reset,2026-11-25T10:00:07Z

        """

    @Test func readsAndWritesInterlinksStateFileExactly() throws {
        let (rows, warnings) = try StateCSV.read(contents: Self.text, path: "s.csv")
        #expect(warnings.isEmpty)
        #expect(rows.map(\.index) == [1, 2, 3])
        #expect(rows[1].submitStatus == .failed)
        #expect(rows[1].errorMessage == "create job failed: status 400: bad, really")
        #expect(rows[2].uploadStatus == .failed)
        #expect(rows[0].lastUpdated == RFC3339Timestamp(secondsSince1970: 1_795_600_805))
        #expect(StateCSV.render(rows) == Self.text)
    }

    @Test func writesRowsSortedByIndexWithPendingDefaults() {
        let rows = [
            StateRow(index: 2, jobName: "b", directory: "/b"), StateRow(index: 1, jobName: "a", directory: "/a"),
        ]
        #expect(
            StateCSV.render(rows) == StateCSV.header.joined(separator: ",") + "\n"
                + "1,a,/a,,pending,,pending,,pending,,,\n2,b,/b,,pending,,pending,,pending,,,\n"
        )
    }

    @Test func theLastRowOfAnIndexWinsWithAWarning() throws {
        let text =
            StateCSV.header.joined(separator: ",") + "\n1,a,,,pending,,pending,,pending,,,\n"
            + "1,b,,,success,,pending,,pending,,,\n"
        let (rows, warnings) = try StateCSV.read(contents: text, path: "s.csv")
        #expect(rows.map(\.jobName) == ["b"])
        #expect(warnings.count == 1)
    }

    @Test func rejectsAForeignHeader() {
        #expect(throws: DiagnosticsError.self) { try StateCSV.read(contents: "Index,Name\n1,a\n", path: "s.csv") }
    }

    @Test(arguments: [
        ("2026-11-25T10:00:05Z", 1_795_600_805, 0, "2026-11-25T10:00:05Z"),
        ("2026-11-25T11:00:05+01:00", 1_795_600_805, 3600, "2026-11-25T11:00:05+01:00"),
        ("2026-11-25T04:30:05.123-05:30", 1_795_600_805, -19_800, "2026-11-25T04:30:05-05:30"),
        ("1970-01-01T00:00:00Z", 0, 0, "1970-01-01T00:00:00Z"),
        ("0001-01-01T00:00:00Z", -62_135_596_800, 0, "0001-01-01T00:00:00Z"),
        ("2024-02-29T23:59:59Z", 1_709_251_199, 0, "2024-02-29T23:59:59Z"),
    ])
    func readsAndWritesRFC3339(text: String, seconds: Int64, offset: Int, written: String) throws {
        let timestamp = try #require(RFC3339Timestamp(parsing: text))
        #expect(timestamp.secondsSince1970 == seconds)
        #expect(timestamp.utcOffsetSeconds == offset)
        #expect(timestamp.description == written)
    }

    @Test(arguments: [
        "", "yesterday", "2026-11-25 10:00:05Z", "2026-13-01T00:00:00Z", "2026-11-25T10:00:05",
        "2026-11-25T10:00:05+0100",
    ])
    func rejectsMalformedTimes(text: String) {
        #expect(RFC3339Timestamp(parsing: text) == nil)
    }
}
