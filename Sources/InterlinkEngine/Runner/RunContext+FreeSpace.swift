import Foundation
import InterlinkCore
import InterlinkSystem

extension RunContext {
    /// The refusal of a job's downloads when the file system holding its destination lacks the bytes still to
    /// download plus 15 %, checked before the first byte; nil when they fit.
    ///
    /// Files already complete at their path (same size) need nothing.
    ///
    /// - Parameters:
    ///   - placements: The job's selected outputs and their paths.
    ///   - destination: The job's output directory.
    /// - Returns: A fatal ``PlatformError`` naming both numbers, or nil.
    /// - Throws: ``PlatformError`` when the free space cannot be read.
    static func checkFreeSpace(for placements: [OutputSelection.Placement], in destination: String)
        throws(PlatformError)
        -> PlatformError?
    {
        let needed = placements.reduce(Int64(0)) { total, placement in
            fileSize(placement.path) == placement.output.bytes ? total : total + placement.output.bytes
        }
        guard needed > 0 else { return nil }
        let available: Int64
        do {
            available = try FreeSpace.available(at: destination)
        } catch {
            throw PlatformError(.localFile(path: destination, message: "\(error)"), retryClass: .fatal)
        }
        return OutputSpace.refusal(needed: needed, available: available, destination: destination)
    }

    private static func fileSize(_ path: String) -> Int64? {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value
    }
}

/// The free-space rule for output downloads: the bytes to download plus 15 %.
package enum OutputSpace {
    /// The refusal when `available` bytes cannot hold `needed` bytes plus 15 % (rounded up), or nil.
    ///
    /// - Parameters:
    ///   - needed: The bytes still to download.
    ///   - available: The bytes the file system has free.
    ///   - destination: The directory, for the message.
    /// - Returns: A fatal ``PlatformError`` naming both numbers, or nil.
    package static func refusal(needed: Int64, available: Int64, destination: String) -> PlatformError? {
        let (extra, overflow) = (needed / 100 * 15 + (needed % 100 * 15 + 99) / 100).addingReportingOverflow(needed)
        let required = overflow ? Int64.max : extra
        guard available < required else { return nil }
        return PlatformError(
            .localFile(
                path: destination,
                message: "not enough free space: the outputs need \(required) bytes (\(needed) plus 15 %) and "
                    + "\(available) bytes are available; free some space and resume the run"
            ),
            retryClass: .fatal
        )
    }
}
