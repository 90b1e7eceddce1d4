/// The endpoint classes the simulator serves; the raw value is the request kind used by counts and faults.
enum APIEndpoint: String, CaseIterable {
    case usersMe = "users.me"
    case rootFolders = "folders.root"
    case foldersCreate = "folders.create"
    case foldersContents = "folders.contents"
    case foldersDelete = "folders.delete"
    case credentials = "credentials"
    case filesRegister = "files.register"
    case filesList = "files.list"
    case filesGet = "files.get"
    case filesDelete = "files.delete"
    case jobsCreate = "jobs.create"
    case jobsList = "jobs.list"
    case jobsGet = "jobs.get"
    case jobsDelete = "jobs.delete"
    case jobsStatuses = "jobs.statuses"
    case jobsStop = "jobs.stop"
    case jobsTagsList = "jobs.tags.list"
    case jobsTagsAdd = "jobs.tags.add"
    case jobsProject = "jobs.project"
    case jobsSubmit = "jobs.submit"
    case jobsFiles = "jobs.files"
    case coreTypes = "coretypes"
    case analyses = "analyses"
    case automations = "automations"
    case jobsRuns = "jobs.runs"
    case jobsRunTail = "jobs.runs.tail"

    /// A matched route: the endpoint and the ids captured from the path.
    struct Match {
        let endpoint: APIEndpoint
        let ids: [String]
    }

    /// The outcome of routing.
    enum Routing {
        case matched(Match)
        case methodNotAllowed
        case notFound
    }

    /// Routes a method and the path segments after `/api/`.
    static func route(method: String, segments: [String]) -> Routing {
        var byMethod: [String: APIEndpoint] = [:]
        var ids: [String] = []
        switch segments {
        case ["v3", "users", "me"]: byMethod = ["GET": .usersMe]
        case ["v3", "users", "me", "folders"]: byMethod = ["GET": .rootFolders]
        case ["v3", "credentials"]: byMethod = ["POST": .credentials]
        case ["v3", "files"]: byMethod = ["GET": .filesList, "POST": .filesRegister]
        case ["v3", "jobs"]: byMethod = ["GET": .jobsList, "POST": .jobsCreate]
        case ["v3", "coretypes"], ["v2", "coretypes"]: byMethod = ["GET": .coreTypes]
        case ["v3", "analyses"], ["v2", "analyses"]: byMethod = ["GET": .analyses]
        case ["v3", "automations"]: byMethod = ["GET": .automations]
        default:
            switch (segments.count, segments.first, segments.count > 1 ? segments[1] : "") {
            case (3, "v3", "files"): byMethod = ["GET": .filesGet, "DELETE": .filesDelete]
            case (3, "v3", "folders"): byMethod = ["POST": .foldersCreate, "DELETE": .foldersDelete]
            case (4, "v3", "folders") where segments[3] == "contents": byMethod = ["GET": .foldersContents]
            case (3, "v3", "jobs"): byMethod = ["GET": .jobsGet, "DELETE": .jobsDelete]
            case (4, "v3", "jobs") where segments[3] == "statuses": byMethod = ["GET": .jobsStatuses]
            case (4, "v3", "jobs") where segments[3] == "stop": byMethod = ["POST": .jobsStop]
            case (4, "v3", "jobs") where segments[3] == "tags": byMethod = ["GET": .jobsTagsList, "POST": .jobsTagsAdd]
            case (4, "v2", "jobs") where segments[3] == "submit": byMethod = ["POST": .jobsSubmit]
            case (4, "v2", "jobs") where segments[3] == "files": byMethod = ["GET": .jobsFiles]
            case (4, "v2", "jobs") where segments[3] == "runs": byMethod = ["GET": .jobsRuns]
            case (7..., "v2", "jobs") where segments[3] == "runs" && segments[5] == "tail":
                // The live file's path is every segment after `tail`.
                byMethod = ["GET": .jobsRunTail]
                ids = [segments[2], segments[4], segments[6...].joined(separator: "/")]
            case (6, "v2", "organizations") where segments[3] == "jobs" && segments[5] == "project-assignment":
                byMethod = ["POST": .jobsProject]
                ids = [segments[4], segments[2]]
            default: return .notFound
            }
            if ids.isEmpty { ids = [segments[2]] }
        }
        guard let endpoint = byMethod[method] else { return .methodNotAllowed }
        return .matched(Match(endpoint: endpoint, ids: ids))
    }
}
