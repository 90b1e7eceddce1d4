import Foundation
import Hummingbird
import InterlinkCore
import RescaleAPI
import RescalePlatform

/// The Files tab's JSON routes under `/api/files`: the study directory and the Rescale folders side by side;
/// upload, download, delete and create folder on both sides, with every transfer on a ``TransferBoard``.
///
/// Local paths are confined by ``StudyPath``; uploads and downloads go through the platform's one upload and
/// download paths (the same as `files upload` and `files download`).
package struct FilesRoutes: WebRouteGroup {
    /// Creates the group.
    package init() {}

    package func register(on router: Router<WebContext>, services: WebServices) {
        let board = TransferBoard { transfer in services.publish(FilesService.event(transfer)) }
        let files = FilesService(services: services, board: board)
        let group = router.group("api/files")
        group.get("local") { request, _ in
            WebReply.json(try await files.listLocal(request.uri.queryParameters["path"].map(String.init) ?? ""))
        }
        group.post("local/folder") { request, _ in
            let body = try await WebReply.decode(NameInPath.self, from: request)
            return WebReply.json(try await files.createLocalFolder(body.name, in: body.path), status: .created)
        }
        group.post("local/delete") { request, _ in
            let body = try await WebReply.decode(PathBody.self, from: request)
            try await files.deleteLocal(body.path)
            return WebReply.json(["deleted": body.path])
        }
        group.get("remote") { request, _ in
            let folder = request.uri.queryParameters["folder"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            return WebReply.json(try await files.listRemote(folder))
        }
        group.post("remote/folder") { request, _ in
            let body = try await WebReply.decode(NameInFolder.self, from: request)
            return WebReply.json(try await files.createRemoteFolder(body.name, in: body.folder), status: .created)
        }
        group.post("remote/delete") { request, _ in
            let body = try await WebReply.decode(RemoteItem.self, from: request)
            try await files.deleteRemote(type: body.type, id: body.id)
            return WebReply.json(["deleted": body.id])
        }
        group.post("upload") { request, _ in
            let body = try await WebReply.decode(UploadBody.self, from: request)
            return WebReply.json(try await files.upload(body.path, to: body.folder))
        }
        group.post("download") { request, _ in
            let body = try await WebReply.decode(DownloadBody.self, from: request)
            return WebReply.json(try await files.download(body.id, into: body.path))
        }
        group.get("transfers") { _, _ in WebReply.json(board.transfers) }
    }
}

/// `{"path": …}`.
struct PathBody: Decodable {
    var path: String
}

/// `{"path": …, "name": …}`.
struct NameInPath: Decodable {
    var path: String
    var name: String
}

/// `{"folder": …, "name": …}`; an empty or missing folder is `myLibrary`.
struct NameInFolder: Decodable {
    var folder: String?
    var name: String
}

/// `{"type": "file"|"folder", "id": …}`.
struct RemoteItem: Decodable {
    var type: String
    var id: String
}

/// `{"path": local file, "folder": folder id or null}`.
struct UploadBody: Decodable {
    var path: String
    var folder: String?
}

/// `{"id": file id, "path": local directory}`.
struct DownloadBody: Decodable {
    var id: String
    var path: String
}
