import Foundation
import InterlinkCore
import InterlinkSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line of the record log: a job or file record as it is from now on, or records removed (`runs rm`, `gc`).
struct RecordLogLine: Codable, Hashable, Sendable {
    /// A job record, replacing any earlier one with its id.
    var job: StoredJob?
    /// A file record, replacing any earlier one with its id.
    var file: StoredFile?
    /// Jobs whose records are gone.
    var removedJobs: [JobID]?
    /// Files whose records are gone.
    var removedFiles: [FileID]?
}

/// LocalCloud's job and file records as one append-only JSON Lines file, `records.jsonl` under the root.
///
/// Each change appends the whole record on one line with one `write` under an exclusive `flock` of the log, then
/// either syncs at once or leaves the sync to a group commit (``commit``) that one `fdatasync` shares among many
/// appends; either way the record is durable before the call that changed it returns, as it was with one file per
/// record written through a temporary file and a rename (about ten times the cost: two fsyncs, a rename and a
/// directory fsync per change). A reader applies complete lines only; a torn last line (a writer that died mid-write) is
/// ignored when read and cut off by the next writer, under the lock, before it appends. Several instances, in one
/// process or several, share the log: each reads what the others appended since it last looked.
///
/// Roots written before the log existed keep their `jobs/<id>.json` and `files/<id>.json`; those are read first and
/// the log's lines override them.
///
/// `gc` compacts the log (``compact(root:)``): one line per record, written to a new file that replaces the log by
/// a rename, under the old file's lock. An instance that had the old file open notices the replacement (the path
/// names another inode than its descriptor): a writer, once it holds the lock, before it appends; a reader before it
/// reads. It then opens the new file and reads it whole (``Read/isWhole``), since the lines it had not yet read are
/// folded into the records there.
final class RecordLog {
    /// The log's file name under the root.
    static let fileName = "records.jsonl"

    /// What ``readNew()`` found.
    struct Read {
        /// The complete lines, in order.
        var lines: [RecordLogLine]
        /// Whether they are the whole log (it was compacted since the last read): the records are the older roots'
        /// files with these lines over them, and nothing read before counts.
        var isWhole: Bool
    }

    /// The log's path.
    let path: String
    private let writable: Bool
    private var descriptor: Int32
    /// The bytes read and applied so far: always the end of a complete line.
    private var offset: Int64 = 0
    /// Whether the file was replaced since the last read, so the next one is of the whole new file.
    private var isReopened = false
    private let encoder: JSONEncoder
    private let decoder: JSONDecoder
    /// Syncs the log in groups: an append is durable once the commit reaches its ticket (a new one after the file
    /// was replaced).
    private(set) var commit: GroupCommit

    /// Opens (or creates) the log under `root`.
    ///
    /// - Parameters:
    ///   - root: The LocalCloud root.
    ///   - writable: Whether lines will be appended (else it is opened read-only and need not exist).
    /// - Throws: `LocalCloudError.io` when it cannot be opened.
    init(root: String, writable: Bool = true) throws(LocalCloudError) {
        let path = root + "/" + Self.fileName
        self.path = path
        self.writable = writable
        (descriptor, commit) = try Self.openFile(path, writable: writable)
        // The log's own directory entry, once: later appends change only its contents.
        if writable { AtomicFile.syncDirectory(of: path) }
        encoder = Self.makeEncoder()
        decoder = Self.makeDecoder()
    }

    deinit { close(descriptor) }

    private static func openFile(_ path: String, writable: Bool) throws(LocalCloudError) -> (Int32, GroupCommit) {
        let flags = writable ? O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC : O_RDONLY | O_CLOEXEC
        let descriptor = open(path, flags, 0o600)
        guard descriptor >= 0 else { throw LocalCloudError.io(path: path, errno: errno) }
        do { return (descriptor, try GroupCommit(descriptor: descriptor)) } catch {
            close(descriptor)
            throw LocalCloudError.io(path: path, errno: error.code)
        }
    }

    private static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    private static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Whether the path names another file than the descriptor (the log was compacted).
    ///
    /// A log whose path is gone (its root removed) is not reopened, so it is not made again.
    private static func isReplaced(_ path: String, _ descriptor: Int32) -> Bool {
        var own = stat()
        var named = stat()
        guard fstat(descriptor, &own) == 0, stat(path, &named) == 0 else { return false }
        return own.st_ino != named.st_ino || own.st_dev != named.st_dev
    }

    /// Opens the file the path names now in place of the replaced one; the next read reads it whole.
    private func reopen() throws(LocalCloudError) {
        let (descriptor, commit) = try Self.openFile(path, writable: writable)
        close(self.descriptor)
        self.descriptor = descriptor
        self.commit = commit
        offset = 0
        isReopened = true
    }

    /// The complete lines appended since the last call (by anyone), in order, or the whole log when it was compacted
    /// since (``Read/isWhole``).
    ///
    /// - Returns: The lines; an incomplete last line is left for a later call.
    /// - Throws: `LocalCloudError.corrupt` when a complete line cannot be decoded, `.io` when reading fails.
    func readNew() throws(LocalCloudError) -> Read {
        if Self.isReplaced(path, descriptor) { try reopen() }
        let lines = try readFromOffset()
        defer { isReopened = false }
        return Read(lines: lines, isWhole: isReopened)
    }

    private func readFromOffset() throws(LocalCloudError) -> [RecordLogLine] {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw LocalCloudError.io(path: path, errno: errno) }
        let size = Int64(info.st_size)
        guard size > offset else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(size - offset))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                pread(
                    descriptor,
                    buffer.baseAddress.map { $0 + filled },
                    buffer.count - filled,
                    off_t(offset) + off_t(filled)
                )
            }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw LocalCloudError.io(path: path, errno: errno) }
            if count == 0 { break }
            filled += count
        }
        // Only complete lines: the bytes up to the last newline.
        guard let last = bytes[..<filled].lastIndex(of: UInt8(ascii: "\n")) else { return [] }
        let complete = last + 1
        let lines = try Self.decode(bytes, count: complete, at: offset, path: path, decoder: decoder)
        offset += Int64(complete)
        return lines
    }

    /// Decodes the lines of `bytes[..<count]` (each ending in a newline), in order.
    ///
    /// A large read (a process opening a root that a 10,000-job run left: 70,000 lines, 46 MB, seven whole records per job) skips the lines
    /// a later line of the same read replaces (``latestLines(_:in:)``), and is cut into a few chunks per core,
    /// decoded at once, each with a decoder of its own.
    ///
    /// - Throws: `LocalCloudError.corrupt` naming the first decoded line that does not decode (its byte in the log).
    private static func decode(
        _ bytes: [UInt8],
        count: Int,
        at offset: Int64,
        path: String,
        decoder: JSONDecoder
    ) throws(LocalCloudError) -> [RecordLogLine] {
        var ranges: [Range<Int>] = []
        var start = 0
        while start < count {
            let end = bytes[start..<count].firstIndex(of: UInt8(ascii: "\n")) ?? count
            if end > start { ranges.append(start..<end) }
            start = end + 1
        }
        let isLarge = count >= Self.parallelDecodingBytes
        if isLarge { ranges = latestLines(ranges, in: bytes) }
        let chunks = isLarge ? max(ProcessInfo.processInfo.activeProcessorCount, 1) * 4 : 1
        let cuts = (0...chunks).map { ranges.count * $0 / chunks }
        let lines = ranges
        let decodeChunk: @Sendable (Int, JSONDecoder) -> Result<[RecordLogLine], LocalCloudError> = { chunk, decoder in
            var decoded: [RecordLogLine] = []
            decoded.reserveCapacity(cuts[chunk + 1] - cuts[chunk])
            do throws(LocalCloudError) {
                for range in lines[cuts[chunk]..<cuts[chunk + 1]] {
                    do {
                        decoded.append(try decoder.decode(RecordLogLine.self, from: Data(bytes[range])))
                    } catch {
                        throw LocalCloudError.corrupt(
                            path: path,
                            detail: "the line at byte \(offset + Int64(range.lowerBound)): \(ErrorText.describe(error))"
                        )
                    }
                }
                return .success(decoded)
            } catch {
                return .failure(error)
            }
        }
        let results =
            chunks == 1
            ? [decodeChunk(0, decoder)]
            : ParallelParts.map(chunks) { chunk in
                let own = JSONDecoder()
                own.dateDecodingStrategy = .iso8601
                return decodeChunk(chunk, own)
            }
        var decoded: [RecordLogLine] = []
        decoded.reserveCapacity(ranges.count)
        // The chunks in order: the first failure is the first corrupt line.
        for result in results { decoded.append(contentsOf: try result.get()) }
        return decoded
    }

    /// The lines that no later line of `lines` replaces.
    ///
    /// A job or file line holds the whole record and replaces
    /// any earlier one with its id, so applying only the last line of each record, in order with every other line
    /// (removals), leaves the same records as applying them all.
    static func latestLines(_ lines: [Range<Int>], in bytes: [UInt8]) -> [Range<Int>] {
        var keys: [String?] = []
        keys.reserveCapacity(lines.count)
        var last: [String: Int] = [:]
        bytes.withUnsafeBufferPointer { buffer in
            for (index, range) in lines.enumerated() {
                let key = replacedRecord(in: UnsafeBufferPointer(rebasing: buffer[range]))
                keys.append(key)
                if let key { last[key] = index }
            }
        }
        return lines.indices.filter { index in keys[index].map { last[$0] == index } ?? true }.map { lines[$0] }
    }

    /// The record a line replaces: `j` or `f` and the record's own `id`.
    ///
    /// Only a line that is one whole job or file record as this log writes them (`{"job":{…}}`, `{"file":{…}}`)
    /// has one; the id is a key of the record object itself, never one nested in its body. Nil for any other line
    /// (removals, or anything unexpected): such a line is always decoded.
    static func replacedRecord(in line: UnsafeBufferPointer<UInt8>) -> String? {
        let kind: String
        var index: Int
        if line.starts(with: jobPrefix) {
            (kind, index) = ("j", jobPrefix.count)
        } else if line.starts(with: filePrefix) {
            (kind, index) = ("f", filePrefix.count)
        } else {
            return nil
        }
        let quote = UInt8(ascii: "\"")
        let backslash = UInt8(ascii: "\\")
        // Nesting below the record object; at 0, strings alternate between keys and values.
        var depth = 0
        var expectsKey = true
        while index < line.count {
            switch line[index] {
            case quote:
                let start = index + 1
                var end = start
                while end < line.count, line[end] != quote { end += line[end] == backslash ? 2 : 1 }
                guard end < line.count else { return nil }
                if depth == 0, expectsKey {
                    expectsKey = false
                    if end - start == 2, line[start] == UInt8(ascii: "i"), line[start + 1] == UInt8(ascii: "d") {
                        // `"id":"<value>"`; a value with an escape is left to the decoder.
                        guard end + 2 < line.count, line[end + 1] == UInt8(ascii: ":"), line[end + 2] == quote else {
                            return nil
                        }
                        var close = end + 3
                        while close < line.count, line[close] != quote {
                            if line[close] == backslash { return nil }
                            close += 1
                        }
                        guard close < line.count else { return nil }
                        let value = UnsafeBufferPointer(rebasing: line[(end + 3)..<close])
                        return kind + String(decoding: value, as: UTF8.self)
                    }
                }
                index = end + 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                guard depth >= 0 else { return nil }  // the record ended without an id
                index += 1
            case UInt8(ascii: ","):
                if depth == 0 { expectsKey = true }
                index += 1
            default:
                index += 1
            }
        }
        return nil
    }

    private static let jobPrefix = Array(#"{"job":{"#.utf8)
    private static let filePrefix = Array(#"{"file":{"#.utf8)

    /// From how many bytes a read is decoded in parallel chunks.
    static let parallelDecodingBytes = 1 << 20

    /// Appends lines with one write, after cutting off a torn last line a dead writer left, and syncs them at once
    /// or leaves them to the group commit.
    ///
    /// Lines this log wrote right after everything it had read are taken as read (``readNew()`` does not decode
    /// them again).
    ///
    /// - Parameters:
    ///   - lines: The lines, in order.
    ///   - sync: Whether to `fdatasync` before returning; when false the lines are durable once ``commit`` reaches
    ///     the ticket this append took.
    /// - Throws: `LocalCloudError` when encoding, locking, writing or syncing fails.
    func append(_ lines: [RecordLogLine], sync: Bool = true) throws(LocalCloudError) {
        var bytes = Data()
        for line in lines {
            do { bytes.append(try encoder.encode(line)) } catch {
                throw LocalCloudError.corrupt(path: path, detail: ErrorText.describe(error))
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        try lockCurrentFile()
        defer { _ = flock(descriptor, LOCK_UN) }
        let end = try dropTornTail()
        let failed = bytes.withUnsafeBytes { buffer -> Bool in
            var written = 0
            while written < buffer.count {
                let count = write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if count < 0, errno == EINTR { continue }
                if count <= 0 { return true }
                written += count
            }
            return false
        }
        guard !failed else { throw LocalCloudError.io(path: path, errno: errno) }
        _ = commit.noteWritten()
        // After a reopen nothing of the new file was read yet: the next read takes it whole, these lines included.
        if offset == end, !isReopened { offset = end + Int64(bytes.count) }
        guard !sync || Self.syncData(descriptor) == 0 else { throw LocalCloudError.io(path: path, errno: errno) }
    }

    /// Takes the exclusive lock of the file the path names: a compaction that replaced the file while this
    /// instance waited for (or did not hold) the old one's lock is seen here, and the new file is opened and locked.
    private func lockCurrentFile() throws(LocalCloudError) {
        while true {
            var locked = flock(descriptor, LOCK_EX)
            while locked != 0, errno == EINTR { locked = flock(descriptor, LOCK_EX) }
            guard locked == 0 else { throw LocalCloudError.io(path: path, errno: errno) }
            guard Self.isReplaced(path, descriptor) else { return }
            _ = flock(descriptor, LOCK_UN)
            try reopen()
        }
    }

    /// Truncates the log after its last newline when a writer died in the middle of a line (lock held).
    ///
    /// - Returns: The log's size afterwards, where the next append goes.
    private func dropTornTail() throws(LocalCloudError) -> Int64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw LocalCloudError.io(path: path, errno: errno) }
        var end = Int64(info.st_size)
        var byte: UInt8 = 0
        guard end > 0, pread(descriptor, &byte, 1, off_t(end - 1)) == 1, byte != UInt8(ascii: "\n") else {
            return end
        }
        var chunk = [UInt8](repeating: 0, count: 4096)
        var keep: Int64 = 0
        search: while end > 0 {
            let start = max(end - Int64(chunk.count), 0)
            let count = chunk.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress, Int(end - start), off_t(start))
            }
            guard count == Int(end - start) else { throw LocalCloudError.io(path: path, errno: errno) }
            if let newline = chunk[0..<count].lastIndex(of: UInt8(ascii: "\n")) {
                keep = start + Int64(newline) + 1
                break search
            }
            end = start
        }
        guard ftruncate(descriptor, off_t(keep)) == 0 else { throw LocalCloudError.io(path: path, errno: errno) }
        if offset > keep { offset = keep }
        return keep
    }

    /// `fdatasync` where there is one (the size it changes is synced with it), else `fsync`.
    private static func syncData(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
        fdatasync(descriptor)
        #else
        fsync(descriptor)
        #endif
    }

    /// Every job and file record under a root: the per-record files of older roots, then the log over them.
    ///
    /// - Parameter root: The LocalCloud root.
    /// - Returns: The records by id.
    /// - Throws: `LocalCloudError.corrupt` when a record cannot be read.
    static func loadAll(root: String) throws(LocalCloudError) -> (jobs: [JobID: StoredJob], files: [FileID: StoredFile])
    {
        var records = try RecordSet.olderLayout(root: root)
        if FileManager.default.fileExists(atPath: root + "/" + fileName) {
            for line in try RecordLog(root: root, writable: false).readNew().lines { records.apply(line) }
        }
        return (records.jobs, records.files)
    }

    /// What a compaction did: the log's size before and after.
    struct Compaction: Hashable, Sendable {
        /// Bytes before.
        var before: Int64
        /// Bytes after.
        var after: Int64
    }

    /// Rewrites the log as one line per record, so what was replaced or removed no longer takes space or time.
    ///
    /// Holds the log's lock throughout: appends wait, then go to the new file (see the type's description). The
    /// new file is written beside the log, synced, and renamed over it, then the directory is synced: a crash
    /// leaves either the old log or the new one, whole. Records removed from the log whose older per-record files
    /// are still there get one removal line, so they do not come back.
    ///
    /// - Parameter root: The LocalCloud root.
    /// - Returns: The sizes, or nil when there is no log.
    /// - Throws: `LocalCloudError` when the log cannot be read, decoded or replaced.
    static func compact(root: String) throws(LocalCloudError) -> Compaction? {
        let path = root + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let log = try RecordLog(root: root)
        try log.lockCurrentFile()
        defer { _ = flock(log.descriptor, LOCK_UN) }
        var info = stat()
        guard fstat(log.descriptor, &info) == 0 else { throw LocalCloudError.io(path: path, errno: errno) }
        let before = Int64(info.st_size)
        // The older roots' files first, the whole log over them: the records every reader folds.
        let older = try RecordSet.olderLayout(root: root)
        var records = older
        for line in try log.readFromOffset() { records.apply(line) }
        var lines = records.jobs.keys.sorted { $0.rawValue < $1.rawValue }.map { RecordLogLine(job: records.jobs[$0]) }
        lines += records.files.keys.sorted { $0.rawValue < $1.rawValue }.map { RecordLogLine(file: records.files[$0]) }
        let goneJobs = older.jobs.keys.filter { records.jobs[$0] == nil }.sorted { $0.rawValue < $1.rawValue }
        let goneFiles = older.files.keys.filter { records.files[$0] == nil }.sorted { $0.rawValue < $1.rawValue }
        if !goneJobs.isEmpty || !goneFiles.isEmpty {
            lines.append(
                RecordLogLine(
                    removedJobs: goneJobs.isEmpty ? nil : goneJobs,
                    removedFiles: goneFiles.isEmpty ? nil : goneFiles
                )
            )
        }
        var bytes = Data()
        for line in lines {
            do { bytes.append(try log.encoder.encode(line)) } catch {
                throw LocalCloudError.corrupt(path: path, detail: ErrorText.describe(error))
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        let temporary = path + ".compacting"
        let output = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw LocalCloudError.io(path: temporary, errno: errno) }
        let failure = bytes.withUnsafeBytes { buffer -> Int32? in
            var written = 0
            while written < buffer.count {
                let count = write(output, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if count < 0, errno == EINTR { continue }
                if count <= 0 { return count < 0 ? errno : EIO }
                written += count
            }
            return fsync(output) == 0 ? nil : errno
        }
        close(output)
        if let failure {
            unlink(temporary)
            throw LocalCloudError.io(path: temporary, errno: failure)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw LocalCloudError.io(path: path, errno: code)
        }
        AtomicFile.syncDirectory(of: path)
        return Compaction(before: before, after: Int64(bytes.count))
    }
}

/// Job and file records by id, folded from the log's lines.
struct RecordSet {
    /// The jobs.
    var jobs: [JobID: StoredJob] = [:]
    /// The files.
    var files: [FileID: StoredFile] = [:]

    /// The records of roots written before the log existed (`files/<id>.json`, `jobs/<id>.json`): what the log's
    /// lines apply over.
    ///
    /// - Throws: `LocalCloudError.corrupt` when a record cannot be read.
    static func olderLayout(root: String) throws(LocalCloudError) -> RecordSet {
        var records = RecordSet()
        records.files = try LocalCloud.load(StoredFile.self, from: root + "/files").reduce(into: [:]) { $0[$1.id] = $1 }
        records.jobs = try LocalCloud.load(StoredJob.self, from: root + "/jobs").reduce(into: [:]) { $0[$1.id] = $1 }
        return records
    }

    /// Applies one line of the log.
    mutating func apply(_ line: RecordLogLine) {
        if let job = line.job { jobs[job.id] = job }
        if let file = line.file { files[file.id] = file }
        for id in line.removedJobs ?? [] { jobs[id] = nil }
        for id in line.removedFiles ?? [] { files[id] = nil }
    }
}
