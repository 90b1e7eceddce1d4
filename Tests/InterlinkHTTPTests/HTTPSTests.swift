import Foundation
import InterlinkHTTP
import InterlinkTestSupport
import NIOCore
import Testing

/// HTTPS through curl's OpenSSL: a certificate trusted through `SSL_CERT_FILE` (the configuration's CA file) works,
/// the same server without it fails with a TLS error that says so.
@Suite(.tags(.integration)) struct HTTPSTests {
    @Test func aCertificateIsTrustedOnlyThroughTheConfiguredCAFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("https-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let made = try await ChildProcess.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1",
            ]
        )
        #expect(made.status == 0, "\(made.stderrText)")
        try await TestServer.with(arguments: ["--tls", certificate, key]) { server in
            let url = "https://127.0.0.1:\(server.port)/echo"
            var trusting = HTTPClient.Configuration()
            trusting.caFile = certificate
            let trusted = HTTPClient(configuration: trusting)
            let response = try await trusted.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
            let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
            try await trusted.shutdown()
            #expect(response.status == .ok && body.contains("\"method\": \"GET\""), "\(body)")

            let untrusted = HTTPClient()
            let error = await #expect(throws: HTTPClientError.self) {
                _ = try await untrusted.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
            }
            try await untrusted.shutdown()
            guard case .tlsFailed? = error?.reason else {
                Issue.record("expected a TLS failure, got \(String(describing: error))")
                return
            }
            #expect(error?.isFatal == true)
            #expect(String(describing: error).contains("certificate"), "\(String(describing: error))")
        }
    }
}
