import Foundation
import Hummingbird
import InterlinkCore

extension APIHandler {
    func usersMe(_ request: AuthenticatedCall) async throws -> Response {
        let user = request.user
        return APIReply.json(
            .ok,
            [
                "email": .string(user.email), "fullName": "Sim User", "company": ["code": "simco"],
                "workspace": ["id": "wKsp01", "name": "Simulation"],
                "defaultStorage": storage(for: user, origin: request.origin),
            ]
        )
    }

    func rootFolders(_ request: AuthenticatedCall) async throws -> Response {
        let roots = await state.rootFolders(of: request.user.apiKey)
        return APIReply.json(.ok, ["myJobs": .string(roots.myJobs), "myLibrary": .string(roots.myLibrary)])
    }

    /// The most paths one credentials request may list (the platform documents none; a bound keeps a client that
    /// never chunks from passing).
    static let maxCredentialPaths = 100

    /// `POST /api/v3/credentials/`: default-storage credentials with no body, or file-specific ones with
    /// `{storage, paths}` for a list of one to ``maxCredentialPaths`` paths on the user's storage.
    ///
    /// File-specific S3 keys reach only the listed objects: using them for any other key is `AccessDenied`, so a
    /// client that reuses one file's credentials for another file that was not in the request fails.
    func credentials(_ request: AuthenticatedCall) async throws -> Response {
        var paths: [JSONValue] = []
        var scope: Set<String>?
        if !request.hasNoBody {
            let body = try request.json(matching: Self.credentialsShape)
            paths = body["paths"]?.array ?? []
            let kind = body["storage"]?["storageType"]?.string
            guard kind == "S3Storage" || kind == "AzureStorage" else {
                throw ErrorResponse.invalid(["storage": ["storageType": ["unknown storage type '\(kind ?? "")'"]]])
            }
            let own = storage(for: request.user, origin: request.origin)
            guard body["storage"]?["id"]?.string == own["id"]?.string, kind == own["storageType"]?.string else {
                throw ErrorResponse.field("storage", "storage '\(body["storage"]?["id"]?.string ?? "")' is not yours")
            }
            guard paths.count <= Self.maxCredentialPaths else {
                throw ErrorResponse.field("paths", "ensure this list has no more than \(Self.maxCredentialPaths) items")
            }
            let container = objects.container(for: request.user.storage)
            for entry in paths where entry["pathParts"]?["container"]?.string != container {
                let named = entry["pathParts"]?["container"]?.string ?? ""
                throw ErrorResponse.field("paths", "container '\(named)' is not the storage's container '\(container)'")
            }
            scope = Set(paths.compactMap { $0["pathParts"]?["path"]?.string })
        }
        switch request.user.storage {
        case .s3:
            if let external = configuration.externalS3 {
                return APIReply.json(
                    .ok,
                    [
                        "storageType": "S3Storage", "storageDir": .string(configuration.pathBase),
                        "accessKey": .string(external.accessKey), "secretKey": .string(external.secretKey),
                        "sessionToken": "sim-external-session", "endpoint": .string(external.endpoint),
                    ]
                )
            }
            let issued = await state.issueCredential(lifetime: configuration.credentialLifetime, paths: scope)
            return APIReply.json(
                .ok,
                [
                    "storageType": "S3Storage", "storageDir": .string(configuration.pathBase),
                    "accessKey": .string(issued.accessKey), "secretKey": .string(issued.secretKey),
                    "sessionToken": .string(issued.sessionToken), "endpoint": .string(request.origin),
                ]
            )
        case .azure:
            let lifetime = configuration.credentialLifetime.components.seconds
            let start = Date().addingTimeInterval(-1)
            let expiry = Date().addingTimeInterval(Double(max(lifetime, 1)))
            let container = configuration.azureContainer
            let token = await freshToken(
                container: container,
                blob: nil,
                permissions: "racw",
                start: start,
                expiry: expiry
            )
            var perBlob: [JSONValue] = []
            for entry in paths {
                guard let path = entry["pathParts"]?["path"]?.string else { continue }
                let blobToken = await freshToken(
                    container: container,
                    blob: path,
                    permissions: "rcw",
                    start: start,
                    expiry: expiry
                )
                perBlob.append([
                    "path": .string(path), "pathParts": ["container": .string(container), "path": .string(path)],
                    "sasToken": .string(blobToken),
                ])
            }
            return APIReply.json(
                .ok,
                [
                    "storageType": "AzureStorage", "storageDir": "user/sim/", "sasToken": .string(token),
                    "expiration": .string(BlobDates.iso8601(expiry)), "paths": .array(perBlob),
                    "endpoint": .string("\(request.origin)/\(configuration.azureAccount)"),
                ]
            )
        }
    }

    /// A SAS token whose signature was never revoked (a token signed within the same second as a revoked one
    /// would repeat its signature, so the expiry moves a second later until it differs), recorded as issued.
    private func freshToken(container: String, blob: String?, permissions: String, start: Date, expiry: Date) async
        -> String
    {
        var expiry = expiry
        while true {
            let token = sas.token(
                container: container,
                blob: blob,
                permissions: permissions,
                start: start,
                expiry: expiry
            )
            guard let signature = SASQuery.parse(token).first(where: { $0.0 == "sig" })?.1 else { return token }
            if await !state.isRevoked(signature: signature) {
                await state.recordSAS(signature: signature)
                return token
            }
            expiry.addTimeInterval(1)
        }
    }

    static let credentialsShape = JSONShape.object([
        "storage": (
            .object([
                "id": (.nonEmptyString, true), "storageType": (.nonEmptyString, true),
                "encryptionType": (.string, false), "connectionSettings": (.map(.any), false),
            ]), true
        ),
        "paths": (
            .array(
                .object([
                    "pathParts": (.object(["container": (.string, true), "path": (.nonEmptyString, true)]), true)
                ]),
                minimumCount: 1
            ), true
        ),
    ])
}
