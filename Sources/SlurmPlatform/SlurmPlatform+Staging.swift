import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTransfer

extension SlurmPlatform {
    package func upload(
        _ upload: PlannedUpload,
        idempotencyKey: IdempotencyKey,
        resumingFrom checkpoint: UploadCheckpoint?,
        progress: @escaping @Sendable (TransferProgress) async throws -> Void
    ) async throws -> UploadedObject {
        let directory = layout.staged(for: idempotencyKey)
        let fileSystem = fileSystem
        // Copying and hashing block for the inputs' length: off the cooperative pool.
        let staged = try await Blocking.run {
            () throws -> (kind: StagedFileRecord.Kind, bytes: Int64, sha512: String) in
            try? FileManager.default.removeItem(atPath: directory)
            try Self.makeDirectory(directory)
            switch upload.source {
            case .file(let path):
                let (bytes, sha512) = try Staging.copy(path, to: directory + "/file")
                return (.file, bytes, sha512)
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
                if upload.decompress {
                    let (bytes, sha512) = try Staging.copyTree(manifest, to: directory + "/tree")
                    return (.tree, bytes, sha512)
                }
                // The job asked for the archive itself: the one case where a tar is made.
                let (bytes, sha512) = try Staging.writeArchive(
                    manifest,
                    compression: input.compression,
                    to: directory + "/file"
                )
                return (.file, bytes, sha512)
            }
        }
        try await progress(TransferProgress(bytes: staged.bytes, totalBytes: staged.bytes))
        return UploadedObject(
            name: upload.name,
            storagePath: directory,
            plaintextBytes: staged.bytes,
            sha512: staged.sha512,
            attributes: [Self.kindAttribute: staged.kind.rawValue]
        )
    }

    package func registerFile(_ object: UploadedObject, idempotencyKey: IdempotencyKey) async throws -> FileID {
        guard let kind = object.attributes[Self.kindAttribute].flatMap(StagedFileRecord.Kind.init(rawValue:)) else {
            throw PlatformError(
                .rejected(status: 400, message: "the object was not staged for Slurm"),
                retryClass: .fatal
            )
        }
        let id = Self.fileID(for: idempotencyKey)
        let record = StagedFileRecord(
            name: object.name,
            storagePath: object.storagePath,
            kind: kind,
            bytes: object.plaintextBytes,
            sha512: object.sha512,
            idempotencyKey: idempotencyKey
        )
        try await RecordFile.write(record, to: layout.fileRecord(id))
        return id
    }

    package func findFile(for object: UploadedObject, idempotencyKey: IdempotencyKey) async throws -> FileID? {
        let id = Self.fileID(for: idempotencyKey)
        let record = await RecordFile.read(StagedFileRecord.self, at: layout.fileRecord(id))
        return record?.storagePath == object.storagePath ? id : nil
    }

    /// The file id of a registration key: `f-` and 16 hex digits of its SHA-256.
    static func fileID(for key: IdempotencyKey) -> FileID { FileID("f-" + SlurmLayout.digest(key.rawValue)) }

    /// The `UploadedObject.attributes` entry naming how the input was staged.
    static let kindAttribute = "slurmStaged"

    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw PlatformError(.localFile(path: path, message: ErrorText.describe(error)), retryClass: .retryable)
        }
    }
}
