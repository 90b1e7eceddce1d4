import Foundation
import InterlinkCore

extension RescaleAPIClient {
    /// `GET /api/v3/files/?limit=N`: the newest files, first page only, as the platform's own records.
    ///
    /// Records the platform marks not uploaded or deleted are left out.
    ///
    /// - Parameters:
    ///   - limit: The most records, at least 1 (the page size too, up to 1000).
    ///   - search: A name substring, or nil.
    /// - Returns: The records, as sent.
    /// - Throws: `PlatformError` from the call.
    package func listFiles(limit: Int, search: String?) async throws -> [JSONValue] {
        var path = "/api/v3/files/?limit=\(limit)&page_size=\(min(max(limit, 1), 1000))"
        if let search, !search.isEmpty { path += "&search=\(Self.queryValue(search))" }
        let page = try await get(Page<JSONValue>.self, path)
        return page.results.filter { record in
            if case .object(let fields) = record {
                return fields["isUploaded"] != .bool(false) && fields["isDeleted"] != .bool(true)
            }
            return false
        }
    }

    /// `GET /api/v3/files/{id}/` as the platform's own record.
    package func fileJSON(_ id: String) async throws -> JSONValue {
        try await get(JSONValue.self, "/api/v3/files/\(Self.segment(id))/")
    }

    /// `DELETE /api/v3/files/{id}/`: a permanent delete (retry class safe: a 404 on a retry means done).
    ///
    /// - Throws: `PlatformError`; `notFound` when the file does not exist (before any retry).
    package func deleteFile(_ id: String) async throws {
        let path = "/api/v3/files/\(Self.segment(id))/"
        try await deleteIdempotently(path, probe: path)
    }

    /// Sends a DELETE that is done when it succeeds, or when a retry of it finds the resource gone.
    ///
    /// - Parameters:
    ///   - path: The resource.
    ///   - probe: A GET path that answers 404 once the resource is gone.
    /// - Throws: `PlatformError` from the calls.
    func deleteIdempotently(_ path: String, probe: String) async throws {
        let request = APIRequest("DELETE", path, retryClass: .reconcile, accepted: [200, 202, 204])
        do {
            _ = try await send(request)
        } catch let error as PlatformError where error.retryClass == .needsReconcile {
            // The first attempt may have worked: look before retrying once.
            let found = try await send(APIRequest("GET", probe, retryClass: .safe, accepted: [200, 404]))
            guard found.status == 200 else { return }
            _ = try await send(request)
        }
    }

    /// Percent-encodes a query value.
    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~")))
            ?? text
    }
}
