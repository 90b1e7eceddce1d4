import Foundation
import InterlinkCore

extension RescaleAPIClient {
    /// `GET /api/v3/folders/{id}/contents/`, all pages of 1000, as the platform's own `{type, item}` entries.
    package func folderEntries(_ id: String) async throws -> [JSONValue] {
        try await list(JSONValue.self, "/api/v3/folders/\(Self.segment(id))/contents/?page_size=1000")
    }

    /// `DELETE /api/v3/folders/{id}/`: a permanent delete of the folder and what it holds.
    ///
    /// - Throws: `PlatformError`; `notFound` when the folder does not exist.
    package func deleteFolder(_ id: String) async throws {
        try await deleteIdempotently(
            "/api/v3/folders/\(Self.segment(id))/",
            probe: "/api/v3/folders/\(Self.segment(id))/contents/"
        )
    }
}
