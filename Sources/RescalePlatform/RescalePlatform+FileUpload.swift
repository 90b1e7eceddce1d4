import Foundation
import InterlinkCore
import InterlinkStorage
import InterlinkSystem
import InterlinkTransfer
import RescaleAPI

/// One local file about to be uploaded into a folder, with the checkpoint an interrupted upload of it left.
package struct LocalFileUpload: Sendable {
    /// The file's absolute path.
    package var path: String
    /// Its size in bytes.
    package var size: Int64
    /// The target folder id, or nil for `myLibrary`.
    package var folder: String?
    /// The file as the upload reads it (its modification time included) and the platform, saved with the
    /// checkpoint so that one left by a changed file can be pruned.
    package var source: UploadSource
    /// Where its checkpoint is kept.
    package var checkpointPath: String
    /// The checkpoint of an interrupted upload of the same file (same size and modification time), if any.
    package var saved: UploadCheckpoint?
    /// The complete object an earlier attempt left unregistered (its registration refused or lost), if any: it is
    /// registered without sending the file again, if storage still holds it.
    package var uploaded: UploadedObject?

    /// Whether the upload continues an interrupted one.
    package var isResumed: Bool { saved != nil }
}

extension RescalePlatform {
    /// Looks up the checkpoint of an earlier, interrupted upload of a file (`files upload`, `folders upload` and
    /// the web UI's Files tab).
    ///
    /// - Parameters:
    ///   - path: The local file's absolute path (a readable regular file: the caller checks).
    ///   - size: Its size in bytes.
    ///   - modified: Its modification time.
    ///   - folder: The target folder id, or nil for `myLibrary`.
    ///   - checkpoints: Where checkpoints are kept.
    /// - Returns: The upload to run.
    package func prepareUpload(
        ofFile path: String,
        size: Int64,
        modified: Date,
        to folder: String?,
        checkpoints: UploadCheckpointStore
    ) -> LocalFileUpload {
        let checkpointPath = checkpoints.path(
            platform: api.baseURL.description,
            folder: folder,
            file: path,
            size: size,
            modified: modified
        )
        return LocalFileUpload(
            path: path,
            size: size,
            folder: folder,
            source: UploadSource(platform: api.baseURL.description, path: path, size: size, modified: modified),
            checkpointPath: checkpointPath,
            saved: checkpoints.load(checkpointPath),
            uploaded: checkpoints.loadUploaded(forCheckpoint: checkpointPath)
        )
    }

    /// Uploads a local file (encrypted, multipart, continuing from its checkpoint) and registers it in its folder.
    ///
    /// The checkpoint is saved as parts complete and replaced by the object's record once the object is complete,
    /// which is removed once it is registered. An object an earlier attempt left unregistered is registered without
    /// sending the file again, if storage still holds it whole.
    ///
    /// - Parameters:
    ///   - upload: The prepared upload.
    ///   - description: The file's description, or nil.
    ///   - checkpoints: Where checkpoints are kept.
    ///   - progress: Called with the bytes sent so far and the total, when known.
    /// - Returns: The new file's id.
    /// - Throws: `PlatformError` from the platform; `SystemError` when a checkpoint cannot be written.
    package func uploadFile(
        _ upload: LocalFileUpload,
        description: String?,
        checkpoints: UploadCheckpointStore,
        progress: @escaping @Sendable (_ bytes: Int64, _ total: Int64?) -> Void
    ) async throws -> FileID {
        let name = PathName.basename(upload.path)
        let checkpointPath = upload.checkpointPath
        let uploadedPath = checkpoints.uploadedPath(forCheckpoint: checkpointPath)
        var object: UploadedObject
        if let kept = upload.uploaded, try await isInStorage(kept) {
            object = kept
        } else {
            checkpoints.remove(uploadedPath)
            object = try await self.upload(
                PlannedUpload(
                    name: name,
                    source: .file(path: upload.path),
                    decompress: false,
                    fileCount: 1,
                    bytes: upload.size
                ),
                idempotencyKey: IdempotencyKey("files/upload/\(checkpointPath)"),
                resumingFrom: upload.saved,
                progress: { report in
                    if let checkpoint = report.checkpoint {
                        try checkpoints.save(checkpoint, of: upload.source, to: checkpointPath)
                    }
                    progress(report.bytes, report.totalBytes)
                }
            )
            // The object is complete: it is kept until registered (a refused or lost registration does not send
            // the file again), and the checkpoint goes, since its multipart upload is gone.
            try checkpoints.saveUploaded(object, of: upload.source, forCheckpoint: checkpointPath)
            checkpoints.remove(checkpointPath)
        }
        progress(upload.size, upload.size)
        let id = try await registerUpload(object, in: upload.folder, description: description)
        checkpoints.remove(uploadedPath)
        return id
    }

    /// Removes the checkpoints and kept objects no upload can use any more (``UploadCheckpointStore/prune(platform:now:maxAge:)``)
    /// and aborts the multipart uploads of the removed checkpoints, so their parts stop taking (billed) storage.
    ///
    /// Best effort: an abort that fails is logged and the checkpoint is gone all the same (a storage lifecycle rule
    /// is the last resort). Run before a command's uploads (`files upload`, `folders upload`, the web UI's Files tab).
    ///
    /// - Parameters:
    ///   - checkpoints: Where checkpoints are kept.
    ///   - now: The current time.
    /// - Returns: What was removed, and how many multipart uploads were aborted.
    @discardableResult
    package func pruneUploadCheckpoints(
        _ checkpoints: UploadCheckpointStore,
        now: Date = Date()
    ) async -> (pruned: UploadCheckpointStore.Pruned, aborted: Int) {
        let platform = api.baseURL.description
        let pruned = await Blocking.run { checkpoints.prune(platform: platform, now: now) }
        var aborted = 0
        for checkpoint in pruned.checkpoints where await abandonUpload(checkpoint) { aborted += 1 }
        if !pruned.names.isEmpty {
            logger.debug(
                "rescale.upload.pruned",
                metadata: ["rescale.files": "\(pruned.names.count)", "rescale.aborted": "\(aborted)"]
            )
        }
        return (pruned, aborted)
    }

    /// Aborts the multipart upload a checkpoint names, if it is in the default storage.
    ///
    /// - Returns: Whether storage was asked to abort it (a missing upload counts as aborted).
    func abandonUpload(_ checkpoint: UploadCheckpoint) async -> Bool {
        guard let state = MultipartUploadState.decode(checkpoint.payload), state.storage.session.uploadID != nil
        else { return false }
        do {
            let target = try await session.defaultStorage()
            guard state.storageID == target.descriptor.id ?? "" else { return false }
            try await target.store.abortUpload(state.storage.session)
            return true
        } catch {
            logger.debug("rescale.upload.abort_failed", metadata: ["rescale.reason": "\(error)"])
            return false
        }
    }

    /// Whether the default storage still holds a kept object whole: its ciphertext size, as a HEAD reports it.
    ///
    /// - Throws: `PlatformError` when storage cannot say (a missing object is `false`, not an error).
    func isInStorage(_ object: UploadedObject) async throws -> Bool {
        let target = try await session.defaultStorage()
        guard object.attributes["storageID"] == target.descriptor.id ?? "" else { return false }
        let location = target.location(forObjectNamed: PathName.basename(object.storagePath))
        guard location.registeredPath == object.storagePath else { return false }
        do {
            let properties = try await target.store.properties(of: location.key)
            return properties.size == PartSize.encryptedSize(plaintextSize: object.plaintextBytes)
        } catch let error as StorageError {
            if case .service(let status, _, _) = error.reason, status == 404 { return false }
            throw Self.platformError(error)
        }
    }
}
