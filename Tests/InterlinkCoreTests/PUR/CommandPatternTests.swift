import InterlinkCore
import Testing

@Suite struct CommandPatternTests {
    @Test func iteratesTheVerifiedExample() {
        let command = "cd Run_1 && ./solver -i mesh_001.cas -o result_1.dat -np 4 && python3 post.py data_1.txt"
        #expect(
            CommandPattern.iterate(command, index: 10)
                == "cd Run_10 && ./solver -i mesh_010.cas -o result_10.dat -np 4 && python3 post.py data_10.txt"
        )
        #expect(
            CommandPattern.iterate("cd Run_1 && ./solver -i mesh_001.cas -o result_1.dat -np 4", index: 4)
                == "cd Run_4 && ./solver -i mesh_004.cas -o result_4.dat -np 4"
        )
        #expect(CommandPattern.iterate("pf2ens -c Run_1_case.avg.fnc", index: 4) == "pf2ens -c Run_4_case.avg.fnc")
    }

    @Test(arguments: [
        ("data_01.txt", CommandPattern.Shape.fileExtension, "data_", "01", ".txt"),
        ("file-2.sh", .fileExtension, "file-", "2", ".sh"),
        ("my_data_1.txt", .fileExtension, "my_data_", "1", ".txt"),
        ("Run_335_Fluid_Meas.avg.snc", .textTail, "Run_", "335", "_Fluid_Meas.avg.snc"),
        ("Case-010-Pressure-Results.dat", .textTail, "Case-", "010", "-Pressure-Results.dat"),
        ("run_1", .bare, "run_", "1", ""),
        ("x test-002 y", .bare, "test-", "002", ""),
        ("file1.txt", .glued, "file", "1", ""),
        ("test001 now", .glued, "test", "001", ""),
    ])
    func detectsEachShape(command: String, shape: CommandPattern.Shape, prefix: String, digits: String, suffix: String)
        throws
    {
        let kept = CommandPattern.kept(CommandPattern.detect(in: command))
        let detection = try #require(kept.first)
        #expect(kept.count == 1)
        #expect(detection.shape == shape)
        #expect([detection.prefix, detection.digits, detection.suffix] == [prefix, digits, suffix])
    }

    @Test func onlyTheFirstNumberOfAWordChainIterates() {
        #expect(CommandPattern.iterate("Run_1_data_2.txt", index: 7) == "Run_7_data_2.txt")
    }

    @Test(arguments: [
        "run_2024", "port_8080", "srv_443", "v2 ", "rev3 ", "python3 x", "gcc 9", "node12 ", "run_12345", "a1b",
        "_1", "x1y.txt",
    ])
    func leavesFilteredNumbersAlone(command: String) {
        #expect(CommandPattern.iterate(command, index: 55) == command)
    }

    @Test func keepsNumbersTheFiltersAllow() {
        #expect(CommandPattern.iterate("java21 ", index: 5) == "java5 ")
        #expect(CommandPattern.iterate("run_1999 run_2100", index: 5) == "run_5 run_5")
    }

    @Test func removesOverlapsKeepingTheLongerMatch() {
        let raw = CommandPattern.detect(in: "data_1.txt")
        #expect(raw.map(\.text) == ["data_1.txt", "data_1"])
        #expect(CommandPattern.kept(raw).map(\.text) == ["data_1.txt"])
    }

    @Test(arguments: [
        ("mesh_001.cas", 12, "mesh_012.cas"), ("mesh_001.cas", 1234, "mesh_1234.cas"), ("data_10.txt", 5, "data_5.txt"),
        ("data_1.txt", 100, "data_100.txt"), ("case_09 ", 3, "case_03 "),
    ])
    func padsOnlyNumbersWrittenWithALeadingZero(command: String, index: Int, expected: String) {
        #expect(CommandPattern.iterate(command, index: index) == expected)
    }

    @Test(arguments: [
        ("é data_1.txt", "é data_3.txt"), ("日本語 run_1 ü", "日本語 run_3 ü"),
        ("👩‍🔬 Run_1 && echo ñ_1", "👩‍🔬 Run_3 && echo ñ_1"),
        ("über_1 x", "über_3 x"),
    ])
    /// Word boundaries are ASCII ones, as in Interlink: `ñ` and `ü` are not word characters.
    func handlesNonASCIITextAroundNumbers(command: String, expected: String) {
        #expect(CommandPattern.iterate(command, index: 3) == expected)
    }

    @Test func placeholdersReplaceDetection() {
        let command = "cd Run_{index} && ./solve x_{index:03}.dat data_1.txt {index:4} {index:x} {indexes}"
        #expect(
            CommandPattern.iterate(command, index: 7)
                == "cd Run_7 && ./solve x_007.dat data_1.txt 0007 {index:x} {indexes}"
        )
        #expect(CommandPattern.placeholders(in: "{index:x} data_1.txt").isEmpty)
        #expect(CommandPattern.iterate("{index:x} data_1.txt", index: 2) == "{index:x} data_2.txt")
        #expect(CommandPattern.iterate("é {index}", index: 12) == "é 12")
    }

    @Test func previewShowsRawDetectionsTheTemplateIndexAndIteratedCommands() {
        let text = CommandPattern.preview(command: "cat data_1.txt", jobName: "Run_1")
        #expect(
            text == """
                Template command:
                  cat data_1.txt

                Detected patterns (before overlap removal):
                  [1] "data_1.txt"  (prefix=data_ number=1 suffix=.txt)
                  [2] "data_1"  (prefix=data_ number=1 suffix=)

                Template job name 'Run_1' index: 1

                Preview:
                  1: cat data_1.txt
                  2: cat data_2.txt
                  3: cat data_3.txt
                  5: cat data_5.txt
                  10: cat data_10.txt

                """
        )
    }

    @Test func previewSaysWhenNothingIsDetected() {
        let text = CommandPattern.preview(command: "./run.sh", jobName: "Job")
        #expect(text.hasPrefix("No numeric patterns detected in command:\n  ./run.sh\n"))
        #expect(CommandPattern.preview(command: "x_{index:02}", jobName: "Job").contains("zero-padded to 2 digits"))
    }
}
