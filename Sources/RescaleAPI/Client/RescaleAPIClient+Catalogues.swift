import Foundation
import InterlinkCore

extension RescaleAPIClient {
    /// `GET /api/v3/coretypes/`, all pages: every core type, or only active ones (`?isActive=true`).
    ///
    /// - Parameter includeInactive: Whether inactive core types are listed too.
    /// - Returns: The records as the platform sends them (`code`, `name`, `displayOrder`, `isActive`, `cores`).
    /// - Throws: `PlatformError` from the calls.
    package func coreTypeRecords(includeInactive: Bool) async throws -> [JSONValue] {
        let filter = includeInactive ? "" : "&isActive=true"
        return try await list(JSONValue.self, "/api/v3/coretypes/?page_size=100\(filter)")
    }

    /// `GET /api/v3/analyses/`, all pages (the catalogue can be long: five minutes per page at most).
    ///
    /// - Returns: The records as the platform sends them (`code`, `name`, `versions[{version, versionCode}]` …).
    /// - Throws: `PlatformError` from the calls.
    package func analysisRecords() async throws -> [JSONValue] {
        try await list(JSONValue.self, "/api/v3/analyses/?page_size=100", deadline: .seconds(300))
    }

    /// `GET /api/v3/automations/`: one read, accepting a bare array or a page envelope.
    ///
    /// - Returns: The records as the platform sends them (`id`, `name`, `executeOn`, `scriptName` …).
    /// - Throws: `PlatformError` from the call; a fatal one when the body is neither form.
    package func automationRecords() async throws -> [JSONValue] {
        let path = "/api/v3/automations/"
        let body = try await get(JSONValue.self, path)
        switch body {
        case .array(let items): return items
        case .object(let members):
            if case .array(let items) = members["results"] ?? .array([]) { return items }
        default: break
        }
        throw PlatformError(
            .rejected(status: 200, message: "unreadable response from '\(path)': neither a list nor a page"),
            retryClass: .fatal
        )
    }
}
