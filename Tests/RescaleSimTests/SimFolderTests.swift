import Foundation
import InterlinkCore
import InterlinkTestSupport
import RescaleSim
import Testing

/// The folder endpoints: `POST /api/v3/folders/{parentId}/` and `GET /api/v3/folders/{id}/contents/`, and file
/// registration into made folders.
@Suite(.tags(.integration)) struct SimFolderTests {
    /// Two S3 users, so that one can address the other's folders.
    static func configuration(faults: [FaultRule] = []) -> SimConfiguration {
        var configuration = SimConfiguration(users: [.init(apiKey: "k1"), .init(apiKey: "k2")])
        configuration.faults = faults
        return configuration
    }

    @Test func emptyRootFoldersListAnEmptyPage() async throws {
        try await SimHarness.with(Self.configuration()) { sim, _ in
            let roots = try await sim.roots()
            for folder in [roots.myLibrary, roots.myJobs] {
                let reply = try await sim.call(.GET, "/api/v3/folders/\(folder)/contents/")
                #expect(reply.status == 200, "\(reply.body)")
                #expect(reply.json == ["count": 0, "next": nil, "previous": nil, "results": []])
            }
        }
    }

    @Test func createsAChildFolderThenAnswersASecondOfTheSameName409() async throws {
        try await SimHarness.with(Self.configuration()) { sim, _ in
            let library = try await sim.roots().myLibrary
            let created = try await sim.call(.POST, "/api/v3/folders/\(library)/", body: #"{"name": "runs"}"#)
            #expect(created.status == 201, "\(created.body)")
            let record = try #require(created.json?.object)
            #expect(record.keys.sorted() == ["dateInserted", "id", "name", "parentFolderId"])
            #expect(record["name"] == "runs" && record["parentFolderId"] == .string(library))
            #expect(record["id"]?.string?.count == 6)
            #expect(record["dateInserted"]?.string?.hasSuffix("+00:00") == true)
            let again = try await sim.call(.POST, "/api/v3/folders/\(library)/", body: #"{"name": "runs"}"#)
            #expect(again.status == 409)
            #expect(again.json == ["detail": "a folder named 'runs' already exists in this folder"])
            let id = try #require(record["id"]?.string)
            let nested = try await sim.call(.POST, "/api/v3/folders/\(id)/", body: #"{"name": "runs"}"#)
            #expect(nested.status == 201, "the same name in another parent is a new folder: \(nested.body)")
            let listing = try await sim.call(.GET, "/api/v3/folders/\(library)/contents/")
            let folder: JSONValue = ["id": .string(id), "name": "runs", "dateInserted": record["dateInserted"] ?? nil]
            #expect(listing.json?["results"] == [["type": "folder", "item": folder]])
        }
    }

    @Test func fileRegisteredIntoASubfolderIsListedThereAndNotInTheLibrary() async throws {
        try await SimHarness.with(Self.configuration()) { sim, server in
            let library = try await sim.roots().myLibrary
            let folder = try await sim.makeFolder("inputs", in: library)
            let path = try await Self.putObject(server)
            let registered = try await sim.call(
                .POST,
                "/api/v3/files/",
                body: try await sim.registration(name: "case.tar.gz", path: path, folder: folder)
            )
            #expect(registered.status == 201, "\(registered.body)")
            let record = try #require(registered.json)
            let inFolder = try await sim.call(.GET, "/api/v3/folders/\(folder)/contents/")
            #expect(inFolder.json?["count"] == 1)
            #expect(inFolder.json?["results"] == [["type": "file", "item": record]])
            let inLibrary = try #require(try await sim.call(.GET, "/api/v3/folders/\(library)/contents/").json)
            #expect(inLibrary["results"]?.array?.compactMap { $0["type"]?.string } == ["folder"])
            #expect(inLibrary["results"]?.array?.first?["item"]?["id"] == .string(folder))
        }
    }

    @Test func aFileNameIsUniquePerFolderNotPerUser() async throws {
        try await SimHarness.with(Self.configuration()) { sim, server in
            let library = try await sim.roots().myLibrary
            let folder = try await sim.makeFolder("sub", in: library)
            var statuses: [Int] = []
            for target in [library, folder, folder] {
                let body = try await sim.registration(
                    name: "a.txt",
                    path: try await Self.putObject(server),
                    folder: target
                )
                let reply = try await sim.call(.POST, "/api/v3/files/", body: body)
                statuses.append(reply.status)
                if reply.status == 409 {
                    #expect(reply.json == ["detail": "a file named 'a.txt' already exists in this folder"])
                }
            }
            #expect(statuses == [201, 201, 409])
            for target in [library, folder] {
                let results = try await sim.call(.GET, "/api/v3/folders/\(target)/contents/").json?["results"]
                #expect(results?.array?.filter { $0["type"] == "file" }.count == 1, "one a.txt in \(target)")
            }
        }
    }

    @Test func concurrentRegistrationsOfOneNameHaveOneWinner() async throws {
        try await SimHarness.with(Self.configuration()) { sim, server in
            let library = try await sim.roots().myLibrary
            var bodies: [String] = []
            for _ in 0..<8 {
                bodies.append(
                    try await sim.registration(name: "race.txt", path: try await Self.putObject(server), folder: nil)
                )
            }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for body in bodies { group.addTask { try await sim.call(.POST, "/api/v3/files/", body: body).status } }
                var statuses: [Int] = []
                while let status = try await group.next() { statuses.append(status) }
                return statuses.sorted()
            }
            #expect(statuses == [201] + Array(repeating: 409, count: 7))
            let results = try await sim.call(.GET, "/api/v3/folders/\(library)/contents/").json?["results"]
            #expect(results?.array?.count == 1)
        }
    }

    @Test func pagesFollowAbsoluteNextLinksFoldersByNameThenFilesNewestFirst() async throws {
        try await SimHarness.with(Self.configuration()) { sim, server in
            let library = try await sim.roots().myLibrary
            for name in ["charlie", "alpha", "bravo"] { _ = try await sim.makeFolder(name, in: library) }
            for name in ["old.txt", "new.txt"] {
                let body = try await sim.registration(name: name, path: try await Self.putObject(server), folder: nil)
                #expect(try await sim.call(.POST, "/api/v3/files/", body: body).status == 201)
            }
            var url: String? = "/api/v3/folders/\(library)/contents/?page_size=1"
            var names: [String] = []
            var pages = 0
            while let next = url, pages < 10 {
                let page = try #require(try await sim.call(.GET, next).json)
                #expect(page["count"] == 5)
                for entry in page["results"]?.array ?? [] {
                    names.append("\(entry["type"]?.string ?? "?"):\(entry["item"]?["name"]?.string ?? "?")")
                }
                url = page["next"]?.string
                if let url { #expect(url.hasPrefix(sim.base + "/api/v3/folders/") && url.contains("page_size=1")) }
                pages += 1
            }
            #expect(pages == 5)
            #expect(names == ["folder:alpha", "folder:bravo", "folder:charlie", "file:new.txt", "file:old.txt"])
            let beyond = try await sim.call(.GET, "/api/v3/folders/\(library)/contents/?page_size=1&page=6")
            #expect(beyond.status == 404 && beyond.json?["detail"] == "Invalid page.")
        }
    }

    @Test func unknownAndOtherUsersFoldersAre404AndTheSlashIsRequired() async throws {
        try await SimHarness.with(Self.configuration()) { sim, server in
            let notFound: JSONValue = ["detail": "Not found."]
            let unknown = try await sim.call(.GET, "/api/v3/folders/nope00/contents/")
            #expect(unknown.status == 404 && unknown.json == notFound)
            let underUnknown = try await sim.call(.POST, "/api/v3/folders/nope00/", body: #"{"name": "x"}"#)
            #expect(underUnknown.status == 404 && underUnknown.json == notFound)
            let theirs = try await sim.makeFolder("private", in: try await sim.roots(key: "k2").myLibrary, key: "k2")
            let theirLibrary = try await sim.roots(key: "k2").myLibrary
            for folder in [theirs, theirLibrary] {
                #expect(try await sim.call(.GET, "/api/v3/folders/\(folder)/contents/").status == 404)
                #expect(try await sim.call(.POST, "/api/v3/folders/\(folder)/", body: #"{"name": "x"}"#).status == 404)
                let body = try await sim.registration(name: "x", path: try await Self.putObject(server), folder: folder)
                let registered = try await sim.call(.POST, "/api/v3/files/", body: body)
                #expect(registered.status == 400)
                #expect(registered.json?["currentFolderId"] == .array([.string("unknown folder '\(folder)'")]))
            }
            let mine = try await sim.roots().myLibrary
            let post = try await sim.call(.POST, "/api/v3/folders/\(mine)", body: #"{"name": "x"}"#)
            #expect(post.status == 404)
            let get = try await sim.call(.GET, "/api/v3/folders/\(mine)/contents")
            #expect(get.status == 301)
            #expect(get.headers.first(name: "Location") == "/api/v3/folders/\(mine)/contents/")
            #expect(try await sim.call(.GET, "/api/v3/folders/\(mine)/contents/").json?["count"] == 0)
        }
    }

    @Test(arguments: [
        (#"{}"#, "name", "this field is required"),
        (#"{"name": "x", "color": "red"}"#, "color", "unknown field 'color'"),
        (#"{"name": ""}"#, "name", "this field may not be blank"),
        (#"{"name": "a/b"}"#, "name", "a folder name may not contain '/'"),
        (#"{"name": 7}"#, "name", "expected a string, got a number"),
    ])
    func badBodyIs400NamingTheField(body: String, field: String, message: String) async throws {
        try await SimHarness.with(Self.configuration()) { sim, _ in
            let library = try await sim.roots().myLibrary
            let reply = try await sim.call(.POST, "/api/v3/folders/\(library)/", body: body)
            #expect(reply.status == 400)
            #expect(reply.json?[field] == .array([.string(message)]), "\(reply.body)")
            #expect(reply.json?.object?.count == 1, "only '\(field)' is wrong: \(reply.body)")
            #expect(try await sim.call(.GET, "/api/v3/folders/\(library)/contents/").json?["count"] == 0)
        }
    }

    @Test func faultRulesHitBothFolderKindsAndCountsRecordThem() async throws {
        let rule = FaultRule(kind: "folders.create", nth: 1, action: .status(503))
        try await SimHarness.with(Self.configuration(faults: [rule])) { sim, _ in
            let library = try await sim.roots().myLibrary
            let failed = try await sim.call(.POST, "/api/v3/folders/\(library)/", body: #"{"name": "runs"}"#)
            #expect(failed.status == 503)
            #expect(failed.json == ["detail": "A server error occurred."])
            #expect(try await sim.call(.GET, "/api/v3/folders/\(library)/contents/").json?["count"] == 0)
            let retried = try await sim.call(.POST, "/api/v3/folders/\(library)/", body: #"{"name": "runs"}"#)
            #expect(retried.status == 201, "the fault hit only the first create: \(retried.body)")
            let installed = try await sim.call(
                .POST,
                "/_sim/faults",
                body: #"{"kind": "folders.contents", "action": "429=3"}"#
            )
            #expect(installed.status == 201)
            let throttled = try await sim.call(.GET, "/api/v3/folders/\(library)/contents/")
            #expect(throttled.status == 429 && throttled.headers.first(name: "Retry-After") == "3")
            #expect(try await sim.call(.GET, "/api/v3/folders/\(library)/contents/").json?["count"] == 1)
            let requests = try #require(try await sim.call(.GET, "/_sim/counts").json?["requests"])
            #expect(requests["folders.create"] == 2)
            #expect(requests["folders.contents"] == 3)
        }
    }

    /// Puts a small object into the built-in S3 under a fresh key, so that it can be registered.
    static func putObject(_ server: SimServer) async throws -> String {
        let path = "user/sim/in-" + UUID().uuidString
        try await server.s3.put(path, in: "rescale-sim", bytes: Array(repeating: 7, count: 32), metadata: [:])
        return path
    }
}

extension SimHarness {
    /// The caller's root folder ids from `GET /api/v3/users/me/folders/`.
    func roots(key: String? = nil) async throws -> (myLibrary: String, myJobs: String) {
        let json = try #require(try await call(.GET, "/api/v3/users/me/folders/", key: key).json)
        return (try #require(json["myLibrary"]?.string), try #require(json["myJobs"]?.string))
    }

    /// Makes a folder and returns its id, requiring 201.
    func makeFolder(_ name: String, in parent: String, key: String? = nil) async throws -> String {
        let reply = try await call(.POST, "/api/v3/folders/\(parent)/", body: #"{"name": "\#(name)"}"#, key: key)
        try #require(reply.status == 201, "folder create answered \(reply.status): \(reply.body)")
        return try #require(reply.json?["id"]?.string)
    }

    /// A registration body for an object in the caller's default storage, into `folder` (nil: the default).
    func registration(name: String, path: String, folder: String?) async throws -> String {
        let storage = try #require(try await call(.GET, "/api/v3/users/me/").json?["defaultStorage"])
        var body: [String: JSONValue] = [
            "typeId": 1, "name": .string(name), "encodedEncryptionKey": .string(Data(count: 32).base64EncodedString()),
            "pathParts": ["container": storage["connectionSettings"]?["container"] ?? "", "path": .string(path)],
            "storage": [
                "id": storage["id"] ?? "", "storageType": storage["storageType"] ?? "",
                "encryptionType": storage["encryptionType"] ?? "", "connectionSettings": [:],
            ],
            "isUploaded": true, "decryptedSize": 32, "fileChecksums": [],
        ]
        if let folder { body["currentFolderId"] = .string(folder) }
        return JSONValue.object(body).compactJSON
    }
}
