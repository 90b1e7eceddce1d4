import InterlinkCore
import RescaleAPI

extension RescalePlatform {
    /// Registers an uploaded object in `myLibrary` with every field (§2.4); after any doubt (a lost response, a
    /// 5xx, "already exists") it looks the file up by its unique object path and adopts it.
    package func registerFile(_ object: UploadedObject, idempotencyKey: IdempotencyKey) async throws -> FileID {
        let folder = try await session.libraryFolder()
        let attributes = object.attributes
        guard let encodedKey = attributes["encodedEncryptionKey"], let storageID = attributes["storageID"],
            let storageType = attributes["storageType"]
        else {
            throw PlatformError(.rejected(status: 0, message: "the uploaded object lacks storage attributes"))
        }
        let registration = FileRegistration(
            name: object.name,
            currentFolderId: folder,
            encodedEncryptionKey: encodedKey,
            pathParts: PathParts(container: attributes["container"], path: object.storagePath),
            storageID: storageID,
            storageType: storageType,
            encryptionType: attributes["encryptionType"],
            decryptedSize: object.plaintextBytes,
            sha512: object.sha512
        )
        do {
            return FileID(try await api.registerFile(registration).id)
        } catch let error as PlatformError
            where error.retryClass == .needsReconcile || APIFailure.isAlreadyExists(error)
        {
            if let found = try await findFile(for: object, idempotencyKey: idempotencyKey) {
                logger.debug("rescale.register.adopted", metadata: ["rescale.file_id": "\(found)"])
                return found
            }
            throw error
        }
    }

    /// Finds the file registered for this object: the `myLibrary` entry whose `pathParts.path` is the object's
    /// (unique, because every object name carries a random suffix).
    package func findFile(for object: UploadedObject, idempotencyKey: IdempotencyKey) async throws -> FileID? {
        let folder = try await session.libraryFolder()
        let entries = try await api.folderContents(folder)
        return entries.first { $0.type == "file" && $0.item.pathParts?.path == object.storagePath }.map {
            FileID($0.item.id)
        }
    }
}
