import Foundation
import Hummingbird
import InterlinkCore

extension APIHandler {
    static let registerShape = JSONShape.object([
        "typeId": (.int(minimum: 1), true),
        "name": (.nonEmptyString, true),
        "currentFolderId": (.nonEmptyString, false),
        "encodedEncryptionKey": (.nonEmptyString, true),
        "pathParts": (.object(["container": (.string, true), "path": (.nonEmptyString, true)]), true),
        "storage": (
            .object([
                "id": (.nonEmptyString, true), "storageType": (.nonEmptyString, true),
                "encryptionType": (.string, false), "connectionSettings": (.map(.nullable(.string)), false),
            ]), true
        ),
        "isUploaded": (.bool, true),
        "decryptedSize": (.int(minimum: 0), true),
        "fileChecksums": (
            .array(
                .object(["hashFunction": (.nonEmptyString, true), "fileHash": (.nonEmptyString, true)]),
                minimumCount: 0
            ),
            false
        ),
        "iv": (.nullable(.string), false),
        "description": (.string, false),
    ])

    /// `POST /api/v3/files/`: checks the body and that the object really is in storage, then records the file.
    func registerFile(_ request: AuthenticatedCall) async throws -> Response {
        let body = try request.json(matching: Self.registerShape)
        let key = request.user.apiKey
        let roots = await state.rootFolders(of: key)
        let folder = body["currentFolderId"]?.string ?? roots.myLibrary
        let defaultStorage = storage(for: request.user, origin: request.origin)
        var problems: [String: JSONValue] = [:]
        if ![1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12].contains(body["typeId"]?.int ?? 0) {
            problems["typeId"] = ["'\(body["typeId"]?.int ?? 0)' is not a valid file type"]
        }
        if Data(base64Encoded: body["encodedEncryptionKey"]?.string ?? "")?.count != 32 {
            problems["encodedEncryptionKey"] = ["must be the base64 of a 32-byte key"]
        }
        if body["storage"]?["id"] != defaultStorage["id"]
            || body["storage"]?["storageType"] != defaultStorage["storageType"]
        {
            problems["storage"] = ["id": ["storage must be the user's default storage"]]
        }
        let container = defaultStorage["connectionSettings"]?["container"]?.string ?? ""
        let path = body["pathParts"]?["path"]?.string ?? ""
        if body["pathParts"]?["container"]?.string != container {
            problems["pathParts"] = ["container": ["must be '\(container)'"]]
        } else if await !objectExists(path, container: container, user: request.user) {
            problems["pathParts"] = ["path": ["no object '\(path)' in storage; upload it before registering"]]
        }
        for (index, checksum) in (body["fileChecksums"]?.array ?? []).enumerated()
        where checksum["hashFunction"]?.string?.lowercased().replacingOccurrences(of: "-", with: "") == "sha512"
            && checksum["fileHash"]?.string?.count != 128
        {
            problems["fileChecksums"] = ["\(index): a sha512 fileHash has 128 hex digits"]
        }
        if await !state.owns(folder: folder, key: key) { problems["currentFolderId"] = ["unknown folder '\(folder)'"] }
        guard problems.isEmpty else { throw ErrorResponse.invalid(.object(problems)) }
        let name = body["name"]?.string ?? ""
        let id = SimIDs.make()
        let now = Date()
        let record: JSONValue = [
            "id": .string(id), "name": .string(name), "typeId": body["typeId"] ?? 1, "isUploaded": true,
            "owner": .string(request.user.email), "dateUploaded": .string(SimIDs.date(now)),
            "encodedEncryptionKey": body["encodedEncryptionKey"] ?? "", "iv": body["iv"] ?? .null,
            "pathParts": ["container": .string(container), "path": .string(path)], "path": .string(path),
            "storage": defaultStorage, "decryptedSize": body["decryptedSize"] ?? 0,
            "fileChecksums": body["fileChecksums"] ?? [], "userTags": [], "relativePath": "",
            "description": body["description"] ?? "",
        ]
        let file = SimFile(id: id, ownerKey: key, folderID: folder, record: record, dateUploaded: now)
        guard await state.insertUnique(file) else {
            return APIReply.detail(.conflict, "a file named '\(name)' already exists in this folder")
        }
        return APIReply.json(.created, record)
    }

    /// Whether the object is in the user's storage; an external S3 service is asked with a signed HEAD.
    func objectExists(_ path: String, container: String, user: SimConfiguration.User) async -> Bool {
        guard container == objects.container(for: user.storage) else { return false }
        return await objects.exists(path, kind: user.storage)
    }

    func listFiles(_ request: AuthenticatedCall) async throws -> Response {
        var records = await state.files(of: request.user.apiKey).map(\.record)
        if let search = request.parameter("search") {
            records = records.filter { $0["name"]?.string?.localizedCaseInsensitiveContains(search) == true }
        }
        if let limit = request.parameter("limit").flatMap({ Int($0) }) {
            records = Array(records.prefix(max(limit, 0)))
        }
        return APIReply.json(.ok, try Pagination.page(records, for: request))
    }

    func file(_ id: String, _ request: AuthenticatedCall) async throws -> Response {
        guard let file = await state.file(id, key: request.user.apiKey) else { throw ErrorResponse.notFound() }
        return APIReply.json(.ok, file.record)
    }

    func deleteFile(_ id: String, _ request: AuthenticatedCall) async throws -> Response {
        try requireNoBody(request)
        guard await state.deleteFile(id, key: request.user.apiKey) else { throw ErrorResponse.notFound() }
        return APIReply.empty(.noContent)
    }
}
