import Foundation
import InterlinkCore
import Testing

/// The end-of-run summary, with the real binary on the local platform: each destination folder with its files and
/// jobs, and each failed job's log.
@Suite(.tags(.integration)) struct RunSummaryTests {
    @Test func theSummaryCountsEachFolderAndNamesEachFailedJobsLog() async throws {
        let study = FileManager.default.temporaryDirectory.appendingPathComponent("summary-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: study, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: study) }
        let workflow = """
            version: 1
            name: summary
            defaults:
              walltime: 10m
            jobs:
              - name: "good-{i}"
                matrix:
                  i: [1, 2]
                command: echo {i} > a.txt; echo {i} > b.txt
              - name: other
                outputs:
                  destination: "elsewhere/{job}"
                command: echo o > o.txt
              - name: bad
                command: echo broken; exit 3

            """
        try Data(workflow.utf8).write(to: URL(fileURLWithPath: study + "/workflow.yaml"))
        let run = try await CLIProcess.run(["run", "workflow.yaml", "--quiet"], in: study)
        #expect(run.status != 0, "\(run.stdout)\n\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let summary = lines.filter { $0.hasPrefix("outputs: ") || $0.hasPrefix("log of ") }
        // good-1 and good-2: a.txt, b.txt and the log each; bad: its log; other: o.txt and the log.
        #expect(
            summary == [
                "outputs: elsewhere/<job>/ (2 files, 1 job)",
                "outputs: results/<job>/ (7 files, 3 jobs)",
                "log of 'bad': results/bad/process_output.log",
            ],
            "\(run.stdout)"
        )
        let log = try String(contentsOfFile: study + "/results/bad/process_output.log", encoding: .utf8)
        #expect(log.contains("broken"))
    }
}
