import Foundation
import InterlinkWeb
import Testing

/// The Files tab's routes over real HTTP against an in-process `rescale-sim`: both sides listed, a file uploaded
/// and downloaded back, folders made and deleted, and every path that would leave the study directory refused.
@Suite(.tags(.integration)) struct FilesRoutesTests {
    static let content = String(repeating: "interlink files tab\n", count: 5000)

    /// A study directory with a file, a subdirectory, and a link that leads out of it.
    static func prepare(_ directory: String) throws {
        try content.write(toFile: directory + "/a.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory + "/out", withDestinationPath: "/tmp")
        try FileManager.default.createSymbolicLink(atPath: directory + "/passwd", withDestinationPath: "/etc/passwd")
    }

    @Test func uploadsDownloadsAndConfinesEveryPathToTheStudyDirectory() async throws {
        // Upload checkpoints go to a state directory of the test's own, which holds one a month old: the upload
        // prunes it first.
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("web-state-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let uploads = state + "/rescale-int/uploads"
        try FileManager.default.createDirectory(atPath: uploads, withIntermediateDirectories: true)
        #expect(
            FileManager.default.createFile(
                atPath: uploads + "/old.json",
                contents: Data(#"{"payload":"{}","committedBytes":1}"#.utf8),
                attributes: [.modificationDate: Date().addingTimeInterval(-31 * 86_400)]
            )
        )
        try await SimConnection.withSim { connection, _ in
            try await WebHarness.with(
                connection: connection,
                environment: ["XDG_STATE_HOME": state],
                prepare: Self.prepare
            ) { web in
                let cookie = try await web.cookie()
                let post = { (path: String, body: String) in
                    try await web.call(.POST, path, headers: [("Cookie", cookie), ("Origin", web.base)], body: body)
                }
                let get = { (path: String) in try await web.call(.GET, path, headers: [("Cookie", cookie)]) }
                let directory = web.services.directory

                let local = try await get("/api/files/local")
                #expect(local.status == 200, "\(local.body)")
                let names = (object(local.body)["entries"] as? [[String: Any]] ?? []).map { $0["name"] as? String }
                #expect(names == ["sub", "a.txt", "out", "passwd"], "directories first, then by name: \(names)")

                // Traversal attempts: malformed paths are 400, links leading out are 403; nothing is read or written.
                for path in ["..", "../etc", "sub/../..", "/etc", "sub%5C..%5C.."] {
                    let reply = try await get("/api/files/local?path=\(path)")
                    #expect(reply.status == 400, "\(path): \(reply.status) \(reply.body)")
                }
                #expect(try await get("/api/files/local?path=out").status == 403)
                #expect(try await post("/api/files/upload", #"{"path": "passwd"}"#).status == 403)
                #expect(try await post("/api/files/upload", #"{"path": "../a.txt"}"#).status == 400)
                #expect(try await post("/api/files/local/delete", #"{"path": "out/x"}"#).status == 403)
                #expect(try await post("/api/files/local/folder", #"{"path": "", "name": ".."}"#).status == 400)

                let folder = try await post("/api/files/remote/folder", #"{"name": "inbox"}"#)
                #expect(folder.status == 201, "\(folder.body)")
                let folderID = try #require(object(folder.body)["id"] as? String)
                let again = try await post("/api/files/remote/folder", #"{"name": "inbox"}"#)
                #expect(again.status == 409, "\(again.body)")

                let upload = try await post("/api/files/upload", #"{"path": "a.txt", "folder": "\#(folderID)"}"#)
                #expect(upload.status == 200, "\(upload.body)")
                let fileID = try #require(object(upload.body)["id"] as? String)
                #expect(try FileManager.default.contentsOfDirectory(atPath: uploads) == [], "pruned, then removed")
                let listed = try await get("/api/files/remote?folder=\(folderID)")
                let entries = object(listed.body)["entries"] as? [[String: Any]] ?? []
                #expect(entries.map { $0["name"] as? String } == ["a.txt"], "\(listed.body)")
                #expect(entries.first?["size"] as? Int == Self.content.utf8.count)

                #expect(try await post("/api/files/download", #"{"id": "\#(fileID)", "path": "out"}"#).status == 403)
                let download = try await post("/api/files/download", #"{"id": "\#(fileID)", "path": "sub"}"#)
                #expect(download.status == 200, "\(download.body)")
                #expect(object(download.body)["path"] as? String == "sub/a.txt")
                #expect(try String(contentsOfFile: directory + "/sub/a.txt", encoding: .utf8) == Self.content)

                let transfers = try await get("/api/files/transfers")
                let states =
                    (try JSONSerialization.jsonObject(with: Data(transfers.body.utf8)) as? [[String: Any]]) ?? []
                #expect(states.map { $0["direction"] as? String } == ["download", "upload"], "\(transfers.body)")
                #expect(
                    states.allSatisfy { $0["state"] as? String == "done" && $0["bytes"] as? Int == $0["total"] as? Int }
                )

                let deleted = try await post("/api/files/remote/delete", #"{"type": "file", "id": "\#(fileID)"}"#)
                #expect(deleted.status == 200, "\(deleted.body)")
                let emptied = try await get("/api/files/remote?folder=\(folderID)")
                #expect((object(emptied.body)["entries"] as? [Any])?.isEmpty == true, "\(emptied.body)")
                #expect(
                    try await post("/api/files/remote/delete", #"{"type": "folder", "id": "\#(folderID)"}"#).status
                        == 200
                )

                #expect(try await post("/api/files/local/folder", #"{"path": "sub", "name": "made"}"#).status == 201)
                #expect(FileManager.default.fileExists(atPath: directory + "/sub/made"))
                #expect(try await post("/api/files/local/delete", #"{"path": "sub"}"#).status == 409)
                #expect(try await post("/api/files/local/delete", #"{"path": "sub/made"}"#).status == 200)
                #expect(try await post("/api/files/local/delete", #"{"path": ""}"#).status == 400)
                #expect(FileManager.default.fileExists(atPath: "/etc/passwd"))
            }
        }
    }
}
