import Foundation
import HTTPTypes
import Hummingbird
import InterlinkCore

/// The `/_sim/…` control endpoints (JSON, no authentication) that tests use to read counters and script faults.
///
/// - `GET /_sim/counts`: requests per kind, body bytes served per kind of GET (`servedBytes`), creates, submits
///   per job, creates per name, lookups, rate-limit refusals per scope (`rateLimit.<scope>.blocked` during
///   a throttle, `.overLimit` when the bucket was empty), and S3 parts stored by the checksum they carried
///   (`s3PartChecksums.CRC32`, `.none`).
/// - `POST /_sim/faults` `{"kind", "path", "nth", "action", "count"}` (action as on the command line; `path`, text
///   the request path must contain, is optional); `DELETE` clears.
/// - `POST /_sim/credentials/expire`: every storage credential and SAS issued so far stops working.
/// - `POST /_sim/throttle` `{"apiKey", "scope", "seconds"}`: a 429 burst for that key and scope.
struct SimControl: Sendable {
    let state: SimState
    let faults: FaultInjector
    let limits: RequestThrottle
    let s3: S3Store
    func respond(to request: Request) async -> Response {
        var buffer = (try? await request.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
        let body = buffer.readBytes(length: buffer.readableBytes) ?? []
        switch (request.method, request.uri.path) {
        case (.get, "/_sim/counts"):
            var counts = await state.counts()
            if case .object(var fields) = counts {
                fields["requests"] = .object(faults.requestCounts.mapValues { .number(Double($0)) })
                fields["servedBytes"] = .object(faults.servedBytes.mapValues { .number(Double($0)) })
                fields["rateLimit"] = .object(
                    limits.refusals.mapValues { refusal -> JSONValue in
                        ["blocked": .number(Double(refusal.blocked)), "overLimit": .number(Double(refusal.overLimit))]
                    }
                )
                fields["s3PartChecksums"] = .object(await s3.partChecksums.mapValues { .number(Double($0)) })
                counts = .object(fields)
            }
            return APIReply.json(.ok, counts)
        case (.post, "/_sim/faults"):
            let shape = JSONShape.object([
                "kind": (.nonEmptyString, true), "nth": (.int(minimum: 1), false), "action": (.nonEmptyString, true),
                "count": (.int(minimum: 1), false), "path": (.nonEmptyString, false),
            ])
            guard let value = JSONValue.parse(body) else { return APIReply.detail(.badRequest, "body is not JSON") }
            if let errors = shape.errors(in: value) { return APIReply.json(.badRequest, errors) }
            guard let action = FaultRule.action(value["action"]?.string ?? "") else {
                return APIReply.json(
                    .badRequest,
                    ["action": ["unknown action; use 500, 503, reset, 429=S, slow=MS, delay=MS or expire"]]
                )
            }
            let rule = FaultRule(
                kind: value["kind"]?.string ?? "",
                pathContains: value["path"]?.string,
                nth: value["nth"]?.int ?? 1,
                action: action,
                count: value["count"]?.int ?? 1
            )
            faults.install(rule)
            return APIReply.json(.created, ["installed": true])
        case (.delete, "/_sim/faults"):
            faults.clear()
            return APIReply.empty(.noContent)
        case (.post, "/_sim/credentials/expire"):
            await expireCredentials()
            return APIReply.empty(.noContent)
        case (.post, "/_sim/throttle"):
            let shape = JSONShape.object([
                "apiKey": (.nonEmptyString, true), "scope": (.nonEmptyString, true),
                "seconds": (.int(minimum: 0), true),
            ])
            guard let value = JSONValue.parse(body) else { return APIReply.detail(.badRequest, "body is not JSON") }
            if let errors = shape.errors(in: value) { return APIReply.json(.badRequest, errors) }
            guard let scope = RequestThrottle.Scope(rawValue: value["scope"]?.string ?? "") else {
                return APIReply.json(.badRequest, ["scope": ["use user, job-submission or jobs-usage"]])
            }
            limits.block(key: value["apiKey"]?.string ?? "", scope: scope, for: .seconds(value["seconds"]?.int ?? 0))
            return APIReply.empty(.noContent)
        default:
            return APIReply.detail(.notFound, "Not found.")
        }
    }

    /// Expires every S3 credential and revokes every SAS issued so far (by signature, so tokens issued later work).
    func expireCredentials() async {
        await state.expireAllCredentials()
    }

    /// An `AuthenticationFailed` response when a request carries a revoked SAS.
    func revokedSAS(_ request: Request) async -> Response? {
        let signature = SASQuery.parse(request.uri.query ?? "").first { $0.0 == "sig" }?.1
        guard let signature, await state.isRevoked(signature: signature) else { return nil }
        return BlobError.authenticationFailed("Signed expiry time has passed (credentials expired by the simulator)")
            .response(isHead: request.method == .head, headers: HTTPFields())
    }
}
