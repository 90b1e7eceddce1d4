/// A file record (`GET /api/v3/files/{id}/`, list items, job outputs).
///
/// Every field is optional: the client reads what it needs and ignores the rest.
package struct FileRecord: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The file id.
    package var id: String
    /// The display name.
    package var name: String?
    /// The file type: 1 input, 5 output, and so on.
    package var typeId: Int?
    /// Whether all bytes are stored.
    package var isUploaded: Bool?
    /// Soft-deleted (v2-era field).
    package var isDeleted: Bool?
    /// base64 AES key; never logged (``description`` hides it).
    package var encodedEncryptionKey: String?
    /// The IV some platform uploads carry; object metadata wins.
    package var iv: String?
    /// Where the object is.
    package var pathParts: PathParts?
    /// Legacy full path, used when `pathParts.path` is empty.
    package var path: String?
    /// The storage holding it.
    package var storage: StorageDescriptor?
    /// Plaintext size.
    package var decryptedSize: LenientInt64?
    /// Checksums of the plaintext.
    package var fileChecksums: [FileChecksum]?
    /// For outputs: the path under the run root.
    package var relativePath: String?
    /// When it was uploaded.
    package var dateUploaded: String?

    /// Creates a record with an id; other fields start empty.
    package init(id: String, name: String? = nil) {
        self.id = id
        self.name = name
    }

    /// The object's location: `pathParts.path`, else the legacy `path`.
    package var objectPath: String? {
        if let path = pathParts?.path, !path.isEmpty { return path }
        return path.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The SHA-512 checksum, accepting `sha512`, `SHA-512` and `SHA512` as the function name; lowercase hex.
    package var sha512: String? {
        fileChecksums?.first { checksum in
            let name = (checksum.hashFunction ?? "").lowercased().replacingOccurrences(of: "-", with: "")
            return name == "sha512"
        }?.fileHash?.lowercased()
    }

    /// The id and name only: the key is never shown.
    package var description: String { "FileRecord(\(id), '\(name ?? "")')" }
}

/// One `{hashFunction, fileHash}` entry.
package struct FileChecksum: Codable, Hashable, Sendable {
    /// `sha512` (or a spelling variant).
    package var hashFunction: String?
    /// Hex digest.
    package var fileHash: String?

    /// Creates a checksum entry.
    package init(hashFunction: String, fileHash: String) {
        self.hashFunction = hashFunction
        self.fileHash = fileHash
    }
}

/// The body of `POST /api/v3/files/` exactly as the platform expects it.
package struct FileRegistration: Encodable, Hashable, Sendable {
    /// 1 = input.
    package var typeId = 1
    /// The display name.
    package var name: String
    /// The folder to put it in (default `myLibrary`).
    package var currentFolderId: String?
    /// base64 of the 32-byte key.
    package var encodedEncryptionKey: String
    /// `{container, path}`.
    package var pathParts: PathParts
    /// The storage, with an all-empty `connectionSettings` as Interlink sends.
    package var storage: StorageDescriptor
    /// Always true: registration happens after every byte is committed.
    package var isUploaded = true
    /// Plaintext bytes.
    package var decryptedSize: Int64
    /// `[{"hashFunction": "sha512", "fileHash": …}]`.
    package var fileChecksums: [FileChecksum]
    /// A description the platform shows with the file; left out of the body when nil.
    package var description: String?

    /// Creates a registration.
    package init(
        name: String,
        currentFolderId: String?,
        encodedEncryptionKey: String,
        pathParts: PathParts,
        storageID: String,
        storageType: String,
        encryptionType: String?,
        decryptedSize: Int64,
        sha512: String
    ) {
        self.name = name
        self.currentFolderId = currentFolderId
        self.encodedEncryptionKey = encodedEncryptionKey
        self.pathParts = pathParts
        self.storage = StorageDescriptor(
            id: storageID,
            storageType: storageType,
            encryptionType: encryptionType,
            connectionSettings: ConnectionSettings(
                region: "",
                container: "",
                pathBase: "",
                pathPartsBase: "",
                accountName: "",
                storageAccount: ""
            )
        )
        self.decryptedSize = decryptedSize
        self.fileChecksums = [FileChecksum(hashFunction: "sha512", fileHash: sha512)]
    }
}

/// An entry of a folder listing: `{type, item}`.
package struct FolderEntry: Decodable, Sendable {
    /// `folder`, `file` or `filesymlink`.
    package var type: String
    /// The item (a file record for files; folders decode their `id` and `name` only).
    package var item: FileRecord
}
