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
    ///
    /// Written as bytes, numbers included, without a string per line: 100,000 entries are a large plan's to save.
    package func encoded() -> [UInt8] {
        let entries = savedEntries
        var paths = Array(entries.keys)
        paths.sort()
        var bytes = Array((Self.header + "\n").utf8)
        bytes.reserveCapacity(bytes.count + entries.count * 160)
        let space = UInt8(ascii: " ")
        for path in paths where !path.utf8.contains(UInt8(ascii: "\n")) {
            guard let entry = entries[path] else { continue }
            let status = entry.status
            bytes.append(contentsOf: entry.digest.utf8)
            for number in [status.size, status.modificationNanoseconds, status.changeNanoseconds] {
                bytes.append(space)
                Self.appendDecimal(number, to: &bytes)
            }
            bytes.append(space)
            Self.appendDecimal(status.inode, to: &bytes)
            bytes.append(space)
            bytes.append(contentsOf: path.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// Appends an integer's decimal digits (and a leading `-` when negative), as `String(value)` writes them.
    static func appendDecimal(_ value: some BinaryInteger, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let start = bytes.count
        var magnitude = value.magnitude
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()  // written lowest digit first
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
