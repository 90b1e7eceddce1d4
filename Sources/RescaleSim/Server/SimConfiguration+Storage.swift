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
