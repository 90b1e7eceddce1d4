import ArgumentParser
import Foundation
import InterlinkCore
import RescaleAPI

/// The flags of `files download` and of the `download` shortcut.
package struct FilesDownloadOptions: ParsableArguments {
    /// The file ids.
    @Argument(help: "The ids of the files to download.")
    package var fileIDs: [String] = []

    /// One output file.
    @Option(name: [.customShort("o"), .customLong("output")], help: "Where to write the file (one file id only).")
    package var output: String?

    /// The output directory.
    @Option(name: [.customShort("d"), .customLong("outdir")], help: "The directory to write into (default: .).")
    package var outdir: String?

    /// JSON output.
    @Flag(help: "Print what was written as one JSON array: id, name, path, decryptedSize, sha512.")
    package var json = false

    /// The profile and host flags.
    @OptionGroup package var connection: ConnectionOptions

    /// Creates options.
    package init() {}

    package func validate() throws {
        guard !fileIDs.isEmpty else { throw ValidationError("Give at least one file id to download.") }
        if output != nil, outdir != nil { throw ValidationError("Give -o/--output or -d/--outdir, not both.") }
        if output != nil, fileIDs.count > 1 {
            throw ValidationError("-o/--output names one file: give one file id, or use -d/--outdir.")
        }
    }

    /// Looks the files up, then downloads them one after another.
    func execute() async throws {
        let current = FileManager.default.currentDirectoryPath
        let written = try await RescaleConnection.with(connection) { connection in
            var files: [(record: FileRecord, path: String)] = []
            for id in fileIDs {
                let record = try await connection.api.file(id)
                let path =
                    output.map { PathName.resolve($0, against: current) }
                    ?? PathName.join(
                        PathName.resolve(outdir ?? ".", against: current),
                        LocalName.safe(record.name ?? record.id)
                    )
                files.append((record, path))
            }
            let results = try await FileTransfers(connection: connection).download(files)
            return zip(files, results).map { DownloadReport(record: $0.0.record, file: $0.1) }
        }
        if json {
            print(try JSONOutput.render(written), terminator: "")
        } else {
            let rows = written.map { [$0.id, $0.path, TransferProgressLine.size($0.decryptedSize)] }
            print(TextTable(header: ["ID", "PATH", "SIZE"], rows: rows).rendered, terminator: "")
        }
    }
}

/// One downloaded file, as `--json` prints it.
package struct DownloadReport: Encodable, Sendable {
    /// The file id.
    package var id: String
    /// The platform's name.
    package var name: String
    /// The local path written.
    package var path: String
    /// Plaintext bytes.
    package var decryptedSize: Int64
    /// The verified SHA-512, lowercase hex.
    package var sha512: String

    init(record: FileRecord, file: DownloadedFile) {
        id = record.id
        name = record.name ?? record.id
        path = file.path
        decryptedSize = file.bytes
        sha512 = file.sha512
    }
}

/// `rescale-int files download`.
package struct FilesDownloadCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download files, decrypted and checked against their SHA-512.",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .ioError, .configuration])
    )

    @OptionGroup package var options: FilesDownloadOptions

    /// Creates the command.
    package init() {}

    package func run() async throws { try await options.execute() }
}

/// `rescale-int download`: the shortcut for `files download`.
package struct DownloadShortcutCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download files (the same as `files download`).",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .ioError, .configuration])
    )

    @OptionGroup package var options: FilesDownloadOptions

    /// Creates the command.
    package init() {}

    package func run() async throws { try await options.execute() }
}
