import Foundation
import InterlinkCore
import InterlinkHTTP
import InterlinkSystem
import InterlinkTestSupport
import Testing

@testable import RescaleAPI
@testable import RescalePlatform

/// Builds a platform against a scripted API server (or the emulator, with its user's key).
func makePlatform(_ base: String, key: String = "test-key-123456", environment: [String: String] = [:]) throws
    -> RescalePlatform
{
    var options = RescaleAPIClient.Options()
    options.unitRandom = { 0 }
    let api = try RescaleAPIClient(
        baseURL: base,
        key: try #require(APIKey(key)),
        allowInsecureHost: true,
        http: HTTPClient.shared,
        limiter: RateLimiter(),
        options: options,
        logger: quietLogger
    )
    return RescalePlatform(
        api: api,
        http: HTTPClient.shared,
        options: RescalePlatformOptions(environment: environment),
        fileSystem: LocalFileSystem(),
        logger: quietLogger
    )
}

/// A JSON object from request bytes.
func jsonObject(_ data: Data) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
}

/// JSON text of an object.
func jsonText(_ object: Any) -> String {
    String(decoding: (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8), as: UTF8.self)
}
