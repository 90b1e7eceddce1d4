import Foundation
import Hummingbird
import InterlinkCore

extension APIHandler {
    static let analysisShape = JSONShape.object([
        "command": (.nonEmptyString, true),
        "analysis": (.object(["code": (.nonEmptyString, true), "version": (.string, false)]), true),
        "hardware": (
            .object([
                "coreType": (.object(["code": (.nonEmptyString, true)]), true),
                "coresPerSlot": (.int(minimum: 1), true), "slots": (.int(minimum: 1), false),
                "walltime": (.int(minimum: 1), false),
            ]), true
        ),
        "inputFiles": (
            .array(.object(["id": (.nonEmptyString, true), "decompress": (.bool, false)]), minimumCount: 0), false
        ),
        "envVars": (.map(.string), false),
        "useRescaleLicense": (.bool, false),
        "onDemandLicenseSeller": (.nullable(.string), false),
        "userDefinedLicenseSettings": (.nullable(.map(.any)), false),
        "flags": (.map(.any), false),
    ])

    static let createShape = JSONShape.object([
        "name": (.nonEmptyString, true),
        "jobanalyses": (.array(analysisShape, minimumCount: 1), true),
        "isLowPriority": (.bool, false),
        "projectId": (.nonEmptyString, false),
        "clusterId": (.nonEmptyString, false),
        "tags": (.array(.string, minimumCount: 0), false),
        "jobAutomations": (
            .array(
                .object([
                    "automation": (.object(["id": (.nonEmptyString, true)]), true),
                    "environmentVariables": (.map(.nullable(.string)), false),
                ]),
                minimumCount: 0
            ),
            false
        ),
        "billingPriorityValue": (.nonEmptyString, false),
        "description": (.string, false),
    ])

    /// `POST /api/v3/jobs/`: validates shape and catalog rules, then saves the job unsubmitted.
    func createJob(_ request: AuthenticatedCall) async throws -> Response {
        let body = try request.json(matching: Self.createShape)
        // The platform answers 500 for an automation without environmentVariables.
        if body["jobAutomations"]?.array?.contains(where: { $0["environmentVariables"] == nil }) == true {
            return APIReply.detail(.internalServerError, "A server error occurred.")
        }
        var analysisErrors: [JSONValue] = []
        for analysis in body["jobanalyses"]?.array ?? [] {
            analysisErrors.append(await problems(in: analysis, key: request.user.apiKey) ?? [:])
        }
        if analysisErrors.contains(where: { $0 != [:] }) {
            throw ErrorResponse.invalid(["jobanalyses": .array(analysisErrors)])
        }
        let job = SimJob(
            id: SimIDs.make(),
            ownerKey: request.user.apiKey,
            owner: request.user.email,
            body: body,
            dateInserted: Date(),
            projectID: body["projectId"]?.string
        )
        await state.insert(job)
        return APIReply.json(.created, await record(of: job, withStatus: false))
    }

    private func problems(in analysis: JSONValue, key: String) async -> JSONValue? {
        var problems: [String: JSONValue] = [:]
        let code = analysis["analysis"]?["code"]?.string ?? ""
        let coreType = analysis["hardware"]?["coreType"]?["code"]?.string ?? ""
        if let entry = SimCatalog.analysis(code) {
            let versions = entry["versions"]?.array ?? []
            if let version = analysis["analysis"]?["version"]?.string {
                if let chosen = versions.first(where: { $0["versionCode"]?.string == version }) {
                    let allowed = chosen["allowedCoreTypes"]?.array?.compactMap(\.string) ?? []
                    if !allowed.contains(coreType) {
                        problems["hardware"] = [
                            "coreType": ["code": ["'\(coreType)' is not allowed for '\(code)' version '\(version)'"]]
                        ]
                    }
                } else {
                    problems["analysis"] = ["version": ["'\(version)' is not a versionCode of '\(code)'"]]
                }
            }
        } else {
            problems["analysis"] = ["code": ["unknown analysis '\(code)'"]]
        }
        if let cores = SimCatalog.cores(of: coreType) {
            let perSlot = analysis["hardware"]?["coresPerSlot"]?.int ?? 0
            if !cores.contains(perSlot) {
                problems["hardware"] = [
                    "coresPerSlot": ["\(perSlot) is not valid for '\(coreType)'; use one of \(cores)"]
                ]
            }
        } else {
            problems["hardware"] = ["coreType": ["code": ["unknown core type '\(coreType)'"]]]
        }
        var missing: [String] = []
        for input in analysis["inputFiles"]?.array ?? [] {
            let id = input["id"]?.string ?? ""
            if await state.file(id, key: key) == nil { missing.append(id) }
        }
        if !missing.isEmpty { problems["inputFiles"] = .array(missing.map { .string("unknown file '\($0)'") }) }
        return problems.isEmpty ? nil : .object(problems)
    }

    /// The job as create and get return it; list items add `jobStatus`.
    func record(of job: SimJob, withStatus: Bool) async -> JSONValue {
        let roots = await state.rootFolders(of: job.ownerKey)
        var fields: [String: JSONValue] = [
            "id": .string(job.id), "name": .string(job.name), "dateInserted": .string(SimIDs.date(job.dateInserted)),
            "owner": .string(job.owner), "jobanalyses": job.body["jobanalyses"] ?? [],
            "isLowPriority": job.body["isLowPriority"] ?? false,
            "projectId": job.projectID.map(JSONValue.string) ?? .null,
            "userTags": .array(job.tags.map(JSONValue.string)), "folderId": .string(roots.myJobs),
        ]
        if withStatus, let current = job.current {
            fields["jobStatus"] = ["content": .string(current.status), "statusReason": .string(current.reason)]
        }
        return .object(fields)
    }

    func listJobs(_ request: AuthenticatedCall) async throws -> Response {
        var jobs = await state.jobs(of: request.user.apiKey)
        for name in ["search", "name"] {
            guard let value = request.parameter(name) else { continue }
            await state.recordLookup("\(name):\(value)")
            jobs = jobs.filter { name == "name" ? $0.name == value : $0.name.localizedCaseInsensitiveContains(value) }
        }
        if let tag = request.parameter("tag") {
            await state.recordLookup("tag:\(tag)")
            jobs = jobs.filter { $0.tags.contains(tag) }
        }
        if request.parameter("ordering") == "dateInserted" { jobs.reverse() }
        var records: [JSONValue] = []
        for job in jobs { records.append(await record(of: job, withStatus: true)) }
        return APIReply.json(.ok, try Pagination.page(records, for: request))
    }

    func job(_ id: String, _ request: AuthenticatedCall) async throws -> Response {
        guard let job = await state.job(id, key: request.user.apiKey) else { throw ErrorResponse.notFound() }
        return APIReply.json(.ok, await record(of: job, withStatus: false))
    }

    func deleteJob(_ id: String, _ request: AuthenticatedCall) async throws -> Response {
        try requireNoBody(request)
        guard let job = await state.job(id, key: request.user.apiKey) else { throw ErrorResponse.notFound() }
        if let current = job.current?.status, current != "Completed" {
            throw ErrorResponse.field(
                "non_field_errors",
                "a job in status '\(current)' cannot be deleted; stop it first"
            )
        }
        await state.deleteJob(id)
        return APIReply.empty(.noContent)
    }
}
