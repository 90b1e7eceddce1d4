import Foundation
import InterlinkCore
import InterlinkCrypto
import InterlinkSystem
import InterlinkTransfer
import LocalCloud

extension LocalPlatform {
    package func download(
        _ output: RemoteOutput,
        to path: String,
        progress: @escaping @Sendable (TransferProgress) async throws -> Void
    ) async throws -> DownloadedFile {
        let record = try await Self.mapping(uncertain: false) { try await cloud.file(output.id) }
        let objectName = record.pathParts.path
        let directory = PathName.dirname(path)
        // A fixed name, replaced on the next attempt: a crash mid-download must not leave a stray file behind
        // (one runner at a time writes a run's outputs: it holds the run's lock). A name near the file system's
        // 255-byte limit gets a short one derived from it.
        let basename = PathName.basename(path)
        let temporary =
            basename.utf8.count + ".interlink-partial".utf8.count < 255
            ? directory + "/." + basename + ".interlink-partial"
            : directory + "/.interlink-partial-" + Hex.encode(SHA256.hash(data: Array(basename.utf8))).prefix(16)
        unlink(temporary)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw PlatformError(.localFile(path: directory, message: ErrorText.describe(error)))
        }
        do {
            let format = try ObjectFormat.detect(
                metadata: try cloud.objects.metadata(of: objectName),
                recordIV: nil,
                path: objectName
            )
            let objectPath = cloud.objects.path(of: objectName)
            let key = try EncryptionKey(base64: record.encodedEncryptionKey)
            let (size, sha512) = (output.bytes, output.sha512 ?? record.sha512)
            // Decrypting, hashing and writing the whole file block for its length: off the cooperative pool.
            let digest = try await Blocking.run {
                let sink = try FileSink(creating: temporary, mode: 0o644)
                let digest = try ObjectDecryptor.decrypt(
                    objectPath: objectPath,
                    key: key,
                    format: format,
                    decryptedSize: size,
                    sha512: sha512,
                    into: sink
                )
                try sink.close()
                guard rename(temporary, path) == 0 else {
                    throw PlatformError(.localFile(path: path, message: ErrorText.words(errno: errno)))
                }
                return digest
            }
            await cloud.recordDownload(of: output.id)
            try await progress(TransferProgress(bytes: output.bytes, totalBytes: output.bytes))
            return DownloadedFile(path: path, bytes: output.bytes, sha512: digest)
        } catch {
            unlink(temporary)
            switch error {
            case let error as TransferError: throw Self.platformError(error)
            case let error as LocalCloudError: throw Self.platformError(error, uncertain: false)
            default: throw error
            }
        }
    }

    package func verifyDownload(_ output: RemoteOutput, at path: String) async throws -> DownloadedFile? {
        await Self.verifyInPlace(output, at: path)
    }

    /// A file in place checked against an output's size and SHA-512 (which needs no cloud); nil when it differs.
    static func verifyInPlace(_ output: RemoteOutput, at path: String) async -> DownloadedFile? {
        // Hashing the whole file blocks for its length: off the cooperative pool.
        await Blocking.run { Self.verify(output, at: path) }
    }

    private static func verify(_ output: RemoteOutput, at path: String) -> DownloadedFile? {
        guard let stamp = FileStamp.of(path), stamp.size == output.bytes else { return nil }
        guard let source = try? FileSource(path: path) else { return nil }
        var hasher = SHA512()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            guard let count = try? source.read(into: buffer) else { return nil }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        let digest = Hex.encode(hasher.finalize())
        if let expected = output.sha512, expected.lowercased() != digest { return nil }
        return DownloadedFile(path: path, bytes: output.bytes, sha512: digest)
    }
}
