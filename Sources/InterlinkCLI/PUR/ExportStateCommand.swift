import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkEngine

/// `rescale-int pur export-state <run> -o state.csv`: writes Interlink's state CSV from a run's journal.
///
/// The journal stays the only store; the CSV is a view for tools that read Interlink's format.
package struct ExportStateCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "export-state",
        abstract: "Write a run's progress as an Interlink state CSV.",
        discussion: ExitStatus.helpText([.success, .usage, .invalidInput, .ioError])
    )

    /// The run: its id under ./.interlink/runs, or the path of its directory.
    @Argument(help: "A run id (see 'rescale-int runs') or a run directory.")
    package var run: String

    /// Where to write the CSV.
    @Option(name: .shortAndLong, help: "The state CSV to write.")
    package var output: String

    /// Whether an existing file may be replaced.
    @Flag(help: "Replace the output file if it exists.")
    package var overwrite = false

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func run() async throws {
        let currentDirectory = FileManager.default.currentDirectoryPath
        try await Console.exit { () throws(CommandFailure) -> ExitStatus in
            let snapshot = try RunSnapshot(directory: RunStore.resolve(run, currentDirectory: currentDirectory))
            let text = Self.csv(snapshot)
            try OutputFile.write(
                text,
                to: PathName.resolve(output, against: currentDirectory),
                overwrite: overwrite,
                shownPath: output
            )
            print("Wrote \(snapshot.plan.jobs.count) job rows of run \(snapshot.runID) to \(output)")
            return .success
        }
    }

    /// The state CSV of a run.
    static func csv(_ snapshot: RunSnapshot) -> String {
        let rows = InterlinkStateExport.rows(plan: snapshot.plan, state: snapshot.state).map { row in
            StateRow(
                index: row.index,
                jobName: row.jobName,
                directory: row.directory,
                tarPath: row.tarPath,
                tarStatus: status(row.tarStatus),
                fileID: row.fileID,
                uploadStatus: status(row.uploadStatus),
                jobID: row.jobID,
                submitStatus: status(row.submitStatus),
                extraFileIDs: row.extraFileIDs,
                errorMessage: row.errorMessage,
                lastUpdated: row.lastUpdated.map { RFC3339Timestamp(secondsSince1970: Int64($0.timeIntervalSince1970)) }
            )
        }
        return StateCSV.render(rows)
    }

    private static func status(_ status: InterlinkStageStatus) -> StateRow.Status {
        StateRow.Status(rawValue: status.rawValue) ?? .pending
    }
}
