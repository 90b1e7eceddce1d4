/// `GET /api/v3/users/me/` reduced to what the client reads.
package struct UserProfile: Codable, Hashable, Sendable {
    /// The user's email.
    package var email: String?
    /// The display name.
    package var fullName: String?
    /// The organisation, for `/api/v2/organizations/{code}/…`.
    package var company: Company?
    /// The storage uploads go to.
    package var defaultStorage: StorageDescriptor?

    /// An organisation reference.
    package struct Company: Codable, Hashable, Sendable {
        /// The organisation code.
        package var code: String?
    }

    /// Creates a profile.
    package init(email: String?, fullName: String?, companyCode: String?, defaultStorage: StorageDescriptor?) {
        self.email = email
        self.fullName = fullName
        self.company = companyCode.map { Company(code: $0) }
        self.defaultStorage = defaultStorage
    }
}

/// A storage as the profile, file records and registrations describe it.
package struct StorageDescriptor: Codable, Hashable, Sendable {
    /// The storage id.
    package var id: String?
    /// `S3Storage` or `AzureStorage`.
    package var storageType: String?
    /// Opaque, echoed on registration.
    package var encryptionType: String?
    /// Where the storage is.
    package var connectionSettings: ConnectionSettings?

    /// Creates a descriptor.
    package init(id: String?, storageType: String?, encryptionType: String?, connectionSettings: ConnectionSettings?) {
        self.id = id
        self.storageType = storageType
        self.encryptionType = encryptionType
        self.connectionSettings = connectionSettings
    }
}

/// A storage's connection settings; every field optional.
package struct ConnectionSettings: Codable, Hashable, Sendable {
    /// S3 region.
    package var region: String?
    /// S3 bucket or Azure container.
    package var container: String?
    /// S3 key prefix (Azure: the container name, not a prefix).
    package var pathBase: String?
    /// Prefix of the registered `pathParts.path`.
    package var pathPartsBase: String?
    /// Azure account (preferred).
    package var accountName: String?
    /// Azure account (legacy name).
    package var storageAccount: String?
    /// The storage's base URL.
    ///
    /// Not a Rescale field: an emulator (`rescale-sim`) or a private deployment names its
    /// storage here. Honoured only for a platform host off the allow-list (see `StorageFactory`).
    package var endpoint: String?

    /// Creates settings.
    package init(
        region: String? = nil,
        container: String? = nil,
        pathBase: String? = nil,
        pathPartsBase: String? = nil,
        accountName: String? = nil,
        storageAccount: String? = nil,
        endpoint: String? = nil
    ) {
        self.region = region
        self.container = container
        self.pathBase = pathBase
        self.pathPartsBase = pathPartsBase
        self.accountName = accountName
        self.storageAccount = storageAccount
        self.endpoint = endpoint
    }
}

/// `GET /api/v3/users/me/folders/`.
package struct RootFolders: Codable, Hashable, Sendable {
    /// The jobs folder.
    package var myJobs: String?
    /// The default upload folder.
    package var myLibrary: String?
}

/// `POST /api/v3/credentials/`, for either storage type.
package struct StorageCredentials: Decodable, Sendable {
    /// `S3Storage` or `AzureStorage`.
    package var storageType: String?
    /// S3 access key id.
    package var accessKey: String?
    /// S3 secret key.
    package var secretKey: String?
    /// S3 session token.
    package var sessionToken: String?
    /// Azure container SAS, without `?`.
    package var sasToken: String?
    /// Azure SAS expiry, ISO-8601.
    package var expiration: String?
    /// Azure per-blob tokens.
    package var paths: [PathToken]?

    /// One per-blob SAS.
    package struct PathToken: Decodable, Sendable {
        /// The blob location.
        package var pathParts: PathParts?
        /// The SAS for it.
        package var sasToken: String?
    }
}

/// `{container, path}` of a stored object.
package struct PathParts: Codable, Hashable, Sendable {
    /// Bucket or container.
    package var container: String?
    /// Object key or blob path.
    package var path: String?

    /// Creates path parts.
    package init(container: String?, path: String?) {
        self.container = container
        self.path = path
    }
}

extension StorageCredentials: CustomStringConvertible, CustomReflectable {
    /// Never shows the keys or tokens.
    package var description: String { "StorageCredentials(\(storageType ?? "?"), <redacted>)" }
    /// Hides every field from `dump` and debuggers.
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
