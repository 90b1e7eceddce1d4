import Foundation
import InterlinkCore

/// Everything the simulator is started with: users, storage, time and rate scaling, and scripted faults.
package struct SimConfiguration: Sendable {
    /// Which cloud storage a user's default storage is.
    package enum StorageKind: String, Sendable, CaseIterable {
        /// Amazon S3 (`S3Storage`): the built-in S3 subset, or an external endpoint.
        case s3
        /// Azure Blob (`AzureStorage`): the built-in blob service with SAS tokens.
        case azure
    }

    /// One account the API accepts.
    package struct User: Sendable {
        /// The API key sent as `Authorization: Token <key>`.
        package var apiKey: String
        /// The e-mail shown as `email` and `owner`.
        package var email: String
        /// The user's default storage.
        package var storage: StorageKind

        /// Creates a user.
        package init(apiKey: String, email: String = "ada@example.com", storage: StorageKind = .s3) {
            self.apiKey = apiKey
            self.email = email
            self.storage = storage
        }
    }

    /// An S3 service outside the simulator (such as moto_server) that credentials then point at.
    package struct ExternalS3: Sendable {
        /// The endpoint, such as `http://127.0.0.1:5000`.
        package var endpoint: String
        /// The access key id the external service accepts.
        package var accessKey: String
        /// The secret key.
        package var secretKey: String
        /// The bucket to store objects in (created by the caller).
        package var bucket: String

        /// Creates a description of an external S3 service.
        package init(endpoint: String, accessKey: String = "test", secretKey: String = "test", bucket: String) {
            self.endpoint = endpoint
            self.accessKey = accessKey
            self.secretKey = secretKey
            self.bucket = bucket
        }
    }

    /// The accepted users; at least one.
    package var users: [User]
    /// How much faster than real time job statuses advance (100 means a 30 s step takes 0.3 s).
    package var timeScale: Double = 1
    /// How much faster than the platform's limits the rate-limit buckets refill.
    package var rateScale: Double = 1
    /// Bucket sizes and server rates per scope; nil uses ``RequestThrottle/platformDefaults``.
    package var rateLimits: [RequestThrottle.Scope: RequestThrottle.Bucket]? = nil
    /// How long issued storage credentials stay valid, in real seconds.
    package var credentialLifetime: Duration = .seconds(15 * 60)
    /// External S3 for S3 users, or nil for the built-in S3 subset.
    package var externalS3: ExternalS3? = nil
    /// Faults scripted from the start (more can be added through `/_sim/faults`).
    package var faults: [FaultRule] = []
    /// The region S3 credentials are scoped to.
    package var region = "us-east-1"
    /// The built-in S3 bucket.
    package var bucket = "rescale-sim"
    /// The S3 key prefix (`connectionSettings.pathBase`).
    package var pathBase = "user/sim"
    /// The Azure account name (first path segment of blob URLs) and container.
    package var azureAccount = "simaccount"
    /// The Azure container.
    package var azureContainer = "simcontainer"
    /// Seconds a simulated job spends in each status before the next, before time scaling.
    package var statusStep: Duration = .seconds(10)
    /// Where job directories are made; nil makes a fresh temporary directory for each run of the server.
    package var workRoot: String? = nil
    /// The most jobs executing at once.
    package var jobConcurrency = 4
    /// The largest request body accepted, in bytes.
    package var maxBodyBytes = 256 << 20
    /// The largest body of one S3 PutObject or UploadPart, in bytes (S3's limit is 5 GiB); larger ones are refused
    /// with `EntityTooLarge`.
    package var s3UploadLimit = 5 << 30

    /// Creates a configuration.
    package init(users: [User]) {
        self.users = users
    }

    /// The user with this key, if any.
    package func user(forKey key: String) -> User? {
        users.first { $0.apiKey == key }
    }

    /// A real duration scaled down by ``timeScale``.
    package func scaled(_ duration: Duration) -> Duration {
        duration / max(timeScale, 1e-6)
    }
}

extension SimConfiguration {
    /// The user's default storage object, as `users/me` and file records show it.
    package func storageRecord(for user: User, origin: String) -> JSONValue {
        switch user.storage {
        case .s3:
            let external = externalS3
            return [
                "id": "sTorS3", "storageType": "S3Storage", "encryptionType": "default",
                "connectionSettings": [
                    "region": .string(region),
                    "container": .string(external?.bucket ?? bucket),
                    "pathBase": .string(pathBase), "pathPartsBase": .string(pathBase),
                    "endpoint": .string(external?.endpoint ?? origin),
                ],
            ]
        case .azure:
            return [
                "id": "sTorAz", "storageType": "AzureStorage", "encryptionType": "default",
                "connectionSettings": [
                    "container": .string(azureContainer),
                    "pathBase": .string(azureContainer), "pathPartsBase": "",
                    "accountName": .string(azureAccount),
                    "endpoint": .string("\(origin)/\(azureAccount)"),
                ],
            ]
        }
    }
}
