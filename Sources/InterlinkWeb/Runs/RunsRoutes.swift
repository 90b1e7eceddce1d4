import Foundation
import Hummingbird
import InterlinkCore
import InterlinkSystem

/// The Runs tab's API: the runs under the study directory, a workflow's plan before running, a run's page of
/// jobs, and run, resume, retry and stop through the CLI's own commands (``WebProcesses``).
///
/// - `GET /api/runs`: every run (as `rescale-int runs --json`) and the commands the UI started
/// - `GET /api/workflows`: the workflow files under the study directory
/// - `GET /api/plan?workflow=PATH`: `rescale-int plan PATH --json`, with its diagnostics (file:line)
/// - `GET /api/runs/ID?offset=&limit=`: one run with a page of its jobs
/// - `GET /api/runs/ID/output?path=P`: one output file of the run
/// - `POST /api/runs` `{"workflow": PATH, "platform": "local"}`: `rescale-int run PATH --json`
/// - `POST /api/runs/ID/resume`, `/retry`: `rescale-int resume RUNDIR --json` (resume redoes failed steps and
///   unsuccessful jobs: the retry of failed jobs)
/// - `POST /api/runs/ID/stop`: `rescale-int stop RUNDIR`
struct RunsRoutes: WebRouteGroup {
    /// The body of `POST /api/runs`.
    struct Start: Decodable {
        var workflow: String
        var platform: String?
    }

    /// The reply of `GET /api/runs`.
    struct Listing: Encodable {
        var directory: String
        var runs: [WebRunSummary]
        var commands: [WebProcesses.Command]
    }

    func register(on router: Router<WebContext>, services: WebServices) {
        router.get("/api/runs") { _, _ in
            let runs = await services.runs.runs(in: services.directory)
            return WebReply.json(
                Listing(directory: services.directory, runs: runs, commands: services.processes.all)
            )
        }
        router.get("/api/workflows") { _, _ in
            let files = await Blocking.run { WebWorkflows.files(under: services.directory) }
            return WebReply.json(["workflows": files])
        }
        router.get("/api/plan") { request, _ in
            let path = try Self.workflow(request.uri.queryParameters.get("workflow"), services: services)
            let output = try await services.processes.run(["plan", path, "--json"])
            return WebReply.json(WebPlanReply(output: output, workflow: path))
        }
        router.get("/api/runs/:id") { request, context in
            let id = try context.parameters.require("id")
            let query = request.uri.queryParameters
            let page = WebPage(
                offset: query.get("offset", as: Int.self) ?? 0,
                limit: query.get("limit", as: Int.self) ?? 100
            )
            return WebReply.json(try await services.runs.run(id, in: services.directory, page: page))
        }
        router.get("/api/runs/:id/output") { request, context in
            let id = try context.parameters.require("id")
            let detail = try await services.runs.run(id, in: services.directory, page: WebPage(offset: 0, limit: 1))
            // The run directory is BASE/.interlink/runs/ID; outputs are relative to BASE.
            let base = PathName.dirname(PathName.dirname(PathName.dirname(detail.summary.directory)))
            guard let relative = request.uri.queryParameters.get("path"), PathName.staysInside(relative) else {
                throw WebError(.badRequest("give the output's path relative to the workflow's directory"))
            }
            let path = PathName.join(base, relative)
            guard PathContainment.isInside(path, directory: base),
                let data = await Blocking.run({ FileManager.default.contents(atPath: path) })
            else { throw WebError(.notFound("no output '\(relative)'")) }
            return WebReply.bytes(
                data,
                type: WebAssets.type(of: path) == "application/octet-stream"
                    ? "text/plain; charset=utf-8" : WebAssets.type(of: path)
            )
        }
        router.post("/api/runs") { request, _ in
            let start = try await WebReply.decode(Start.self, from: request)
            let path = try Self.workflow(start.workflow, services: services)
            var arguments = ["run", path, "--json"]
            if let platform = start.platform, !platform.isEmpty {
                guard ["local", "rescale"].contains(platform) else {
                    throw WebError(.badRequest("unknown platform '\(platform)': use local or rescale"))
                }
                arguments += ["--platform", platform]
            }
            return WebReply.json(try services.processes.start(arguments), status: .accepted)
        }
        for action in ["resume", "retry"] {
            router.post("/api/runs/:id/\(action)") { _, context in
                let run = try await Self.runDirectory(try context.parameters.require("id"), services: services)
                return WebReply.json(try services.processes.start(["resume", run, "--json"]), status: .accepted)
            }
        }
        router.post("/api/runs/:id/stop") { _, context in
            let run = try await Self.runDirectory(try context.parameters.require("id"), services: services)
            let output = try await services.processes.run(["stop", run])
            services.publish(
                WebEvent(
                    source: "ui",
                    level: output.status == 0 ? "info" : "warning",
                    run: context.parameters.get("id"),
                    text: "stop: " + (output.stdout + output.stderr).trimmingCharacters(in: .whitespacesAndNewlines)
                )
            )
            return WebReply.json(
                ["status": String(output.status), "stdout": output.stdout, "stderr": output.stderr],
                status: output.status == 0 || output.status == 75 ? .ok : .internalServerError
            )
        }
    }

    /// A workflow path from the page, resolved against the study directory and kept inside it.
    static func workflow(_ value: String?, services: WebServices) throws -> String {
        guard let value, !value.isEmpty else { throw WebError(.badRequest("name a workflow file")) }
        let path = PathName.normalize(PathName.resolve(value, against: services.directory))
        guard PathContainment.isInside(path, directory: services.directory),
            FileManager.default.fileExists(atPath: path)
        else {
            throw WebError(.notFound("no workflow '\(value)' under '\(services.directory)'"))
        }
        return path
    }

    /// The directory of a run, found through the catalog (so only runs under the study directory).
    static func runDirectory(_ id: String, services: WebServices) async throws -> String {
        let runs = await services.runs.runs(in: services.directory)
        guard let run = runs.first(where: { $0.run == id }) else {
            throw WebError(.notFound("no run '\(id)' under '\(services.directory)'"))
        }
        return run.directory
    }
}
