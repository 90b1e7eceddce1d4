import Foundation
import InterlinkSystem

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

    /// Copies files one after the other into a new file, a chunk at a time (never a whole file in memory).
    ///
    /// - Returns: The new file's path.
    /// - Throws: `InternalError` when a file cannot be read or the copy written.
    func concatenate(_ paths: [String]) async throws(S3Error) -> String {
        let writer = try await create()
        let copied = await Blocking.run { () -> Bool in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
            defer { buffer.deallocate() }
            for path in paths {
                let input = open(path, O_RDONLY | O_CLOEXEC)
                guard input >= 0 else { return false }
                defer { POSIX.close(input) }
                while true {
                    let count = POSIX.read(input, buffer.baseAddress, buffer.count)
                    if count == 0 { break }
                    guard count > 0,
                        POSIX.writeAll(writer.descriptor, UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                    else { return false }
                }
            }
            return true
        }
        await close(writer, keep: copied)
        guard copied else { throw Self.ioFailure }
        return writer.path
    }

    /// Reads a whole file (the job runner's inputs, which it decrypts in memory).
    ///
    /// - Throws: `InternalError` when the file cannot be read.
    func contents(of path: String) async throws(S3Error) -> [UInt8] {
        let data = await Blocking.run { FileManager.default.contents(atPath: path) }
        guard let data else { throw Self.ioFailure }
        return Array(data)
    }

    /// Removes files no longer referenced (a replaced object or part, an aborted or completed upload's parts).
    func remove(_ paths: [String]) async {
        guard !paths.isEmpty else { return }
        await Blocking.run {
            for path in paths { unlink(path) }
        }
    }
}
