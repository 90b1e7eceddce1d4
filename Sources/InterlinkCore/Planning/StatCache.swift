import InterlinkCrypto

/// The SHA-256 of input files, remembered with their `lstat` status so an unchanged file is not read again.
///
/// This is git's index for Interlink's content identity: an entry is trusted while the file's size, modification
/// time (ns), status-change time (ns) and inode are the ones recorded, except when the recorded modification time
/// is too close to the moment the cache was last written (git's "racy" case). A file modified within the
/// timestamp granularity of its previous hashing keeps the same status; so an entry whose modification time is at
/// or after `writtenAt - racyWindowNanoseconds` is re-hashed on every plan until a later write of the cache makes
/// it old enough to trust. One second covers every common file system's timestamp granularity (ext4 and XFS
/// record the kernel's coarse clock, a few ms; NFS and HFS+ one second) with room to spare.
package struct StatCache: Sendable {
    /// One remembered file.
    package struct Entry: Hashable, Sendable {
        /// The file's status when it was hashed.
        package var status: FileStatus
        /// Lower-case hex SHA-256 of its bytes.
        package var digest: String

        /// Creates an entry.
        package init(status: FileStatus, digest: String) {
            self.status = status
            self.digest = digest
        }
    }

    /// How close to the cache's write time an entry's modification time may be before it is not trusted.
    package static let racyWindowNanoseconds: Int64 = 1_000_000_000

    /// The entries loaded or hashed, by absolute path.
    package private(set) var entries: [String: Entry]
    /// When the loaded cache was written (the cache file's modification time, ns since 1970, as git uses its
    /// index file's); nil for a cache that was never written, whose entries all come from this process.
    package private(set) var writtenAt: Int64?
    /// The paths looked up since the cache was made or loaded (a path may repeat): what a full cache keeps.
    ///
    /// A list, not a set: only a save of a full cache needs them looked up.
    package private(set) var used: [String] = []
    /// How many files were read and hashed since the cache was made or loaded.
    package private(set) var contentReads = 0
    /// Paths hashed in this process: trusted whatever their times, since nothing wrote the cache in between.
    private var fresh: Set<String> = []

    /// Creates an empty cache that will hash every file once.
    package init() {
        entries = [:]
        writtenAt = nil
    }

    /// Creates a cache from entries saved earlier.
    ///
    /// - Parameters:
    ///   - entries: The saved entries, by absolute path.
    ///   - writtenAt: When they were saved, nanoseconds since 1970.
    package init(entries: [String: Entry], writtenAt: Int64) {
        self.entries = entries
        self.writtenAt = writtenAt
    }

    /// The most entries a saved cache holds before the ones this plan did not use are dropped.
    ///
    /// Several workflows beside one another share `.interlink/`, so entries another workflow uses are kept (a plan
    /// of one must not make the next plan of the other hash everything again) until the file grows past this.
    package static let capacity = 200_000

    /// Whether a save would change the cache: a file was hashed (new, changed, or racy) since it was loaded.
    package var hasChanges: Bool { contentReads > 0 }

    /// The entries a save keeps: all of them, or only those looked up since the cache was loaded when there are
    /// more than ``capacity``.
    package var savedEntries: [String: Entry] {
        guard entries.count > Self.capacity else { return entries }
        let used = Set(used)
        return entries.filter { used.contains($0.key) }
    }

    /// The SHA-256 of a regular file's bytes, from the cache when its status is unchanged and not racy.
    ///
    /// - Parameters:
    ///   - path: The file's absolute path.
    ///   - fileSystem: Where it is read.
    /// - Returns: 64 lower-case hex digits.
    /// - Throws: `FileSystemError` when the file is gone or cannot be read.
    package mutating func digest(ofFileAt path: String, in fileSystem: some FileSystem) throws(FileSystemError)
        -> String
    {
        guard let status = fileSystem.status(at: path) else {
            throw FileSystemError(path: path, reason: "is not a regular file any more")
        }
        used.append(path)
        if let digest = trustedDigest(ofFileAt: path, status: status) { return digest }
        let digest = try Self.hash(fileAt: path, in: fileSystem)
        record(digest, status: status, forFileAt: path)
        return digest
    }

    /// Notes that this plan used a file's entry (what a full cache keeps when saved), as
    /// ``digest(ofFileAt:in:)`` does for the files it is asked about.
    ///
    /// - Parameter path: The file's absolute path.
    package mutating func markUsed(_ path: String) {
        used.append(path)
    }

    /// The remembered digest of a file whose status is `status`, when the entry may be trusted without reading it.
    ///
    /// - Parameters:
    ///   - path: The file's absolute path.
    ///   - status: Its status now.
    /// - Returns: 64 lower-case hex digits, or nil when the file must be read.
    package func trustedDigest(ofFileAt path: String, status: FileStatus) -> String? {
        guard let entry = entries[path], entry.status == status, isTrusted(entry, path: path) else { return nil }
        return entry.digest
    }

    /// Remembers a digest computed elsewhere (by another thread of the same plan) from the file's bytes read
    /// after `status` was taken, and counts the read.
    ///
    /// - Parameters:
    ///   - digest: 64 lower-case hex digits.
    ///   - status: The file's status taken before its bytes were read.
    ///   - path: The file's absolute path.
    package mutating func record(_ digest: String, status: FileStatus, forFileAt path: String) {
        contentReads += 1
        entries[path] = Entry(status: status, digest: digest)
        fresh.insert(path)
    }

    /// The SHA-256 of a file's bytes, read in bounded chunks.
    ///
    /// - Parameters:
    ///   - path: The file's absolute path.
    ///   - fileSystem: Where it is read.
    /// - Returns: 64 lower-case hex digits.
    /// - Throws: `FileSystemError` when the file cannot be read.
    package static func hash(fileAt path: String, in fileSystem: some FileSystem) throws(FileSystemError) -> String {
        var hasher = SHA256()
        try fileSystem.readChunks(at: path) { hasher.update(bufferPointer: $0) }
        return ContentHash.hex(hasher.finalize())
    }

    /// The SHA-256 of several files' bytes, read together (``FileSystem/readChunks(ofFilesAt:_:)``, which may batch
    /// the disk requests), each as ``hash(fileAt:in:)`` gives it.
    ///
    /// The chunks come one file after another, so one hasher at a time is kept, finished when the next file starts.
    ///
    /// - Parameters:
    ///   - paths: The files' paths.
    ///   - fileSystem: Where they are read.
    /// - Returns: For each file, its 64 lower-case hex digits, or why it could not be read.
    package static func hash(filesAt paths: [String], in fileSystem: some FileSystem)
        -> [Result<String, FileSystemError>]
    {
        var digests: [String] = []
        digests.reserveCapacity(paths.count)
        var hasher = SHA256()
        func finish(upTo index: Int) {
            while digests.count < index {
                digests.append(ContentHash.hex(hasher.finalize()))
                hasher = SHA256()
            }
        }
        let failures = fileSystem.readChunks(ofFilesAt: paths) { index, chunk in
            finish(upTo: index)
            hasher.update(bufferPointer: chunk)
        }
        finish(upTo: paths.count)
        return paths.indices.map { index in failures[index].map { .failure($0) } ?? .success(digests[index]) }
    }

    private func isTrusted(_ entry: Entry, path: String) -> Bool {
        guard let writtenAt, !fresh.contains(path) else { return true }
        return entry.status.modificationNanoseconds < writtenAt - Self.racyWindowNanoseconds
    }
}
