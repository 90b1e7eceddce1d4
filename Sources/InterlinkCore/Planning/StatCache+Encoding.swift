/// The stat cache's file format: a header line, then one line per file.
///
/// ```
/// interlink-stat-cache 1
/// <sha256 hex> <size> <mtime ns> <ctime ns> <inode> <absolute path>
/// ```
///
/// The path comes last so it may hold spaces; paths holding a newline are not saved (they are hashed on every
/// plan). Text with fixed leading fields parses without a JSON decoder: 10,000 entries load in a few milliseconds.
extension StatCache {
    /// The first line of every cache file.
    package static let header = "interlink-stat-cache 1"

    /// The saved entries as the cache file's bytes, sorted by path.
    package func encoded() -> [UInt8] {
        var text = Self.header + "\n"
        for (path, entry) in savedEntries.sorted(by: { $0.key < $1.key }) where !path.contains("\n") {
            let status = entry.status
            text += "\(entry.digest) \(status.size) \(status.modificationNanoseconds) \(status.changeNanoseconds)"
            text += " \(status.inode) \(path)\n"
        }
        return Array(text.utf8)
    }

    /// Reads a cache file's bytes; a file in another format or a malformed line gives an empty cache.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - writtenAt: The file's modification time, nanoseconds since 1970.
    /// - Returns: The cache, empty when the bytes are not a cache of this version.
    package static func decoding(_ bytes: [UInt8], writtenAt: Int64) -> StatCache {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        guard let first = lines.first, first.elementsEqual(header.utf8) else {
            return StatCache(entries: [:], writtenAt: writtenAt)
        }
        var entries: [String: Entry] = [:]
        entries.reserveCapacity(lines.count - 1)
        for line in lines.dropFirst() {
            let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 5, omittingEmptySubsequences: false)
            guard fields.count == 6, fields[0].count == 64, let size = Int64(text(fields[1])),
                let modified = Int64(text(fields[2])), let changed = Int64(text(fields[3])),
                let inode = UInt64(text(fields[4]))
            else { return StatCache(entries: [:], writtenAt: writtenAt) }
            let status = FileStatus(
                size: size,
                modificationNanoseconds: modified,
                changeNanoseconds: changed,
                inode: inode
            )
            entries[text(fields[5])] = Entry(status: status, digest: text(fields[0]))
        }
        return StatCache(entries: entries, writtenAt: writtenAt)
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
}
