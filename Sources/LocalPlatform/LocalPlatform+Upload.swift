import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTransfer
import LocalCloud

extension LocalPlatform {
    package func upload(
        _ upload: PlannedUpload,
        idempotencyKey: IdempotencyKey,
        resumingFrom checkpoint: UploadCheckpoint?,
        progress: @escaping @Sendable (TransferProgress) async throws -> Void
    ) async throws -> UploadedObject {
        if let state = resumableState(checkpoint) {
            do {
                return try await send(upload, state: state, progress: progress)
            } catch let error as TransferError {
                guard case .resumeMismatch = error.reason else { throw Self.platformError(error) }
                // The input changed since the checkpoint: start a new object.
            }
        }
        let fresh = UploadState(
            objectName: ObjectDirectory.objectName(for: upload.name),
            key: EncryptionKey.random().base64,
            iv: CipherBlock.random(),
            partSize: partSize ?? 0,
            chain: nil
        )
        do {
            return try await send(upload, state: fresh, progress: progress)
        } catch let error as TransferError {
            throw Self.platformError(error)
        }
    }

    /// The checkpoint's state when the object it names still holds every byte it claims: an unfinished upload at
    /// least as long as the chain position, or, after the final part, the complete object of exactly that size.
    private func resumableState(_ checkpoint: UploadCheckpoint?) -> UploadState? {
        guard let checkpoint,
            let state = try? JSONDecoder().decode(UploadState.self, from: Data(checkpoint.payload.utf8)),
            let chain = state.chain
        else { return nil }
        if let stored = cloud.objects.uploadedSize(of: state.objectName), stored >= chain.ciphertextOffset {
            return state
        }
        if state.sha512 != nil, cloud.objects.size(of: state.objectName) == chain.ciphertextOffset {
            return state
        }
        return nil
    }

    /// Streams the upload from the state's chain position, reporting a checkpoint after each stored part.
    private func send(
        _ upload: PlannedUpload,
        state: UploadState,
        progress: @escaping @Sendable (TransferProgress) async throws -> Void
    ) async throws -> UploadedObject {
        let key = try EncryptionKey(base64: state.key)
        let producer = try makeProducer(upload, key: key, iv: state.iv, partSize: state.partSize, chain: state.chain)
        var state = state
        state.partSize = producer.partSize
        var offset = state.chain?.ciphertextOffset ?? 0
        let objects = cloud.objects
        while let part = try await producer.nextPart() {
            let (bytes, name, start) = (part.bytes, state.objectName, offset)
            try await Self.mapping(uncertain: false) {
                // The write and its fsync block: off the cooperative pool.
                try await Blocking.run { () throws(LocalCloudError) in try objects.writePart(bytes, of: name, at: start)
                }
            }
            offset += Int64(part.bytes.count)
            state.chain = part.checkpoint
            // The final part's checkpoint too: if completion is lost in a crash, the resume adopts this object.
            state.sha512 = part.isLast ? producer.summary?.sha512 : nil
            let payload = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
            let checkpoint = UploadCheckpoint(payload: payload, committedBytes: offset)
            try await progress(TransferProgress(bytes: offset, totalBytes: nil, checkpoint: checkpoint))
        }
        // Resumed from the final part's checkpoint, the producer regenerated every part without handing one out
        // and proved the input unchanged (same chain state, hence same size and SHA-512) before getting here.
        guard let summary = producer.summary, summary.ciphertextSize == offset else {
            throw PlatformError(.storage("the upload of '\(upload.name)' ended without its last part"))
        }
        if let recorded = state.sha512, recorded != summary.sha512 {
            throw TransferError(path: upload.name, reason: .resumeMismatch("the input's SHA-512 changed"))
        }
        try await Self.mapping(uncertain: false) {
            if cloud.objects.size(of: state.objectName) != offset {
                try cloud.objects.complete(state.objectName, metadata: producer.metadata.pairs)
            }
            // Also when the object was in place already: a runner killed between its move and the directory's
            // sync left a move that a power cut could still undo. One sync shared with concurrent uploads.
            try await cloud.objects.syncDirectory()
        }
        return UploadedObject(
            name: upload.name,
            storagePath: state.objectName,
            plaintextBytes: summary.plaintextSize,
            sha512: summary.sha512,
            attributes: [Self.keyAttribute: state.key]
        )
    }

    private func makeProducer(
        _ upload: PlannedUpload,
        key: EncryptionKey,
        iv: CipherBlock,
        partSize: Int,
        chain: ChainCheckpoint?
    ) throws -> UploadPartProducer {
        let size = partSize > 0 ? partSize : nil
        switch upload.source {
        case .archive(let input):
            let manifest: ArchiveManifest
            do {
                manifest = try ArchiveManifest.make(for: input, in: fileSystem)
            } catch {
                throw PlatformError(
                    .localFile(path: input.directory, message: ErrorText.describe(error)),
                    retryClass: .fatal
                )
            }
            return try UploadPartProducer.archive(
                manifest,
                compression: input.compression,
                key: key,
                iv: iv,
                partSize: size,
                name: upload.name,
                resumingFrom: chain
            )
        case .file(let path):
            return try UploadPartProducer.file(at: path, key: key, iv: iv, partSize: size, resumingFrom: chain)
        }
    }
}
