import Foundation
import InterlinkWeb
import Testing

/// The Setup tab's routes over real HTTP: the settings read and written where the CLI reads them (the profile, the
/// key file with mode 0600, the config.csv), the key never sent whole, bad values refused, and `config test`.
@Suite(.tags(.integration)) struct SetupRoutesTests {
    @Test func writesTheFilesTheCLIReadsAndNeverSendsTheKey() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("setup-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment = ["XDG_CONFIG_HOME": home, "HOME": home]
        try await SimConnection.withSim { connection, _ in
            try await WebHarness.with(connection: connection, environment: environment) { web in
                let cookie = try await web.cookie()
                let post = { (path: String, body: String) in
                    try await web.call(.POST, path, headers: [("Cookie", cookie), ("Origin", web.base)], body: body)
                }
                let before = object(try await web.call(.GET, "/api/setup", headers: [("Cookie", cookie)]).body)
                #expect(before["apiKey"] == nil && before["profile"] as? String == "default", "\(before)")
                #expect(before["tarWorkers"] as? Int == 4 && before["proxyMode"] as? String == "no-proxy")

                let key = "setup-secret-key-WXYZ"
                let saved = try await post(
                    "/api/setup",
                    #"{"profile": "default", "url": "\#(connection.base)", "insecureHost": true, "key": "\#(key)", "#
                        + #""tarWorkers": 6, "uploadWorkers": 3, "proxyMode": "system"}"#
                )
                #expect(saved.status == 200, "\(saved.body)")
                #expect(!saved.body.contains(key), "the key is never sent to the page")
                let settings = object(saved.body)
                #expect((settings["apiKey"] as? [String: Any])?["value"] as? String == "****WXYZ", "\(settings)")
                #expect((settings["platform"] as? [String: Any])?["value"] as? String == connection.base)

                let keyFile = home + "/rescale-int/profiles/default.apikey"
                let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? NSNumber
                #expect(mode?.intValue == 0o600)
                #expect(try String(contentsOfFile: keyFile, encoding: .utf8) == key + "\n")
                let csv = try String(contentsOfFile: home + "/rescale/config.csv", encoding: .utf8)
                #expect(csv == "key,value\ntar_workers,6\nupload_workers,3\nproxy_mode,system\n", "\(csv)")

                // A missing key keeps the stored one; bad values are refused and nothing is written.
                let kept = try await post("/api/setup", #"{"profile": "default", "jobWorkers": 2}"#)
                #expect((object(kept.body)["apiKey"] as? [String: Any])?["value"] as? String == "****WXYZ")
                let refused = try await post(
                    "/api/setup",
                    #"{"profile": "default", "tarWorkers": 0, "proxyMode": "x"}"#
                )
                #expect(refused.status == 400 && refused.body.contains("tar workers must be from 1 to 256"))
                #expect(refused.body.contains("proxy mode must be one of"))
                let badName = try await post("/api/setup", #"{"profile": "../evil", "key": "k"}"#)
                #expect(badName.status == 400, "\(badName.body)")
                #expect(!FileManager.default.fileExists(atPath: home + "/rescale-int/evil.apikey"))
                let after = try String(contentsOfFile: home + "/rescale/config.csv", encoding: .utf8)
                #expect(after == "key,value\ntar_workers,6\nupload_workers,3\nproxy_mode,system\njob_workers,2\n")

                let test = object(try await post("/api/setup/test", "{}").body)
                #expect(test["ok"] as? Bool == true, "\(test)")
                #expect((test["user"] as? String)?.contains("ada@example.com") == true)
                #expect((test["storage"] as? String)?.hasPrefix("S3 bucket") == true, "\(test)")
            }
        }
    }
}
