import Foundation
import InterlinkCore

extension LocalCloud {
    /// What a client sends to register an uploaded object.
    package struct FileRegistration: Hashable, Sendable {
        /// The display name.
        package var name: String
        /// The object name (`pathParts.path`).
        package var objectName: String
        /// base64 of the data key.
        package var encodedEncryptionKey: String
        /// Plaintext bytes.
        package var decryptedSize: Int64
        /// Lowercase hex SHA-512 of the plaintext.
        package var sha512: String
        /// The registration's key, stored with the record.
        package var idempotencyKey: IdempotencyKey?

        /// Creates a registration.
        package init(
            name: String,
            objectName: String,
            encodedEncryptionKey: String,
            decryptedSize: Int64,
            sha512: String,
            idempotencyKey: IdempotencyKey?
        ) {
            self.name = name
            self.objectName = objectName
            self.encodedEncryptionKey = encodedEncryptionKey
            self.decryptedSize = decryptedSize
            self.sha512 = sha512
            self.idempotencyKey = idempotencyKey
        }
    }

    /// Registers a complete object as an input file (typeId 1).
    ///
    /// Like Rescale, a second registration makes a
    /// second file: look up by key first.
    ///
    /// - Returns: The new record.
    /// - Throws: `LocalCloudError.rejected` when the object is not complete.
    package func registerFile(_ registration: FileRegistration) async throws(LocalCloudError) -> StoredFile {
        guard objects.contains(registration.objectName) else {
            throw LocalCloudError.rejected("object '\(registration.objectName)' is not uploaded")
        }
        let record = try addFile(registration, typeId: 1, relativePath: nil, job: nil)
        try await commit()
        return record
    }

    func addFile(_ registration: FileRegistration, typeId: Int, relativePath: String?, job: JobID?)
        throws(LocalCloudError) -> StoredFile
    {
        let record = StoredFile(
            id: FileID(Self.makeID()),
            name: registration.name,
            typeId: typeId,
            isUploaded: true,
            encodedEncryptionKey: registration.encodedEncryptionKey,
            pathParts: ObjectLocation(container: "local", path: registration.objectName),
            decryptedSize: registration.decryptedSize,
            fileChecksums: [StoredChecksum(hashFunction: "sha512", fileHash: registration.sha512)],
            relativePath: relativePath,
            jobId: job,
            idempotencyKey: registration.idempotencyKey,
            dateUploaded: Date()
        )
        try save(record)
        return record
    }

    /// A file record.
    ///
    /// - Throws: `LocalCloudError.notFound`.
    package func file(_ id: FileID) throws(LocalCloudError) -> StoredFile {
        if let record = files[id] { return record }
        // Registered by another instance over the same root (its jobs' outputs, say): file records never change.
        try catchUp()
        guard let record = files[id] else { throw LocalCloudError.notFound("file \(id)") }
        return record
    }

    /// The oldest file registered with this key, if any.
    package func findFile(idempotencyKey: IdempotencyKey) -> StoredFile? {
        files.values.filter { $0.idempotencyKey == idempotencyKey }.min { $0.dateUploaded < $1.dateUploaded }
    }

    /// Counts one download of a file's object (for tests: downloads served).
    package func recordDownload(of id: FileID) { downloads[id, default: 0] += 1 }

    /// Downloads served per file.
    package var downloadsServed: [FileID: Int] { downloads }

    /// Every file record.
    package var allFiles: [StoredFile] { Array(files.values) }
}
