import Foundation
import InterlinkCore

extension RescaleAPIClient {
    /// Decodes a response body, mapping a malformed body to a fatal `PlatformError`.
    package func decode<T: Decodable>(_ type: T.Type, from response: APIResponse, path: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw PlatformError(
                .rejected(
                    status: response.status,
                    message: "unreadable response from '\(path)': \(ErrorText.describe(error))"
                ),
                retryClass: .fatal
            )
        }
    }

    /// Encodes a request body.
    package func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }

    /// GETs and decodes one resource (retry class: safe).
    package func get<T: Decodable>(_ type: T.Type, _ path: String, deadline: Duration = .seconds(30)) async throws -> T
    {
        let response = try await send(APIRequest("GET", path, retryClass: .safe, deadline: deadline))
        return try decode(type, from: response, path: path)
    }

    /// Follows a paginated listing to its end, resending each `next` path to the configured host.
    ///
    /// - Parameters:
    ///   - type: The item type.
    ///   - path: The first page's path, with `page_size` if wanted.
    ///   - deadline: The deadline of each page.
    ///   - stop: Called with each page's items; returning true stops early.
    /// - Returns: Every item read.
    /// - Throws: `PlatformError`; a fatal one after ``Options/maxPages`` pages.
    package func list<T: Decodable & Sendable>(
        _ type: T.Type,
        _ path: String,
        deadline: Duration = .seconds(300),
        stop: ([T]) -> Bool = { _ in false }
    ) async throws -> [T] {
        var items: [T] = []
        var next: String? = path
        var pages = 0
        while let current = next {
            guard pages < options.maxPages else {
                throw PlatformError(
                    .rejected(status: 200, message: "listing '\(path)' has more than \(options.maxPages) pages"),
                    retryClass: .fatal
                )
            }
            let page = try await get(Page<T>.self, current, deadline: deadline)
            pages += 1
            items += page.results
            if stop(page.results) { break }
            next = nextPagePath(page.next)
        }
        return items
    }
}
