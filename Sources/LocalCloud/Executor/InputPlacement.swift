import Foundation
import InterlinkCore
import InterlinkTransfer

/// Places a job's inputs in its work directory: decrypts each one into a staging directory beside it, checks
/// size and SHA-512, then unpacks archives with ``TarExtractor`` (unless `decompress` is false) or moves the file
/// in under its name.
///
/// Nothing reaches the work directory before its checksum passed.
struct InputPlacement {
    let request: ExecutionRequest

    /// Places every input.
    ///
    /// - Returns: The stamps of the files in the work directory afterwards (inputs the command may leave alone).
    /// - Throws: ``ExecutionError`` with `.inputRefused` naming the input.
    func placeAll() throws -> [String: FileStamp] {
        // A job without inputs needs no staging directory: creating and removing one for each of 10,000 trivial
        // jobs is 20,000 metadata writes, and on a file system without a journal every later file creation
        // steps over the inodes freed in the last minute.
        guard !request.inputs.isEmpty else { return OutputListing.stamps(in: request.workDirectory) }
        let staging = request.workDirectory + ".inputs"
        try? FileManager.default.removeItem(atPath: staging)
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw ExecutionError(.workDirectory("cannot create '\(staging)': \(error)"))
        }
        defer { try? FileManager.default.removeItem(atPath: staging) }
        for (index, input) in request.inputs.enumerated() {
            try Task.checkCancellation()
            let plain = staging + "/\(index)"
            do {
                try place(input, stagedAt: plain)
            } catch let error as TransferError {
                throw ExecutionError(.inputRefused(name: input.name, detail: error.description))
            }
        }
        return OutputListing.stamps(in: request.workDirectory)
    }

    private func place(_ input: ExecutionInput, stagedAt plain: String) throws {
        let sink = try FileSink(creating: plain, mode: 0o644)
        try ObjectDecryptor.decrypt(
            objectPath: input.objectPath,
            key: input.key,
            format: input.format,
            decryptedSize: input.decryptedSize,
            sha512: input.sha512,
            into: sink
        )
        try sink.close()
        if input.decompress, let compression = try Self.archiveCompression(of: plain) {
            var source: any ByteSource = try FileSource(path: plain)
            if let codec = try compression.makeDecompressor() { source = CodecSource(source, codec: codec) }
            try TarExtractor(into: request.workDirectory).extract(from: source)
            return
        }
        let name = input.name
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw ExecutionError(.inputRefused(name: name, detail: "the file name is not a plain name"))
        }
        let target = request.workDirectory + "/" + name
        guard FileManager.default.fileExists(atPath: target) == false else {
            throw ExecutionError(.inputRefused(name: name, detail: "another input already placed '\(name)'"))
        }
        guard rename(plain, target) == 0 else {
            throw ExecutionError(.inputRefused(name: name, detail: "cannot move into the work directory"))
        }
    }

    /// The compression of a tar archive (`.none` for a plain tar), or nil when the file is no tar archive.
    static func archiveCompression(of path: String) throws(TransferError) -> Compression? {
        let head = try Self.prefix(of: FileSource(path: path), count: 4)
        let compression = Compression.detect(magic: head)
        var source: any ByteSource = try FileSource(path: path)
        if let codec = try compression.makeDecompressor() { source = CodecSource(source, codec: codec) }
        let header = (try? Self.prefix(of: source, count: 512)) ?? []
        guard header.count == 512, Array(header[257..<262]) == Array("ustar".utf8) else { return nil }
        return compression
    }

    private static func prefix(of source: any ByteSource, count: Int) throws(TransferError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        defer { buffer.deallocate() }
        let read = try source.readFully(into: buffer)
        return Array(buffer[..<read])
    }
}
