import Foundation
import InterlinkCore
import InterlinkStorage
import InterlinkTransfer
import Synchronization

extension RescalePlatform {
    /// Streams one planned upload (tar → compress → encrypt v2 → SHA-512 → multipart) to the default storage,
    /// continuing from a checkpoint when the storage still holds its parts.
    package func upload(
        _ upload: PlannedUpload,
        idempotencyKey: IdempotencyKey,
        resumingFrom checkpoint: UploadCheckpoint?,
        progress: @escaping @Sendable (TransferProgress) async throws -> Void
    ) async throws -> UploadedObject {
        let target = try await session.defaultStorage()
        let storageID = target.descriptor.id ?? ""
        if let checkpoint, let saved = MultipartUploadState.decode(checkpoint.payload), saved.storageID == storageID {
            do {
                return try await transfer(upload, state: saved, target: target, resuming: true, progress: progress)
            } catch let error as StorageError where error.errorClass == .fatal {
                logger.debug("rescale.upload.restart", metadata: ["rescale.reason": "\(error)"])
            } catch let error as TransferError {
                guard case .resumeMismatch = error.reason else { throw Self.platformError(error) }
                logger.debug("rescale.upload.restart", metadata: ["rescale.reason": "\(error)"])
            } catch is ResumeUnavailable {
                logger.debug("rescale.upload.restart", metadata: ["rescale.reason": "no chain state"])
            } catch let error as StorageError {
                throw Self.platformError(error)
            }
        }
        let objectName = ObjectNameSuffix.objectName(for: upload.name)
        let location = target.location(forObjectNamed: objectName)
        let iv = CipherBlock.random()
        let fresh = MultipartUploadState(
            storageID: storageID,
            objectName: objectName,
            registeredPath: location.registeredPath,
            encodedKey: EncryptionKey.random().base64,
            iv: iv,
            storage: MultipartCheckpoint(
                session: UploadSession(key: location.key, uploadID: nil, metadata: ObjectMetadata()),
                partSize: 0
            ),
            chains: [:]
        )
        return try await transfer(upload, state: fresh, target: target, resuming: false, progress: progress)
    }

    private struct ResumeUnavailable: Error {}

    private func transfer(
        _ upload: PlannedUpload,
        state: MultipartUploadState,
        target: StorageTarget,
        resuming: Bool,
        progress: @escaping @Sendable (TransferProgress) async throws -> Void
    ) async throws -> UploadedObject {
        let key = try Self.mapTransfer { () throws(TransferError) in try EncryptionKey(base64: state.encodedKey) }
        let log = ChainLog()
        let boxes = Mutex<ProducerBox?>(nil)
        let prepared = try prepare(upload)
        let makeSource: (Int) async throws -> ProducerSource = { first in
            guard first == 1 || state.chain(beforePart: first) != nil else { throw ResumeUnavailable() }
            let producer = try Self.mapTransfer { () throws(TransferError) in
                try prepared.makeProducer(key, state.iv, state.chain(beforePart: first))
            }
            let box = ProducerBox(producer)
            boxes.withLock { $0 = box }
            return ProducerSource(box: box, log: log)
        }
        let expected = prepared.encryptedSize
        let base = state
        let report: @Sendable (MultipartCheckpoint) async throws -> Void = { storage in
            var next = base
            next.storage = storage
            let prefix = storage.resumePartNumber - 1
            next.chains = base.chains.filter { $0.key >= prefix }.merging(log.states(from: prefix)) { $1 }
            let core = UploadCheckpoint(
                payload: try next.encoded(),
                committedBytes: storage.completedBytes
            )
            try await progress(TransferProgress(bytes: storage.completedBytes, totalBytes: expected, checkpoint: core))
        }
        var uploader = ConcurrentUploader(
            store: target.store,
            window: options.uploadWindow,
            failurePolicy: .keepForResume,
            logger: logger
        )
        if let counter = options.uploadBytesInFlight { uploader.bytesInFlight = counter }
        do {
            if options.streamedUploads {
                // Parts are streamed to their requests (as they are produced when E is known, else through a
                // one-part spool file); a retry regenerates its part from the checkpoint.
                let makeStreaming: (Int) async throws -> StreamingProducerSource = { first in
                    let source = try await makeSource(first)
                    let replay: @Sendable (Int, PartChunks) async throws -> Void = { number, chunks in
                        let chain = log.state(after: number - 1) ?? state.chain(beforePart: number)
                        let producer = try Self.mapTransfer { () throws(TransferError) in
                            try prepared.makeReplayProducer(key, state.iv, chain)
                        }
                        try await StreamingProducerSource.writeReplay(producer, part: number, into: chunks)
                    }
                    return StreamingProducerSource(
                        box: source.box,
                        log: log,
                        encryptedSize: expected,
                        replay: replay,
                        nextNumber: first
                    )
                }
                if resuming {
                    _ = try await uploader.resume(
                        from: state.storage,
                        makeStreamingSource: makeStreaming,
                        expectedBytes: expected,
                        checkpoint: report
                    )
                } else {
                    let source = try await makeStreaming(1)
                    _ = try await uploader.upload(
                        to: state.storage.session.key,
                        metadata: .streaming(iv: state.iv.base64, partSize: source.box.producer.partSize),
                        partSize: source.box.producer.partSize,
                        streamingFrom: source,
                        expectedBytes: expected,
                        checkpoint: report
                    )
                }
            } else if resuming {
                _ = try await uploader.resume(
                    from: state.storage,
                    makeSource: makeSource,
                    expectedBytes: expected,
                    checkpoint: report
                )
            } else {
                let source = try await makeSource(1)
                _ = try await uploader.upload(
                    to: state.storage.session.key,
                    metadata: .streaming(iv: state.iv.base64, partSize: source.box.producer.partSize),
                    partSize: source.box.producer.partSize,
                    from: source,
                    expectedBytes: expected,
                    checkpoint: report
                )
            }
        } catch let error as TransferError {
            if resuming { throw error }
            throw Self.platformError(error)
        } catch let error as StorageError {
            if resuming { throw error }
            throw Self.platformError(error)
        }
        guard let summary = boxes.withLock({ $0?.producer.summary }) else {
            throw PlatformError(.storage("the upload of '\(upload.name)' ended before its last part"))
        }
        return UploadedObject(
            name: upload.name,
            storagePath: state.registeredPath,
            plaintextBytes: summary.plaintextSize,
            sha512: summary.sha512,
            attributes: [
                "storageID": target.descriptor.id ?? "",
                "storageType": target.descriptor.storageType ?? "",
                "encryptionType": target.descriptor.encryptionType ?? "",
                "container": target.container,
                "encodedEncryptionKey": state.encodedKey,
            ]
        )
    }

    /// The input of an upload, resolved once: a file's size or an archive's manifest.
    struct PreparedInput: Sendable {
        let makeProducer:
            @Sendable (EncryptionKey, CipherBlock, ChainCheckpoint?) throws(TransferError) -> UploadPartProducer
        /// A producer whose next part is the one after the checkpoint, for a retry: a file seeks to the
        /// checkpoint's offset and does not hash; an archive is regenerated up to the checkpoint.
        let makeReplayProducer:
            @Sendable (EncryptionKey, CipherBlock, ChainCheckpoint?) throws(TransferError) -> UploadPartProducer
        let encryptedSize: Int64?
    }

    private func prepare(_ upload: PlannedUpload) throws -> PreparedInput {
        let partSize = options.uploadPartSize
        switch upload.source {
        case .file(let path):
            let size = try Self.mapTransfer { () throws(TransferError) in try FileSource(path: path).size }
            return PreparedInput(
                makeProducer: { key, iv, chain throws(TransferError) in
                    try UploadPartProducer.file(at: path, key: key, iv: iv, partSize: partSize, resumingFrom: chain)
                },
                makeReplayProducer: { key, iv, chain throws(TransferError) in
                    guard let chain else {
                        return try UploadPartProducer.file(at: path, key: key, iv: iv, partSize: partSize)
                    }
                    return UploadPartProducer(
                        replaying: try FileSource(path: path, offset: chain.plaintextOffset),
                        key: key,
                        from: chain,
                        partSize: partSize ?? PartSize.forPlaintextSize(size),
                        path: path
                    )
                },
                encryptedSize: PartSize.encryptedSize(plaintextSize: size)
            )
        case .archive(let input):
            let manifest: ArchiveManifest
            do {
                manifest = try ArchiveManifest.make(for: input, in: fileSystem)
            } catch {
                throw PlatformError(.localFile(path: error.path, message: error.message), retryClass: .fatal)
            }
            let tarSize = TarArchiveSource.archiveSize(of: manifest)
            let name = upload.name
            let makeProducer:
                @Sendable (EncryptionKey, CipherBlock, ChainCheckpoint?) throws(TransferError) -> UploadPartProducer = {
                    key,
                    iv,
                    chain throws(TransferError) in
                    try UploadPartProducer.archive(
                        manifest,
                        compression: input.compression,
                        key: key,
                        iv: iv,
                        partSize: partSize,
                        name: name,
                        resumingFrom: chain
                    )
                }
            return PreparedInput(
                makeProducer: makeProducer,
                makeReplayProducer: makeProducer,
                encryptedSize: input.compression == .none ? PartSize.encryptedSize(plaintextSize: tarSize) : nil
            )
        }
    }
}
