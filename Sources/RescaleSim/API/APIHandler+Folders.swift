import Foundation
import Hummingbird
import InterlinkCore

extension APIHandler {
    /// The body of `POST /api/v3/folders/{parentId}/`: only a name.
    static let createFolderShape = JSONShape.object(["name": (.nonEmptyString, true)])

    /// `POST /api/v3/folders/{parentId}/`: makes a child folder of one of the caller's folders.
    ///
    /// Answers 201 `{"id", "name", "dateInserted", "parentFolderId"}`; 400 naming each bad or unknown body field (a
    /// name containing `/` included); 404 when the parent is unknown or another user's; 409 with a DRF `detail` when
    /// the parent already has a child folder of that name, as file registration answers a duplicate file name.
    func createFolder(in parentID: String, _ request: AuthenticatedCall) async throws -> Response {
        let body = try request.json(matching: Self.createFolderShape)
        let name = body["name"]?.string ?? ""
        if name.contains("/") { throw ErrorResponse.field("name", "a folder name may not contain '/'") }
        let key = request.user.apiKey
        guard await state.owns(folder: parentID, key: key) else { throw ErrorResponse.notFound() }
        let folder = SimFolder(id: SimIDs.make(), ownerKey: key, parentID: parentID, name: name, dateInserted: Date())
        guard await state.insert(folder) else {
            return APIReply.detail(.conflict, "a folder named '\(name)' already exists in this folder")
        }
        var record = Self.item(of: folder)
        record["parentFolderId"] = .string(parentID)
        return APIReply.json(.created, .object(record))
    }

    /// `GET /api/v3/folders/{id}/contents/`: one DRF page of what a folder of the caller's holds.
    ///
    /// Entries are `{"type": "folder", "item": {"id", "name", "dateInserted"}}` for child folders and
    /// `{"type": "file", "item": <the file record as registered>}` for files in the folder. Order: the folders first,
    /// by name, then the files newest first. Works for the root folders and for made ones; 404 when the folder is
    /// unknown or another user's, and `Invalid page.` 404 for a page past the end.
    func folderContents(_ id: String, _ request: AuthenticatedCall) async throws -> Response {
        guard let contents = await state.contents(of: id, key: request.user.apiKey) else {
            throw ErrorResponse.notFound()
        }
        let entries: [JSONValue] =
            contents.folders.map { ["type": "folder", "item": .object(Self.item(of: $0))] }
            + contents.files.map { ["type": "file", "item": $0.record] }
        return APIReply.json(.ok, try Pagination.page(entries, for: request))
    }

    /// A folder as listings show it: `id`, `name` and `dateInserted`.
    private static func item(of folder: SimFolder) -> [String: JSONValue] {
        [
            "id": .string(folder.id), "name": .string(folder.name),
            "dateInserted": .string(SimIDs.date(folder.dateInserted)),
        ]
    }
}
