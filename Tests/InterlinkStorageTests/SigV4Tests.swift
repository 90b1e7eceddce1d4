import Foundation
import InterlinkTestSupport
import Testing

@testable import InterlinkStorage

@Suite struct SigV4Tests {
    struct Case: Encodable {
        var mode: String
        var method: String
        var endpoint: String
        var key: String
        var query: [[String]]
        var headers: [[String]]
        var body: String
        var signPayload: Bool
        var accessKey = "AKIDEXAMPLE"
        var secretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        var sessionToken: String?
        var region = "eu-west-2"
        var epoch = 1_717_171_717
        var expires = 900
    }

    static let cases: [Case] = [
        Case(
            mode: "header",
            method: "PUT",
            endpoint: "http://127.0.0.1:9000/bucket",
            key: "runs/case 001/input.tar.gz-q3ZkT0aLm9XcVb2nRw8YpE",
            query: [["partNumber", "3"], ["uploadId", "a/b+c=="]],
            headers: [["x-amz-meta-iv", "oKGio6SlpqeoqaqrrK2urw=="]],
            body: "part bytes",
            signPayload: true
        ),
        Case(
            mode: "header",
            method: "POST",
            endpoint: "https://bucket.s3.eu-west-2.amazonaws.com",
            key: "Résumé ünïcode/a~b(c)!.dat",
            query: [["uploads", ""]],
            headers: [
                ["x-amz-meta-iv", "oKGio6SlpqeoqaqrrK2urw=="], ["x-amz-meta-streamingformat", "cbc"],
                ["x-amz-meta-partsize", "16777216"],
            ],
            body: "",
            signPayload: false,
            sessionToken: "FwoGZXIvYXdzEJr//////////session+token="
        ),
        Case(
            mode: "header",
            method: "GET",
            endpoint: "https://bucket.s3-fips.us-gov-west-1.amazonaws.com",
            key: "out/results.csv",
            query: [],
            headers: [["Range", "bytes=0-1023"]],
            body: "",
            signPayload: false,
            sessionToken: "tok",
            region: "us-gov-west-1"
        ),
        Case(
            mode: "query",
            method: "GET",
            endpoint: "https://bucket.s3.us-east-1.amazonaws.com",
            key: "shared/model file.bin",
            query: [["versionId", "v 1"]],
            headers: [],
            body: "",
            signPayload: false,
            sessionToken: "session/token==",
            region: "us-east-1"
        ),
        Case(
            mode: "query",
            method: "PUT",
            endpoint: "http://127.0.0.1:9000/bucket",
            key: "a/b/c.txt",
            query: [],
            headers: [],
            body: "",
            signPayload: false
        ),
    ]

    struct Reference: Decodable {
        var url: String
        var headers: [String: String]
    }

    @Test(.tags(.integration)) func matchesBotocoreForHeaderAndQueryAuth() async throws {
        let script = try #require(Bundle.module.url(forResource: "Fixtures/sigv4_reference", withExtension: "py"))
        let run = try await runPython(script, input: try JSONEncoder().encode(Self.cases))
        try #require(run.status == 0, "botocore script failed: \(run.error)")
        let references = try JSONDecoder().decode([Reference].self, from: run.output)
        try #require(references.count == Self.cases.count)
        for (testCase, reference) in zip(Self.cases, references) {
            var request = try #require(Self.signable(testCase))
            let signer = SigV4Signer(
                credentials: AWSCredentials(
                    accessKeyID: testCase.accessKey,
                    secretAccessKey: testCase.secretKey,
                    sessionToken: testCase.sessionToken
                ),
                region: testCase.region
            )
            let date = Date(timeIntervalSince1970: TimeInterval(testCase.epoch))
            if testCase.mode == "query" {
                signer.presign(&request, at: date, expires: testCase.expires)
                #expect(Self.sortedQuery(request.url) == Self.sortedQuery(reference.url), "\(testCase.key)")
            } else {
                let hash =
                    testCase.signPayload
                    ? SigV4Signer.payloadHash(of: Array(testCase.body.utf8)) : SigV4Signer.unsignedPayload
                signer.sign(&request, at: date, payloadHash: hash)
                let ours = Dictionary(request.headers.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { $1 })
                #expect(ours["authorization"] == reference.headers["authorization"], "\(testCase.key)")
                #expect(ours["x-amz-security-token"] == reference.headers["x-amz-security-token"])
                #expect(ours["x-amz-content-sha256"] == reference.headers["x-amz-content-sha256"])
                #expect(request.url == reference.url)
            }
        }
    }

    @Test func encodesEachKeySegmentAndKeepsSlashes() {
        #expect(PercentEncoding.encode("a b/ü~x+y", keepingSlashes: true) == "a%20b/%C3%BC~x%2By")
        #expect(PercentEncoding.encode("a/b=") == "a%2Fb%3D")
    }

    static func signable(_ testCase: Case) -> SignableRequest? {
        guard let endpoint = S3Endpoint.custom(url: testCase.endpoint) else { return nil }
        var request: SignableRequest
        if case .custom(_, let host, _) = endpoint, host.hasSuffix("amazonaws.com") {
            let parts = host.split(separator: ".")
            let region = String(parts[2])
            request = S3Endpoint.aws(region: region, fips: parts[1] == "s3-fips")
                .request(testCase.method, bucket: String(parts[0]), key: ObjectKey(testCase.key))
        } else {
            request = endpoint.request(testCase.method, bucket: "bucket", key: ObjectKey(testCase.key))
        }
        request.query = testCase.query.map { ($0[0], $0[1]) }
        request.headers = testCase.headers.map { ($0[0], $0[1]) }
        return request
    }

    /// The URL with its query items sorted, since botocore and we may order them differently.
    static func sortedQuery(_ url: String) -> String {
        let parts = url.split(separator: "?", maxSplits: 1)
        guard parts.count == 2 else { return url }
        return parts[0] + "?" + parts[1].split(separator: "&").sorted().joined(separator: "&")
    }
}
