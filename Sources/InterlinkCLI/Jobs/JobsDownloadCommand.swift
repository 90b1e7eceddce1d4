import ArgumentParser
import Foundation
import InterlinkCore

/// `rescale-int jobs download --id ID`: a job's outputs (or one of them) into a directory or one file.
package struct JobsDownloadCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download a job's outputs, or one of them.",
        discussion: """
            Files keep their paths under the output directory. Each file is written as '<file>.partial' and renamed \
            only once its size and checksum are verified; files already present are skipped, so running the same \
            command again resumes. The free space is checked first (the outputs' size plus 15 %).

            \(ExitStatus.helpText([.success, .usage, .unavailable, .ioError, .configuration]))
            """
    )

    @OptionGroup package var connection: ConnectionOptions

    /// The job.
    @Option(help: "The job id.")
    package var id: String

    /// One output only.
    @Option(help: "Download only the output with this file id.")
    package var fileId: String?

    /// The output directory.
    @Option(
        name: [.customShort("d"), .customLong("outdir")],
        help: "The directory to download into (default: the current one)."
    )
    package var outdir: String?

    /// One output file.
    @Option(
        name: [.customShort("o"), .customLong("output")],
        help: "The file to write (with --file-id, or a job with one output)."
    )
    package var output: String?

    /// No progress.
    @Flag(help: "Show no progress.")
    package var quiet = false

    /// Creates the command.
    package init() {}

    package func validate() throws {
        if outdir != nil && output != nil { throw ValidationError("give -d/--outdir or -o/--output, not both.") }
    }

    package func run() async throws {
        let current = FileManager.default.currentDirectoryPath
        let directory = PathName.resolve(outdir ?? ".", against: current)
        let file = output.map { PathName.resolve($0, against: current) }
        let (job, fileID, display) = (id, fileId, TransferDisplay(quiet: quiet))
        let summary = try await RescaleConnection.with(connection) { connection in
            var outputs = try await connection.platform.listOutputs(of: JobID(job))
            if let fileID {
                outputs = outputs.filter { $0.id.rawValue == fileID }
                guard !outputs.isEmpty else {
                    throw CommandFailure.usage(
                        "job '\(job)' has no output with file id '\(fileID)'",
                        help: "list them with: rescale-int jobs listfiles --id \(job)"
                    )
                }
            }
            let placements: [OutputDownloader.Placement]
            if let file {
                guard outputs.count == 1, let only = outputs.first else {
                    throw CommandFailure.usage(
                        "-o names one file but job '\(job)' has \(outputs.count) outputs",
                        help: "add --file-id, or download them all with -d DIR"
                    )
                }
                placements = [OutputDownloader.Placement(output: only, path: file)]
            } else {
                placements = try OutputDownloader.placements(of: outputs, in: directory)
            }
            try await OutputDownloader.checkFreeSpace(
                for: placements,
                in: file.map { PathName.dirname($0) } ?? directory
            )
            return try await OutputDownloader(platform: connection.platform, display: display).download(placements)
        }
        RecordOutput.note(
            "job '\(job)': \(summary.downloaded) file(s) downloaded (\(RecordOutput.bytes(summary.bytes))), "
                + "\(summary.present) already present"
        )
    }
}
