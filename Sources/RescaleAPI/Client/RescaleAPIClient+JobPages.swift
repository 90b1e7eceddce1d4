import Foundation
import InterlinkCore

/// One page of the account's jobs, newest first, as a table that pages on the server shows it.
package struct JobRecordPage: Sendable {
    /// The page's records, raw (list items carry `jobStatus`).
    package var records: [JSONValue]
    /// Whether a later page has records.
    package var hasNext: Bool
    /// How many jobs match in all, when the platform says (never with a status filter).
    package var total: Int?
}

extension RescaleAPIClient {
    /// One page of the account's jobs, newest first, optionally only those whose name contains `search` (the
    /// platform's own search) and whose newest status is `status` (filtered here: the platform has no such
    /// filter, so pages of 100 are read until the page is full).
    ///
    /// - Parameters:
    ///   - number: The page, from 1.
    ///   - size: Jobs per page, 1 to 100.
    ///   - search: A name substring, or nil.
    ///   - status: A status such as `Executing` (case-insensitive), or nil.
    /// - Returns: The page.
    /// - Throws: `PlatformError` from the calls.
    package func jobPage(number: Int, size: Int, search: String?, status: String?) async throws -> JobRecordPage {
        let size = min(max(size, 1), 100)
        let number = max(number, 1)
        var query = "ordering=-dateInserted"
        if let search, !search.isEmpty { query += "&search=\(Self.queryValue(search))" }
        guard let wanted = status?.lowercased(), !wanted.isEmpty else {
            let path = "/api/v3/jobs/?\(query)&page=\(number)&page_size=\(size)"
            let response = try await send(APIRequest("GET", path, retryClass: .safe, accepted: [200, 404]))
            // A page past the end is a 404 "Invalid page."; it has no records.
            guard response.status == 200 else { return JobRecordPage(records: [], hasNext: false, total: nil) }
            let page = try decode(Page<JSONValue>.self, from: response, path: path)
            return JobRecordPage(records: page.results, hasNext: nextPagePath(page.next) != nil, total: page.count)
        }
        let matches: @Sendable (JSONValue) -> Bool = { $0["jobStatus"]?["content"]?.string?.lowercased() == wanted }
        let needed = (number - 1) * size + size + 1
        var kept = 0
        let all = try await list(JSONValue.self, "/api/v3/jobs/?\(query)&page_size=100") { page in
            kept += page.filter(matches).count
            return kept >= needed
        }
        let selected = all.filter(matches).dropFirst((number - 1) * size)
        return JobRecordPage(records: Array(selected.prefix(size)), hasNext: selected.count > size, total: nil)
    }

    /// One job's record with `jobStatus` set from its newest status entry, the way list items carry it (`jobs get`
    /// and the web UI's job details).
    ///
    /// - Parameter id: The job id.
    /// - Returns: The merged record.
    /// - Throws: `PlatformError` from the calls.
    package func jobRecordWithStatus(_ id: String) async throws -> JSONValue {
        async let job = jobRecord(id)
        async let statuses = jobStatuses(id)
        return Self.merge(try await job, newest: try await statuses.first)
    }

    /// The record with `jobStatus` set from the newest status entry.
    package static func merge(_ record: JSONValue, newest: JobStatusEntry?) -> JSONValue {
        guard case .object(var members) = record, let newest else { return record }
        members["jobStatus"] = .object([
            "content": .string(newest.status), "statusReason": .string(newest.statusReason ?? ""),
        ])
        return .object(members)
    }
}
