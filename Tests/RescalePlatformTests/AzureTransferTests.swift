import Foundation
import InterlinkCore
import InterlinkCrypto
import InterlinkTestSupport
import RescaleSim
import Synchronization
import Testing

@testable import RescalePlatform

/// Upload and download through the strict fake Azure Blob service, with the SAS the fake API hands out.
@Suite(.tags(.integration)) struct AzureTransferTests {
    @Test func uploadsToTheContainerRootAndDownloadsVerified() async throws {
        let blob = BlobServer()
        try await blob.store.createContainer("c1")
        let directory = try makeTemporaryDirectory()
        let source = directory.appendingPathComponent("in put.dat")
        let payload = patternBytes(count: 70_001, seed: 3)
        try Data(payload).write(to: source)
        let digest = SHA512.hash(data: Data(payload)).map { String(format: "%02x", $0) }.joined()
        try await withScriptedAzureRescale(blob, fileID: "F2", jobID: "J2", outputID: "O2") { base, endpoint in
            var platform = try makePlatform(base)
            var options = platform.options
            options.azureBlobEndpoint = endpoint
            platform = RescalePlatform(
                api: platform.api,
                http: .shared,
                options: options,
                fileSystem: platform.fileSystem,
                logger: quietLogger
            )
            let upload = PlannedUpload(
                name: "in put.dat",
                source: .file(path: source.path),
                decompress: false,
                fileCount: 1,
                bytes: 70_001
            )
            let object = try await platform.upload(
                upload,
                idempotencyKey: IdempotencyKey("a/upload/0"),
                resumingFrom: nil
            ) { _ in }
            #expect(object.storagePath.hasPrefix("in put.dat-") && !object.storagePath.contains("/"))
            #expect(
                try await platform.registerFile(object, idempotencyKey: IdempotencyKey("a/register/0"))
                    == FileID("F2")
            )
            let output = try #require(try await platform.listOutputs(of: JobID("J2")).first)
            #expect(output.sha512 == digest)
            let destination = directory.appendingPathComponent("out/in put.dat").path
            let file = try await platform.download(output, to: destination) { _ in }
            #expect(file.sha512 == digest)
            #expect(try Data(contentsOf: URL(fileURLWithPath: destination)) == Data(payload))
        }
    }
}

/// The registration body the fake API received.
final class RegisteredBox: Sendable {
    private let storage = Mutex<Data>(Data())
    func set(_ data: Data) { storage.withLock { $0 = data } }
    func get() -> Data { storage.withLock { $0 } }
}

/// Runs `body` against a scripted Rescale API whose default storage is container `c1` of the fake Azure account
/// `blob`, with the SAS the API hands out.
///
/// A registered file gets `fileID`, and job `jobID` lists the file last registered as its only output, `outputID`.
///
/// - Parameters:
///   - blob: The fake Blob service; its container `c1` must exist.
///   - fileID: The id the API gives a registered file.
///   - jobID: The job whose outputs the API lists.
///   - outputID: The id of that output.
///   - body: The test, given the API's base URL and the Blob endpoint with `{account}` in place of the account.
/// - Throws: What the servers or `body` throw.
func withScriptedAzureRescale(
    _ blob: BlobServer,
    fileID: String,
    jobID: String,
    outputID: String,
    _ body: (_ base: String, _ endpoint: String) async throws -> Void
) async throws {
    let sas = blob.sas.token(container: "c1", blob: nil, permissions: "rcw", expiry: Date().addingTimeInterval(900))
    let storage =
        #"{"id":"sAz","storageType":"AzureStorage","encryptionType":"default","connectionSettings":{"container":"c1","pathBase":"c1","pathPartsBase":"","accountName":"\#(blob.account)"}}"#
    let credentials = #"{"storageType":"AzureStorage","sasToken":"\#(sas)","expiration":"2099-01-01T00:00:00.000Z"}"#
    try await blob.run(logger: quietLogger) { accountURL in
        let endpoint = accountURL.replacingOccurrences(of: blob.account, with: "{account}")
        let registered = RegisteredBox()
        let api = ScriptedServer { request, _ in
            switch (request.method, request.path) {
            case ("GET", "/api/v3/users/me/"): return .json(#"{"defaultStorage":\#(storage)}"#)
            case ("GET", "/api/v3/users/me/folders/"): return .json(#"{"myLibrary":"lib"}"#)
            case ("POST", "/api/v3/credentials/"): return .json(credentials)
            case ("POST", "/api/v3/files/"):
                registered.set(request.body)
                return .json(#"{"id":"\#(fileID)"}"#, status: 201)
            case ("GET", "/api/v2/jobs/\(jobID)/files/?page_size=100"):
                var record = jsonObject(registered.get())
                record["id"] = outputID
                record["storage"] = jsonObject(Data(storage.utf8))
                return .json(jsonText(["next": NSNull(), "results": [record]]))
            default: return .json(#"{"detail":"Not found."}"#, status: 404)
            }
        }
        try await api.run { base in try await body(base, endpoint) }
    }
}
