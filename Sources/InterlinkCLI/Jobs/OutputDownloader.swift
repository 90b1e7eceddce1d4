import Foundation
import InterlinkCore
import InterlinkSystem
import RescalePlatform

/// Downloads job outputs through the platform's one download path (ranged reads decrypted into `<file>.partial`,
/// size and SHA-512 verified, then renamed): free space checked before the first byte, files already present and
/// verified skipped, so rerunning the same command resumes.
package struct OutputDownloader: Sendable {
    /// One output and where it goes.
    package struct Placement: Hashable, Sendable {
        /// The output.
        package var output: RemoteOutput
        /// The absolute local path.
        package var path: String
    }

    /// What a download left.
    package struct Summary: Hashable, Sendable {
        /// Files written.
        package var downloaded = 0
        /// Files already present and verified.
        package var present = 0
        /// Bytes written.
        package var bytes: Int64 = 0
    }

    /// The platform adapter.
    package var platform: RescalePlatform
    /// How progress is shown.
    package var display: TransferDisplay

    /// Creates a downloader.
    package init(platform: RescalePlatform, display: TransferDisplay) {
        self.platform = platform
        self.display = display
    }

    /// Places outputs under a directory at their relative paths (their names when the path is empty).
    ///
    /// - Throws: ``CommandFailure`` (74) when a platform path would land outside the directory.
    package static func placements(of outputs: [RemoteOutput], in directory: String) throws(CommandFailure)
        -> [Placement]
    {
        try outputs.map { output throws(CommandFailure) in
            let relative = output.relativePath.isEmpty ? output.name : output.relativePath
            let path = PathName.join(directory, relative)
            guard PathContainment.isInside(path, directory: directory) else {
                throw CommandFailure(
                    [.error("refusing to write '\(relative)' outside '\(directory)' (a link or name leads elsewhere)")],
                    status: .ioError
                )
            }
            return Placement(output: output, path: path)
        }
    }

    /// The bytes the placements still need: outputs whose file is missing or of another size.
    package static func neededBytes(_ placements: [Placement]) -> Int64 {
        placements.reduce(0) { total, placement in
            let size = (try? FileManager.default.attributesOfItem(atPath: placement.path))?[.size] as? NSNumber
            return size?.int64Value == placement.output.bytes ? total : total + placement.output.bytes
        }
    }

    /// Refuses before the first byte when the file system holding `directory` has less than the needed bytes
    /// plus 15 %.
    ///
    /// - Throws: ``CommandFailure`` (74) naming both numbers.
    package static func checkFreeSpace(for placements: [Placement], in directory: String) async throws(CommandFailure) {
        // A stat per file and a statvfs: off the cooperative pool.
        try await Blocking.run { () throws(CommandFailure) in try freeSpaceCheck(placements, directory) }
    }

    private static func freeSpaceCheck(_ placements: [Placement], _ directory: String) throws(CommandFailure) {
        let needed = neededBytes(placements)
        guard needed > 0 else { return }
        let available: Int64
        do {
            available = try FreeSpace.available(at: directory)
        } catch {
            throw CommandFailure([.error("cannot check the free space of '\(directory)': \(error)")], status: .ioError)
        }
        if let refusal = spaceRefusal(needed: needed, available: available, directory: directory) { throw refusal }
    }

    /// The refusal when `available` bytes cannot hold `needed` bytes plus 15 %, or nil when they can.
    ///
    /// - Returns: A ``CommandFailure`` (74) naming both numbers.
    package static func spaceRefusal(needed: Int64, available: Int64, directory: String) -> CommandFailure? {
        let required = needed + (needed * 15 + 99) / 100
        guard available < required else { return nil }
        return CommandFailure(
            [
                .error(
                    "not enough free space in '\(directory)': the outputs need \(required) bytes "
                        + "(\(needed) plus 15 %) and \(available) bytes are available",
                    help: "free some space or download to another directory with -d"
                )
            ],
            status: .ioError
        )
    }

    /// Downloads every placement in order, skipping those already present and verified.
    ///
    /// - Throws: `PlatformError` from a download (the file stays as `<path>.partial`, never under its name), or
    ///   `CancellationError`.
    package func download(_ placements: [Placement]) async throws -> Summary {
        var summary = Summary()
        for placement in placements {
            try Task.checkCancellation()
            if try await platform.verifyDownload(placement.output, at: placement.path) != nil {
                summary.present += 1
                display.present(placement.path)
                continue
            }
            let bar = display.start(placement.path, totalBytes: placement.output.bytes)
            let file = try await platform.download(placement.output, to: placement.path) { progress in
                bar.update(progress.bytes)
            }
            bar.finish(file.bytes)
            summary.downloaded += 1
            summary.bytes += file.bytes
        }
        return summary
    }
}
