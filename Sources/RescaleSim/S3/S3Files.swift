import Foundation
import Hummingbird
import InterlinkSystem
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files behind the built-in S3 subset's objects and parts, under one directory of the work root.
///
/// Every call does blocking file work on ``BlockingExecutor/shared``, never on the cooperative pool. File names are
/// fresh random ids, so a file is written once and then only read, renamed into no other name, and removed.
struct S3Files: Sendable {
    /// An open file being written.
    struct Writer: Sendable {
        /// The file's path.
        let path: String
        let descriptor: Int32
    }

    /// The directory the files live in (made on first use).
    let directory: String

    /// The size of each read and write when copying or serving a file.
    static let chunkSize = 1 << 20

    private static let ioFailure = S3Error("InternalError", 500, "We encountered an internal error. Please try again.")

    /// Creates a new empty file with a fresh name and opens it for writing.
    ///
    /// - Throws: `InternalError` when the file cannot be made.
    func create() async throws(S3Error) -> Writer {
        let path = directory + "/" + SimIDs.make(length: 24)
        let directory = directory
        let descriptor = await Blocking.run { () -> Int32 in
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        }
        guard descriptor >= 0 else { throw Self.ioFailure }
        return Writer(path: path, descriptor: descriptor)
    }

    /// Appends bytes to an open file.
    ///
    /// - Throws: `InternalError` when the write fails.
    func write(_ bytes: [UInt8], to writer: Writer) async throws(S3Error) {
        let written = await Blocking.run { bytes.withUnsafeBytes { POSIX.writeAll(writer.descriptor, $0) } }
        guard written else { throw Self.ioFailure }
    }

    /// Closes a file; with `keep` false it is also removed (a body that failed part-way).
    func close(_ writer: Writer, keep: Bool) async {
        await Blocking.run {
            POSIX.close(writer.descriptor)
            if !keep { unlink(writer.path) }
        }
    }

    /// Writes a whole file at once (objects the simulator itself makes).
    ///
    /// - Returns: The new file's path.
    /// - Throws: `InternalError` when the file cannot be written.
    func store(_ bytes: [UInt8]) async throws(S3Error) -> String {
        let writer = try await create()
        do {
            try await write(bytes, to: writer)
        } catch {
            await close(writer, keep: false)
            throw error
        }
        await close(writer, keep: true)
        return writer.path
    }

    /// Reads files whole, one after the other (the job runner's inputs, which it decrypts in memory).
    ///
    /// - Throws: `InternalError` when a file cannot be read.
    func contents(of paths: [String]) async throws(S3Error) -> [UInt8] {
        let data = await Blocking.run { () -> [UInt8]? in
            var result: [UInt8] = []
            for path in paths {
                guard let data = FileManager.default.contents(atPath: path) else { return nil }
                result += data
            }
            return result
        }
        guard let data else { throw Self.ioFailure }
        return data
    }

    /// A response body streaming `range` of the content held by `segments` in order, a chunk at a time.
    ///
    /// Every segment the range touches is opened before the answer starts, so an object replaced meanwhile (its
    /// files unlinked) is still served whole. Reads run on the blocking executor one chunk ahead of the socket: the
    /// next chunk is read while the current one is written, so the disk (or page cache) and the socket overlap and an
    /// answer holds at most two chunks.
    ///
    /// - Parameters:
    ///   - segments: The content's files, in order.
    ///   - range: The bytes to send, within the content.
    /// - Returns: The body, of exactly `range.count` bytes.
    /// - Throws: `InternalError` when a file cannot be opened.
    func body(of segments: [S3Store.Segment], range: ClosedRange<Int>) async throws(S3Error) -> ResponseBody {
        let pieces = Self.pieces(of: segments, range: range)
        let paths = pieces.map(\.path)
        let opened = await Blocking.run { () -> [Int32] in
            var descriptors: [Int32] = []
            for path in paths {
                let descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else { break }
                descriptors.append(descriptor)
            }
            return descriptors
        }
        let descriptors = Descriptors(opened)
        guard opened.count == pieces.count else { throw Self.ioFailure }
        let reads = Self.chunks(of: pieces.map { (offset: $0.offset, count: $0.count) }, size: Self.chunkSize)
        return ResponseBody(contentLength: range.count) { writer in
            guard let first = reads.first else { return try await writer.finish(nil) }
            var current = try await Self.read(first, from: descriptors)
            for read in reads.dropFirst() {
                async let next = Self.read(read, from: descriptors)
                try await writer.write(current)
                current = try await next
            }
            try await writer.write(current)
            try await writer.finish(nil)
        }
    }

    /// The parts of `segments` that `range` covers: each file's path with the offset and length to send from it.
    static func pieces(of segments: [S3Store.Segment], range: ClosedRange<Int>) -> [(
        path: String, offset: Int, count: Int
    )] {
        var pieces: [(path: String, offset: Int, count: Int)] = []
        var start = 0
        for segment in segments {
            let end = start + segment.size
            let low = max(range.lowerBound, start)
            let high = min(range.upperBound + 1, end)
            if low < high { pieces.append((segment.path, low - start, high - low)) }
            start = end
        }
        return pieces
    }

    /// Splits each span into reads of at most `size` bytes, in order; `slot` is the span's index.
    static func chunks(of spans: [(offset: Int, count: Int)], size: Int) -> [(slot: Int, offset: Int, count: Int)] {
        var reads: [(slot: Int, offset: Int, count: Int)] = []
        for (slot, span) in spans.enumerated() {
            var done = 0
            while done < span.count {
                let count = min(size, span.count - done)
                reads.append((slot, span.offset + done, count))
                done += count
            }
        }
        return reads
    }

    /// Reads one chunk whole on the blocking executor (retrying short reads).
    ///
    /// - Throws: `InternalError` when the file ends early or the read fails.
    private static func read(_ read: (slot: Int, offset: Int, count: Int), from descriptors: Descriptors)
        async throws(S3Error) -> ByteBuffer
    {
        let descriptor = descriptors.values[read.slot]
        let chunk = await Blocking.run { () -> ByteBuffer? in
            var buffer = ByteBufferAllocator().buffer(capacity: read.count)
            var done = 0
            while done < read.count {
                let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: read.count - done) { bytes in
                    max(0, pread(descriptor, bytes.baseAddress, read.count - done, off_t(read.offset + done)))
                }
                guard count > 0 else { return nil }
                done += count
            }
            return buffer
        }
        guard let chunk else { throw ioFailure }
        return chunk
    }

    /// Removes files no longer referenced (a replaced object or part, an aborted or completed upload's parts).
    func remove(_ paths: [String]) async {
        guard !paths.isEmpty else { return }
        await Blocking.run {
            for path in paths { unlink(path) }
        }
    }
}

/// The open descriptors of one answer's files, closed when the answer is done with them (its body released).
final class Descriptors: Sendable {
    /// The descriptors, in the order of the pieces they serve.
    let values: [Int32]

    init(_ values: [Int32]) { self.values = values }

    deinit { for value in values { POSIX.close(value) } }
}
