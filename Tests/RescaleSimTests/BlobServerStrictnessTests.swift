import Foundation
import InterlinkHTTP
import InterlinkTestSupport
import NIOCore
import NIOHTTP1
import RescaleSim
import Testing

@Suite(.tags(.integration)) struct BlobServerStrictnessTests {
    struct Reply {
        var status: UInt
        var code: String?
        var headers: HTTPHeaders
        var body: String
    }

    func withServer(_ body: (BlobServer, String, String) async throws -> Void) async throws {
        let server = BlobServer()
        try await server.store.createContainer("c")
        let sas = server.sas.token(
            container: "c",
            blob: nil,
            permissions: "rcw",
            expiry: Date().addingTimeInterval(600)
        )
        try await server.run(logger: quietLogger) { url in try await body(server, url + "/c", sas) }
    }

    func send(
        _ method: HTTPMethod,
        _ url: String,
        headers: [(String, String)] = [("x-ms-version", "2023-11-03")],
        body: String? = nil
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return Reply(
            status: response.status.code,
            code: response.headers.first(name: "x-ms-error-code"),
            headers: response.headers,
            body: text
        )
    }

    @Test func requiresAKnownVersionHeader() async throws {
        try await withServer { _, base, sas in
            let missing = try await send(.GET, "\(base)/b?\(sas)", headers: [])
            #expect(missing.status == 400 && missing.code == "MissingRequiredHeader")
            #expect(missing.body.contains("<Code>MissingRequiredHeader</Code>"))
            let unknown = try await send(.GET, "\(base)/b?\(sas)", headers: [("x-ms-version", "2099-01-01")])
            #expect(unknown.status == 400 && unknown.code == "InvalidHeaderValue")
        }
    }

    @Test func rejectsTamperedExpiredAndMissingSignatures() async throws {
        try await withServer { server, base, sas in
            let tampered = sas.replacingOccurrences(of: "sp=rcw", with: "sp=rcwd")
            #expect(
                try await send(
                    .PUT,
                    "\(base)/b?\(tampered)",
                    headers: [("x-ms-version", "2023-11-03"), ("x-ms-blob-type", "BlockBlob")],
                    body: "x"
                ).code == "AuthenticationFailed"
            )
            let expired = server.sas.token(
                container: "c",
                blob: nil,
                permissions: "r",
                expiry: Date().addingTimeInterval(-1)
            )
            let reply = try await send(.GET, "\(base)/b?\(expired)")
            #expect(reply.status == 403 && reply.code == "AuthenticationFailed")
            let future = server.sas.token(
                container: "c",
                blob: nil,
                permissions: "r",
                start: Date().addingTimeInterval(600),
                expiry: Date().addingTimeInterval(900)
            )
            #expect(try await send(.GET, "\(base)/b?\(future)").code == "AuthenticationFailed")
            #expect(try await send(.GET, "\(base)/b").status == 401)
            let old = server.sas.token(
                container: "c",
                blob: nil,
                permissions: "r",
                expiry: Date().addingTimeInterval(600),
                version: "2019-12-12"
            )
            #expect(try await send(.GET, "\(base)/b?\(old)").code == "AuthenticationFailed")
        }
    }

    @Test func validatesBlockIDs() async throws {
        try await withServer { _, base, sas in
            let notBase64 = try await send(.PUT, "\(base)/b?comp=block&blockid=%21%21%21&\(sas)", body: "x")
            #expect(notBase64.status == 400 && notBase64.code == "InvalidQueryParameterValue")
            let long = Data(repeating: 65, count: 65).base64EncodedString()
            #expect(
                try await send(.PUT, "\(base)/b?comp=block&blockid=\(Self.encode(long))&\(sas)", body: "x").code
                    == "InvalidQueryParameterValue"
            )
            let first = try await send(.PUT, "\(base)/b?comp=block&blockid=\(Self.encode("YWFh"))&\(sas)", body: "abc")
            #expect(first.status == 201 && first.headers.first(name: "Content-MD5") != nil)
            let otherLength = try await send(
                .PUT,
                "\(base)/b?comp=block&blockid=\(Self.encode("YWFhYQ=="))&\(sas)",
                body: "x"
            )
            #expect(otherLength.status == 400 && otherLength.code == "InvalidBlobOrBlock")
        }
    }

    @Test func commitsLatestCommittedAndUncommittedBlocksStrictly() async throws {
        try await withServer { server, base, sas in
            for (id, body) in [("YWFh", "one-"), ("YmJi", "two-")] {
                _ = try await send(.PUT, "\(base)/b?comp=block&blockid=\(id)&\(sas)", body: body)
            }
            let unknown = try await send(
                .PUT,
                "\(base)/b?comp=blocklist&\(sas)",
                body: "<BlockList><Latest>Y2Nj</Latest></BlockList>"
            )
            #expect(unknown.status == 400 && unknown.code == "InvalidBlockList")
            let notCommitted = try await send(
                .PUT,
                "\(base)/b?comp=blocklist&\(sas)",
                body: "<BlockList><Committed>YWFh</Committed></BlockList>"
            )
            #expect(notCommitted.code == "InvalidBlockList")
            let commit = try await send(
                .PUT,
                "\(base)/b?comp=blocklist&\(sas)",
                headers: [("x-ms-version", "2023-11-03"), ("x-ms-meta-iv", "SVY=")],
                body:
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList><Uncommitted>YmJi</Uncommitted><Latest>YWFh</Latest></BlockList>"
            )
            #expect(commit.status == 201 && commit.headers.first(name: "ETag") != nil)
            #expect(try await server.store.blob("b", in: "c").bytes == Array("two-one-".utf8))
            _ = try await send(.PUT, "\(base)/b?comp=block&blockid=Y2Nj&\(sas)", body: "three")
            _ = try await send(
                .PUT,
                "\(base)/b?comp=blocklist&\(sas)",
                body: "<BlockList><Committed>YWFh</Committed><Latest>Y2Nj</Latest></BlockList>"
            )
            let whole = try await send(.GET, "\(base)/b?\(sas)")
            #expect(whole.body == "one-three" && whole.headers.first(name: "x-ms-meta-iv") == nil)
            let range = try await send(
                .GET,
                "\(base)/b?\(sas)",
                headers: [("x-ms-version", "2023-11-03"), ("x-ms-range", "bytes=4-6"), ("Range", "bytes=0-0")]
            )
            #expect(
                range.status == 206 && range.body == "thr"
                    && range.headers.first(name: "Content-Range") == "bytes 4-6/9"
            )
            #expect(
                try await send(
                    .GET,
                    "\(base)/b?\(sas)",
                    headers: [("x-ms-version", "2023-11-03"), ("x-ms-range", "bytes=9-")]
                ).status == 416
            )
            let head = try await send(.HEAD, "\(base)/nope?\(sas)")
            #expect(head.status == 404 && head.code == "BlobNotFound" && head.body.isEmpty)
        }
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
