import Foundation
import InterlinkCore
import InterlinkCrypto
import InterlinkTransfer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The blocking file work of staging inputs and placing them in a job's work directory; callers run it off the
/// cooperative pool.
enum Staging {
    /// A sink that hashes what it writes to a file.
    final class HashingSink: ByteSink {
        let file: FileSink
        var hasher = SHA512()
        var bytes: Int64 = 0

        init(_ path: String, mode: UInt32) throws(TransferError) { file = try FileSink(creating: path, mode: mode) }

        func write(_ buffer: UnsafeRawBufferPointer) throws(TransferError) {
            hasher.update(bufferPointer: buffer)
            bytes += Int64(buffer.count)
            try file.write(buffer)
        }
    }

    /// Copies one file, hashing it in the same pass.
    ///
    /// - Returns: Its size and lowercase hex SHA-512.
    static func copy(_ source: String, to target: String, mode: UInt32 = 0o644) throws -> (Int64, String) {
        do {
            let sink = try HashingSink(target, mode: mode)
            try FileSource(path: source).copy(to: sink)
            try sink.file.close()
            return (sink.bytes, Hex.encode(sink.hasher.finalize()))
        } catch {
            throw PlatformError(.localFile(path: source, message: error.description), retryClass: .fatal)
        }
    }

    /// Copies the files an archive input names into a tree, as the archive would unpack.
    ///
    /// - Returns: The files' total size and the SHA-512 of the listing (each file's name, size and SHA-512).
    static func copyTree(_ manifest: ArchiveManifest, to root: String) throws -> (Int64, String) {
        try SlurmPlatform.makeDirectory(root)
        var listing = ""
        var total: Int64 = 0
        for entry in manifest.entries {
            let target = root + "/" + entry.name
            switch entry.kind {
            case .directory:
                try SlurmPlatform.makeDirectory(target)
            case .symlink(let destination):
                try SlurmPlatform.makeDirectory(PathName.dirname(target))
                guard symlink(destination, target) == 0 else {
                    throw PlatformError(
                        .localFile(path: target, message: ErrorText.words(errno: errno)),
                        retryClass: .fatal
                    )
                }
            case .file:
                try SlurmPlatform.makeDirectory(PathName.dirname(target))
                let (bytes, sha512) = try copy(entry.sourcePath, to: target, mode: entry.mode & 0o7777)
                total += bytes
                listing += "\(entry.name)\t\(bytes)\t\(sha512)\n"
            }
        }
        return (total, Hex.encode(SHA512.hash(data: Array(listing.utf8))))
    }

    /// Writes the archive a job asked to receive as a file (its input has `decompress: false`).
    static func writeArchive(_ manifest: ArchiveManifest, compression: Compression, to target: String) throws
        -> (Int64, String)
    {
        do {
            let sink = try HashingSink(target, mode: 0o644)
            var source: any ByteSource = TarArchiveSource(manifest: manifest)
            if let codec = try compression.makeCompressor() { source = CodecSource(source, codec: codec) }
            try source.copy(to: sink)
            try sink.file.close()
            return (sink.bytes, Hex.encode(sink.hasher.finalize()))
        } catch {
            throw PlatformError(.localFile(path: target, message: error.description), retryClass: .fatal)
        }
    }

    /// Places one staged input in a work directory: a tree's files by hard link (a copy across file systems), a
    /// file under its name, unpacked when it is a tar archive and `decompress` is on (as the other platforms do).
    static func place(_ record: StagedFileRecord, decompress: Bool, into work: String) throws {
        switch record.kind {
        case .tree:
            try linkTree(record.storagePath + "/tree", into: work)
        case .file:
            let staged = record.storagePath + "/file"
            if decompress, let compression = try archiveCompression(of: staged) {
                do {
                    var source: any ByteSource = try FileSource(path: staged)
                    if let codec = try compression.makeDecompressor() { source = CodecSource(source, codec: codec) }
                    try TarExtractor(into: work).extract(from: source)
                } catch {
                    throw PlatformError(
                        .verification("input '\(record.name)': \(error.description)"),
                        retryClass: .fatal
                    )
                }
                return
            }
            let name = record.name
            guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
                throw PlatformError(
                    .rejected(status: 400, message: "input '\(name)' is not a plain file name"),
                    retryClass: .fatal
                )
            }
            try link(staged, to: work + "/" + name)
        }
    }

    private static func linkTree(_ root: String, into work: String) throws {
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: root) else { return }
        while let relative = enumerator.nextObject() as? String {
            let source = root + "/" + relative
            let target = work + "/" + relative
            var info = stat()
            guard lstat(source, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: try SlurmPlatform.makeDirectory(target)
            case S_IFLNK:
                let destination = try manager.destinationOfSymbolicLink(atPath: source)
                _ = symlink(destination, target)
            case S_IFREG: try link(source, to: target)
            default: continue
            }
        }
    }

    /// A hard link, or a copy when the two paths are on different file systems.
    private static func link(_ source: String, to target: String) throws {
        try SlurmPlatform.makeDirectory(PathName.dirname(target))
        if Glibc.link(source, target) == 0 { return }
        if errno == EEXIST { unlink(target) }
        if Glibc.link(source, target) == 0 { return }
        var info = stat()
        _ = stat(source, &info)
        _ = try copy(source, to: target, mode: UInt32(info.st_mode) & 0o7777)
    }

    /// The compression of a tar archive, or nil when the file is no tar archive.
    private static func archiveCompression(of path: String) throws -> Compression? {
        do {
            let head = try prefix(of: FileSource(path: path), count: 4)
            let compression = Compression.detect(magic: head)
            var source: any ByteSource = try FileSource(path: path)
            if let codec = try compression.makeDecompressor() { source = CodecSource(source, codec: codec) }
            let header = (try? prefix(of: source, count: 512)) ?? []
            guard header.count == 512, Array(header[257..<262]) == Array("ustar".utf8) else { return nil }
            return compression
        } catch {
            throw PlatformError(.localFile(path: path, message: error.description), retryClass: .fatal)
        }
    }

    private static func prefix(of source: any ByteSource, count: Int) throws(TransferError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        defer { buffer.deallocate() }
        let read = try source.readFully(into: buffer)
        return Array(buffer[..<read])
    }
}

extension Staging {
    /// The size and lowercase hex SHA-512 of a file.
    static func hash(_ path: String) throws -> (Int64, String) {
        let source = try FileSource(path: path)
        var hasher = SHA512()
        var total: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try source.read(into: buffer)
            if count == 0 { break }
            total += Int64(count)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        return (total, Hex.encode(hasher.finalize()))
    }
}
