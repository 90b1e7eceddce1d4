/// The ordered list of entries one archive holds, built deterministically from an ``ArchiveInput``.
///
/// Entries are sorted by their archive name bytewise (UTF-8), so two builds over an unchanged tree give the same
/// list, and so the same archive bytes. The tar writer reads files from ``Entry/sourcePath``.
///
/// Layout: a root directory entry named after the source's basename (the subpath's last component when there is
/// one), then everything below it. With include/exclude filters only directories that hold a kept file appear;
/// without them empty directories are kept too. `flatten` stores files and links under their basenames with no
/// directory entries at all; `absoluteNames` uses absolute paths instead of the basename (compatibility only).
package struct ArchiveManifest: Hashable, Sendable {
    /// One archive member.
    package struct Entry: Hashable, Sendable {
        /// What the member is.
        package enum Kind: Hashable, Sendable {
            /// A regular file, read from ``Entry/sourcePath``.
            case file
            /// A directory.
            case directory
            /// A symbolic link stored as a link, never followed.
            case symlink(target: String)
        }

        /// The name inside the archive (`Run_1/inputs/a.txt`), without a trailing slash.
        package var name: String
        /// Where it is on disk.
        package var sourcePath: String
        /// What it is.
        package var kind: Kind
        /// Size in bytes for files, 0 otherwise.
        package var size: Int64
        /// Permission bits.
        package var mode: UInt32
        /// Modification time, seconds since 1970 (may have a fraction).
        package var modificationTime: Double

        /// Creates an entry.
        package init(name: String, sourcePath: String, kind: Kind, size: Int64, mode: UInt32, modificationTime: Double)
        {
            self.name = name
            self.sourcePath = sourcePath
            self.kind = kind
            self.size = size
            self.mode = mode
            self.modificationTime = modificationTime
        }
    }

    /// The entries in archive order.
    package var entries: [Entry]
    /// Things skipped on the way (devices, FIFOs, sockets), as warnings.
    package var warnings: [Diagnostic]

    /// Creates a manifest from entries already in order.
    package init(entries: [Entry], warnings: [Diagnostic] = []) {
        self.entries = entries
        self.warnings = warnings
    }

    /// The sum of the sizes of the regular files.
    package var totalBytes: Int64 { entries.reduce(0) { $0 + $1.size } }

    /// The number of regular files.
    package var fileCount: Int { entries.count { $0.kind == .file } }

    /// Builds the manifest for an archive input.
    ///
    /// - Parameters:
    ///   - input: What to archive.
    ///   - fileSystem: Where to look.
    /// - Returns: The entries, sorted by archive name.
    /// - Throws: `ArchiveManifestError` for a bad subpath, a malformed pattern, a missing or outside listed file,
    ///   duplicate flattened names, or an unreadable directory.
    package static func make(for input: ArchiveInput, in fileSystem: some FileSystem) throws(ArchiveManifestError)
        -> ArchiveManifest
    {
        var builder = try ArchiveManifestBuilder(input: input, fileSystem: fileSystem)
        return try builder.build()
    }
}
