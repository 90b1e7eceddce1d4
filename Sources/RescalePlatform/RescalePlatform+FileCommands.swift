import Foundation
import InterlinkCore
import RescaleAPI

extension RescalePlatform {
    /// The user's `myLibrary` folder id (remembered for the session).
    package func libraryFolderID() async throws -> String {
        try await session.libraryFolder()
    }

    /// Registers an uploaded object in a folder (`myLibrary` when nil), with an optional description; after any
    /// doubt (a lost response, a 5xx, "already exists") it looks the file up by its unique object path and adopts it.
    ///
    /// - Parameters:
    ///   - object: The object the upload left in storage.
    ///   - folder: The folder id, or nil for `myLibrary`.
    ///   - description: The file's description, or nil.
    /// - Returns: The new file's id.
    /// - Throws: `PlatformError`; "already exists" when another file of that name is in the folder.
    package func registerUpload(_ object: UploadedObject, in folder: String?, description: String?) async throws
        -> FileID
    {
        let target: String
        if let folder { target = folder } else { target = try await session.libraryFolder() }
        do {
            return try await register(object, in: target, description: description)
        } catch let error as PlatformError
            where error.retryClass == .needsReconcile || APIFailure.isAlreadyExists(error)
        {
            if let found = try await find(object, in: target) { return found }
            throw error
        }
    }

    /// Downloads a registered file by its record: decrypts v0, v1 or v2 into `<path>.partial`, checks the size and
    /// SHA-512, then renames it onto `path`.
    ///
    /// - Parameters:
    ///   - record: The file's record (`GET /api/v3/files/{id}/` or a folder listing's item).
    ///   - path: Where the plaintext goes.
    ///   - progress: Called as bytes are written.
    /// - Returns: What was written.
    /// - Throws: `PlatformError` (a checksum mismatch is a verification error).
    package func downloadFile(
        _ record: FileRecord,
        to path: String,
        progress: @escaping @Sendable (TransferProgress) async throws -> Void
    ) async throws -> DownloadedFile {
        await session.remember([record])
        await factory.fileCredentials.expect([record])
        return try await download(Self.remoteOutput(record), to: path, progress: progress)
    }

    /// Whether `path` already holds the file the record describes (same size and SHA-512).
    package func holdsFile(_ record: FileRecord, at path: String) async throws -> Bool {
        try await verifyDownload(Self.remoteOutput(record), at: path) != nil
    }

    private static func remoteOutput(_ record: FileRecord) -> RemoteOutput {
        RemoteOutput(
            id: FileID(record.id),
            relativePath: "",
            name: record.name ?? record.id,
            bytes: record.decryptedSize?.value ?? 0,
            sha512: record.sha512
        )
    }
}
