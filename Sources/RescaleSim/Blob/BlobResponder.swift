import Foundation
import HTTPTypes
import Hummingbird

/// Answers Azure Blob REST requests at `/<account>/<container>/<blob>`, strictly per the service documentation.
package struct BlobResponder: HTTPResponder {
    /// Hummingbird's basic per-request context.
    package typealias Context = BasicRequestContext

    /// Where blobs live.
    package let store: BlobStore
    /// The account's SAS signer and verifier.
    package let sas: ServiceSAS
    /// The largest request body accepted, in bytes.
    package var maxBodyBytes = 256 << 20

    /// `x-ms-version` values the service accepts (GA versions; an unknown one is `InvalidHeaderValue`).
    static let knownVersions: Set<String> = [
        "2019-02-02", "2019-07-07", "2019-10-10", "2019-12-12", "2020-02-10", "2020-04-08", "2020-06-12",
        "2020-08-04", "2020-10-02", "2020-12-06", "2021-02-12", "2021-04-10", "2021-06-08", "2021-08-06",
        "2021-10-04", "2021-12-02", "2022-11-02", "2023-01-03", "2023-05-03", "2023-08-03", "2023-11-03",
        "2024-02-04", "2024-05-04", "2024-08-04", "2024-11-04", "2025-01-05", "2025-05-05", "2025-07-05",
        "2025-11-05", "2026-02-06", "2026-04-06", "2026-06-06", "2026-10-06",
    ]

    /// Creates a responder.
    package init(store: BlobStore, sas: ServiceSAS) {
        self.store = store
        self.sas = sas
    }

    /// Routes one request and renders ``BlobError``s as the documented error responses.
    package func respond(to request: Request, context: Context) async throws -> Response {
        var common = HTTPFields()
        common[BlobHeader.requestID] = UUID().uuidString.lowercased()
        common[.date] = BlobDates.rfc1123(Date())
        if let version = request.headers[BlobHeader.version] { common[BlobHeader.version] = version }
        do {
            return try await route(request, common: common)
        } catch let error as BlobError {
            return error.response(isHead: request.method == .head, headers: common)
        }
    }

    private func route(_ request: Request, common: HTTPFields) async throws -> Response {
        guard let version = request.headers[BlobHeader.version] else { throw BlobError.missingHeader("x-ms-version") }
        guard Self.knownVersions.contains(version) else { throw BlobError.invalidHeader("x-ms-version") }
        let segments = request.uri.path.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard segments.count >= 3, segments[0].isEmpty, SASQuery.decode(segments[1]) == sas.account,
            !segments[2].isEmpty
        else { throw BlobError("InvalidUri", 400, "The requested URI does not represent any resource on the server.") }
        let rest = segments[2].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let container = SASQuery.decode(rest[0])
        let blob = rest.count > 1 && !rest[1].isEmpty ? SASQuery.decode(rest[1]) : nil
        let query = SASQuery.parse(request.uri.query ?? "")
        let comp = query.first { $0.0 == "comp" }?.1
        let target = BlobRequest(
            request: request,
            container: container,
            blob: blob ?? "",
            query: query,
            common: common,
            store: store,
            maxBodyBytes: maxBodyBytes
        )
        guard blob != nil else {
            guard query.contains(where: { $0 == ("restype", "container") }),
                request.method == .head || request.method == .get
            else {
                throw BlobError("UnsupportedHttpVerb", 405, "The resource doesn't support the specified HTTP verb.")
            }
            try authorize(query, container, nil, [.read])
            _ = try await store.exists("", in: container)
            return target.respond(.ok, headers: HTTPFields())
        }
        switch (request.method, comp) {
        case (.put, nil):
            try authorize(query, container, blob, try await writePermissions(container, blob))
            return try await target.putBlob()
        case (.put, "block"):
            try authorize(query, container, blob, [.write, .create, .add])
            return try await target.putBlock()
        case (.put, "blocklist"):
            try authorize(query, container, blob, try await writePermissions(container, blob))
            return try await target.putBlockList()
        case (.get, nil), (.head, nil):
            try authorize(query, container, blob, [.read])
            return try await target.getBlob(headOnly: request.method == .head)
        case (.get, "blocklist"):
            try authorize(query, container, blob, [.read])
            return try await target.getBlockList()
        case (.get, _), (.put, _), (.head, _):
            throw BlobError.invalidQuery("comp")
        default:
            throw BlobError("UnsupportedHttpVerb", 405, "The resource doesn't support the specified HTTP verb.")
        }
    }

    private func writePermissions(_ container: String, _ blob: String?) async throws -> Set<ServiceSAS.Permission> {
        guard let blob else { return [.write] }
        return try await store.exists(blob, in: container) ? [.write] : [.write, .create]
    }

    private func authorize(
        _ query: [(String, String)],
        _ container: String,
        _ blob: String?,
        _ needed: Set<ServiceSAS.Permission>
    ) throws {
        try sas.verify(query: query, container: container, blob: blob, needed: needed, isHTTPS: false, now: Date())
    }
}
