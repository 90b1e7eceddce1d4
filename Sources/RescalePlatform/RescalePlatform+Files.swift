import Foundation
import InterlinkCore
import InterlinkCrypto
import RescaleAPI

extension RescalePlatform {
    /// Registers an uploaded object in `myLibrary` with every field; after any doubt (a lost response, a
    /// 5xx, "already exists") it looks the file up by its unique object path and adopts it.
    ///
    /// The platform refuses a second file of the same name in a folder. When the name is taken by a file that is
    /// not this upload (an earlier run's `Run_1.tar`, or another job's `solver.tar`), the file is registered under
    /// its own name in a folder of its own, `interlink-<hash>` in `myLibrary`, named after the key and the upload's
    /// object: the job sees the name the workflow gave, the folder is found again by name on resume, and a later
    /// upload of the same input (its contents changed once more) gets a folder of its own instead of a conflict.
    package func registerFile(_ object: UploadedObject, idempotencyKey: IdempotencyKey) async throws -> FileID {
        let library = try await session.libraryFolder()
        do {
            return try await register(object, in: library)
        } catch let error as PlatformError
            where error.retryClass == .needsReconcile || APIFailure.isAlreadyExists(error)
        {
            if let found = try await findFile(for: object, idempotencyKey: idempotencyKey) {
                logger.debug("rescale.register.adopted", metadata: ["rescale.file_id": "\(found)"])
                return found
            }
            guard APIFailure.isAlreadyExists(error) else { throw error }
        }
        let folder = try await ownFolder(for: object, idempotencyKey: idempotencyKey, in: library)
        do {
            return try await register(object, in: folder)
        } catch let error as PlatformError
            where error.retryClass == .needsReconcile || APIFailure.isAlreadyExists(error)
        {
            if let found = try await find(object, in: folder) { return found }
            throw error
        }
    }

    /// Finds the file registered for this object: the entry of `myLibrary`, or of the upload's own folder there,
    /// whose `pathParts.path` is the object's (unique, because every object name carries a random suffix).
    package func findFile(for object: UploadedObject, idempotencyKey: IdempotencyKey) async throws -> FileID? {
        let library = try await session.libraryFolder()
        let entries = try await api.folderContents(library)
        if let found = Self.match(object, in: entries) { return found }
        let name = Self.folderName(for: object, idempotencyKey: idempotencyKey)
        guard let folder = entries.first(where: { $0.type == "folder" && $0.item.name == name }) else { return nil }
        return try await find(object, in: folder.item.id)
    }

    /// The name of an upload's own folder: `interlink-` and 12 hex digits of SHA-256 of the key and the object's
    /// storage path (unique per upload: every object name carries a random suffix).
    static func folderName(for object: UploadedObject, idempotencyKey key: IdempotencyKey) -> String {
        let digest = SHA256.hash(data: Data((key.rawValue + "\n" + object.storagePath).utf8))
        return "interlink-" + digest.prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    /// Registers an uploaded object in a folder, with an optional description.
    func register(_ object: UploadedObject, in folder: String, description: String? = nil) async throws -> FileID {
        let record = try await registerRecord(object, in: folder, description: description)
        return FileID(record.id)
    }

    /// Registers an uploaded object in a folder and returns the platform's record.
    func registerRecord(_ object: UploadedObject, in folder: String, description: String?) async throws -> FileRecord {
        let attributes = object.attributes
        guard let encodedKey = attributes["encodedEncryptionKey"], let storageID = attributes["storageID"],
            let storageType = attributes["storageType"]
        else {
            throw PlatformError(.rejected(status: 0, message: "the uploaded object lacks storage attributes"))
        }
        var registration = FileRegistration(
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
        registration.description = description
        return try await api.registerFile(registration)
    }

    func find(_ object: UploadedObject, in folder: String) async throws -> FileID? {
        Self.match(object, in: try await api.folderContents(folder))
    }

    private static func match(_ object: UploadedObject, in entries: [FolderEntry]) -> FileID? {
        entries.first { $0.type == "file" && $0.item.pathParts?.path == object.storagePath }.map { FileID($0.item.id) }
    }

    /// The upload's own folder in `library`, created when missing; a create in doubt is settled by listing.
    private func ownFolder(for object: UploadedObject, idempotencyKey key: IdempotencyKey, in library: String)
        async throws -> String
    {
        let name = Self.folderName(for: object, idempotencyKey: key)
        func existing() async throws -> String? {
            try await api.folderContents(library).first { $0.type == "folder" && $0.item.name == name }?.item.id
        }
        if let folder = try await existing() { return folder }
        do {
            return try await api.createFolder(named: name, in: library)
        } catch let error as PlatformError
            where error.retryClass == .needsReconcile || APIFailure.isAlreadyExists(error)
        {
            if let folder = try await existing() { return folder }
            throw error
        }
    }
}
