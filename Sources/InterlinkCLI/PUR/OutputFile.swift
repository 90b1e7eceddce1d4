import Foundation
import InterlinkCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a command's output file atomically.
///
/// The text goes to a temporary file next to the target, which is then renamed over it (`overwrite`) or
/// hard-linked to the target's name, which fails instead of replacing an existing file. Readers never see a half-written file, and an existing file is never clobbered by accident.
package enum OutputFile {
    /// Writes `text` to `path`.
    ///
    /// - Parameters:
    ///   - text: The file's contents.
    ///   - path: The absolute target path.
    ///   - overwrite: Whether an existing file may be replaced.
    ///   - shownPath: The path as the user wrote it, for messages.
    /// - Throws: `CommandFailure` (exit 64) when the file exists and `overwrite` is off, (exit 74) when it cannot
    ///   be written.
    package static func write(
        _ text: String,
        to path: String,
        overwrite: Bool,
        shownPath: String
    ) throws(CommandFailure) {
        let directory = PathName.dirname(path)
        let unique = "\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let temporary = PathName.join(directory, ".\(PathName.basename(path)).\(unique).tmp")
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
            throw CommandFailure(
                [.error("cannot write '\(shownPath)': cannot create a file in '\(directory)'")],
                status: .ioError
            )
        }
        defer { unlink(temporary) }
        if overwrite {
            guard rename(temporary, path) == 0 else { throw failure(shownPath) }
            return
        }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST {
                throw CommandFailure.usage(
                    "output file '\(shownPath)' already exists",
                    help: "use --overwrite to replace it, or choose another --output"
                )
            }
            throw failure(shownPath)
        }
    }

    private static func failure(_ path: String) -> CommandFailure {
        CommandFailure([.error("cannot write '\(path)': \(String(cString: strerror(errno)))")], status: .ioError)
    }
}
