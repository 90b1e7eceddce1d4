import Foundation
import InterlinkCore
import RescaleAPI

/// One local file about to be uploaded into a folder, with the checkpoint an interrupted upload of it left.
package struct LocalFileUpload: Sendable {
    /// The file's absolute path.
    package var path: String
    /// Its size in bytes.
    package var size: Int64
    /// The target folder id, or nil for `myLibrary`.
    package var folder: String?
    /// Where its checkpoint is kept.
    package var checkpointPath: String
    /// The checkpoint of an interrupted upload of the same file (same size and modification time), if any.
    package var saved: UploadCheckpoint?

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
            checkpointPath: checkpointPath,
            saved: checkpoints.load(checkpointPath)
        )
    }

    /// Uploads a local file (encrypted, multipart, continuing from its checkpoint) and registers it in its folder;
    /// the checkpoint is saved as parts complete and removed once the object is complete.
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
        let object = try await self.upload(
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
                if let checkpoint = report.checkpoint { try checkpoints.save(checkpoint, to: checkpointPath) }
                progress(report.bytes, report.totalBytes)
            }
        )
        // The object is complete: its multipart upload is gone, so the checkpoint could not resume anything (a
        // registration refused because the name is taken must not make the next attempt say "resumed").
        checkpoints.remove(checkpointPath)
        return try await registerUpload(object, in: upload.folder, description: description)
    }
}
