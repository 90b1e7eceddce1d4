import Foundation
import InterlinkCore
import InterlinkCrypto
import InterlinkStorage
import InterlinkSystem
import InterlinkTransfer
import RescaleAPI

extension RescalePlatform {
    /// Every output of a job (all pages of `GET /api/v2/jobs/{id}/files/`), remembered for the downloads.
    package func listOutputs(of job: JobID) async throws -> [RemoteOutput] {
        let records = try await api.jobOutputs(job.rawValue).filter { $0.isUploaded != false && $0.isDeleted != true }
        await session.remember(records)
        await factory.fileCredentials.expect(records)
        return records.map { record in
            RemoteOutput(
                id: FileID(record.id),
                relativePath: record.relativePath ?? "",
                name: record.name ?? record.id,
                bytes: record.decryptedSize?.value ?? 0,
                sha512: record.sha512
            )
        }
    }

    /// Downloads an output: HEAD, format detection, key probe, concurrent ranged reads decrypted in order into
    /// `<path>.partial`, size and SHA-512 verified, then renamed onto `path`.
    ///
    /// An earlier attempt's `<path>.partial` is resumed: its whole ranges are kept (their plaintext hashed again),
    /// and the reads start at the first missing range, a CBC chain restarting from the ciphertext block before it.
    /// When the finished file does not verify after a resume, the download starts over once from the first byte.
    package func download(
        _ output: RemoteOutput,
        to path: String,
        progress: @escaping @Sendable (TransferProgress) async throws -> Void
    ) async throws -> DownloadedFile {
        let record = try await session.record(output.id.rawValue)
        guard let encodedKey = record.encodedEncryptionKey, let objectPath = record.objectPath, !objectPath.isEmpty
        else {
            throw PlatformError(.notFound("storage location of file '\(output.id)'"), retryClass: .fatal)
        }
        let descriptor: StorageDescriptor
        if let own = record.storage, own.storageType != nil {
            descriptor = own
        } else {
            guard let fallback = try await session.currentProfile().defaultStorage else {
                throw PlatformError(.storage("no storage for file '\(output.id)'"), retryClass: .fatal)
            }
            descriptor = fallback
        }
        let target = try factory.target(for: descriptor, file: record)
        let objectKey = ObjectKey(objectPath.hasPrefix("/") ? String(objectPath.drop { $0 == "/" }) : objectPath)
        let size = record.decryptedSize?.value ?? output.bytes
        let expectedSHA = record.sha512 ?? output.sha512
        do {
            let key = try Self.mapTransfer { () throws(TransferError) in try EncryptionKey(base64: encodedKey) }
            let properties = try await target.store.properties(of: objectKey)
            var metadata: [String: String] = [:]
            for entry in properties.metadata.entries { metadata[entry.name] = entry.value }
            let format = try Self.mapTransfer { () throws(TransferError) in
                try ObjectFormat.detect(metadata: metadata, recordIV: record.iv, path: output.name)
            }
            let layout: DownloadLayout
            switch format {
            case .v0(let iv), .v2(let iv, _):
                try await probe(target, objectKey, size: properties.size, key: key, iv: iv, name: output.name)
                layout = .chained(iv: iv, rangeSize: DownloadLayout.rangeSize)
            case .v1(let fileID, let partSize):
                let parts = V1PartDecryptor(key: key, fileID: fileID, partSize: partSize, path: output.name)
                layout = .perPart(parts, rangeSize: DownloadLayout.rangeSize)
            }
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            let fresh = DownloadCheckpoint(
                key: objectKey,
                objectSize: properties.size,
                etag: properties.etag,
                rangeSize: layout.rangeSize,
                rangesDone: 0,
                bytesWritten: 0
            )
            let partial = PartialFile.partialPath(for: path)
            var resumable = await withTaskExecutorPreference(BlockingExecutor.shared) {
                Self.completeRanges(in: partial, layout: layout, rangeCount: fresh.rangeCount)
            }
            while true {
                var start = fresh
                start.rangesDone = resumable
                start.bytesWritten = layout.plaintext(before: resumable)
                let decryptor = try await streamDecryptor(
                    layout,
                    key: key,
                    resumingAt: start,
                    partial: partial,
                    target: target,
                    name: output.name
                )
                var consumer = DecryptingConsumer(
                    decryptor: decryptor,
                    expectedSize: size,
                    expectedSHA512: expectedSHA,
                    path: path
                )
                // One range read ahead beyond the window: memory is about (W + 1) × 8 MiB per file, not 2W × S.
                let downloader = ConcurrentDownloader(
                    store: target.store,
                    window: options.downloadWindow,
                    readAhead: options.downloadWindow + 1,
                    logger: logger
                )
                if resumable > 0 {
                    logger.debug(
                        "rescale.download.resume",
                        metadata: ["file.id": "\(output.id)", "download.bytes_kept": "\(start.bytesWritten)"]
                    )
                }
                do {
                    // Decrypting, hashing, writing and fsyncing each range block: off the cooperative pool. The
                    // file is not preallocated, so that its length after an interruption is what was written.
                    _ = try await withTaskExecutorPreference(BlockingExecutor.shared) {
                        try await downloader.download(
                            start,
                            to: path,
                            consumer: &consumer,
                            checkpoint: { state in
                                try await progress(TransferProgress(bytes: state.bytesWritten, totalBytes: size))
                            }
                        )
                    }
                } catch let error as TransferError where resumable > 0 && error.isVerificationFailure {
                    // The kept prefix was not this file's: start over from the first byte.
                    resumable = 0
                    continue
                }
                return DownloadedFile(path: path, bytes: size, sha512: consumer.sha512 ?? "")
            }
        } catch let error as StorageError {
            throw Self.platformError(error)
        } catch let error as TransferError {
            throw Self.platformError(error)
        }
    }

    /// The key check before a large download: the last 32 bytes (or the whole small object) must end in valid padding.
    private func probe(
        _ target: StorageTarget,
        _ key: ObjectKey,
        size: Int64,
        key dataKey: EncryptionKey,
        iv: CipherBlock,
        name: String
    ) async throws {
        guard size >= 16, size.isMultiple(of: 16) else {
            throw Self.platformError(TransferError(path: name, reason: .truncatedCiphertext(length: size)))
        }
        let range = KeyProbe.range(encryptedSize: size)
        let tail = try await target.store.read(key, range: range.lowerBound...(range.upperBound - 1))
        try Self.mapTransfer { () throws(TransferError) in
            try KeyProbe.check(
                tail: Array(tail.readableBytesView),
                encryptedSize: size,
                key: dataKey,
                iv: iv,
                path: name
            )
        }
    }

    /// Whether `path` already holds this output: same size and, when known, the same SHA-512.
    package func verifyDownload(_ output: RemoteOutput, at path: String) async throws -> DownloadedFile? {
        // Hashing the whole file blocks for its length: off the cooperative pool.
        try await withTaskExecutorPreference(BlockingExecutor.shared) { try await Self.verify(output, at: path) }
    }

    private static func verify(_ output: RemoteOutput, at path: String) async throws -> DownloadedFile? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            (attributes[.type] as? FileAttributeType) == .typeRegular,
            let size = (attributes[.size] as? NSNumber)?.int64Value, size == output.bytes,
            let handle = FileHandle(forReadingAtPath: path)
        else { return nil }
        defer { try? handle.close() }
        var hasher = SHA512()
        while true {
            try Task.checkCancellation()
            guard let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty else { break }
            hasher.update(data: chunk)
        }
        let digest = Hex.encode(hasher.finalize())
        if let expected = output.sha512, expected.lowercased() != digest { return nil }
        return DownloadedFile(path: path, bytes: size, sha512: digest)
    }
}
