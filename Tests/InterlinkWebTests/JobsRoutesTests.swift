import Foundation
import InterlinkHTTP
import InterlinkWeb
import NIOCore
import RescaleAPI
import Testing

/// The Jobs tab's routes over real HTTP against an in-process `rescale-sim`: paging, status filter and search on
/// the server, details, the live log as server-sent events, a running job refused for delete and stopped, and a
/// finished job's outputs downloaded into the study directory.
@Suite(.tags(.integration)) struct JobsRoutesTests {
    @Test func pagesFiltersTailsStopsAndDeletesTheAccountsJobs() async throws {
        try await SimConnection.withSim { connection, api in
            try await WebHarness.with(connection: connection) { web in
                let cookie = try await web.cookie()
                let post = { (path: String) in
                    try await web.call(.POST, path, headers: [("Cookie", cookie), ("Origin", web.base)], body: "{}")
                }
                let get = { (path: String) in try await web.call(.GET, path, headers: [("Cookie", cookie)]) }
                let gate = web.services.directory + "/gate"
                let start = ContinuousClock.now
                var marks: [String] = []
                let mark = { (name: String) in marks.append("\(name) \(ContinuousClock.now - start)") }
                var finished: [String] = []
                for index in 0..<3 {
                    let job = try await api.createJob(
                        shellJob(named: "done-\(index)", command: "echo out-\(index) > out.txt")
                    )
                    try await api.submitJob(job.id)
                    finished.append(job.id)
                }
                // The gate never appears: the job runs until stopped (up to 10 minutes, so a loaded machine cannot end it first).
                let wait = "for i in $(seq 12000); do [ -e '\(gate)' ] && break; sleep 0.05; done"
                let running = try await api.createJob(shellJob(named: "long-one", command: "echo started; \(wait)"))
                try await api.submitJob(running.id)

                let status = { (id: String) async throws -> String? in
                    let details = object(try await get("/api/jobs/\(id)").body)
                    return (details["job"] as? [String: Any])?["status"] as? String
                }
                for id in finished + [running.id] {
                    let wanted = id == running.id ? "Executing" : "Completed"
                    // A loop that ends at the status: `for … where` would go on asking all 600 times (7 s a job).
                    for _ in 0..<600 {
                        if try await status(id) == wanted { break }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    #expect(try await status(id) == wanted, "\(id)")
                }

                mark("jobs ready")
                let first = object(try await get("/api/jobs?page=1&pageSize=3").body)
                let firstIDs = (first["jobs"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                #expect(firstIDs == [running.id] + finished.reversed().prefix(2), "newest first: \(first)")
                #expect(first["hasNext"] as? Bool == true && first["total"] as? Int == 4)
                let second = object(try await get("/api/jobs?page=2&pageSize=3").body)
                #expect((second["jobs"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [finished[0]])
                #expect(second["hasNext"] as? Bool == false)
                let executing = object(try await get("/api/jobs?status=executing").body)
                #expect((executing["jobs"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [running.id])
                let searched = object(try await get("/api/jobs?search=done-1").body)
                #expect((searched["jobs"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [finished[1]])

                let refused = try await post("/api/jobs/\(running.id)/delete")
                #expect(refused.status == 409 && refused.body.contains("is Executing"), "\(refused.body)")
                #expect(refused.body.contains("stop it first"))

                mark("table")
                // The live log: the first event carries the line the job has written.
                var request = HTTPClientRequest(url: web.base + "/api/jobs/\(running.id)/log")
                request.headers.add(name: "Cookie", value: cookie)
                // The deadline closes the stream after the test has read it, so the server's loop ends with the page.
                let stream = try await web.client.execute(request, timeout: .seconds(6))
                #expect(stream.headers["Content-Type"].first == "text/event-stream")
                var received = ""
                for try await chunk in stream.body {
                    received += String(buffer: chunk)
                    if received.contains(#"data: ["started"]"#) { break }
                }
                #expect(received.hasPrefix("event: lines\n") || received.hasPrefix("event: waiting\n"), "\(received)")
                #expect(received.contains("event: lines\ndata: [\"started\"]\n\n"), "\(received)")

                mark("log")
                let stop = try await post("/api/jobs/\(running.id)/stop")
                #expect(object(stop.body)["outcome"] as? String == "requested", "\(stop.body)")
                for _ in 0..<600 {
                    if try await status(running.id) == "Completed" { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                let ended = try await post("/api/jobs/\(running.id)/stop")
                #expect(object(ended.body)["outcome"] as? String == "ended", "\(ended.body)")
                #expect(try await post("/api/jobs/\(running.id)/delete").status == 200)
                let gone = try await get("/api/jobs/\(running.id)")
                #expect(
                    gone.status == 404 && gone.body.contains("error"),
                    "a deleted job is the platform's 404: \(gone.body)"
                )

                mark("stopped and deleted")
                let outputs = try await web.call(
                    .POST,
                    "/api/jobs/\(finished[2])/download",
                    headers: [("Cookie", cookie), ("Origin", web.base)],
                    body: #"{"path": "results/done-2"}"#
                )
                #expect(outputs.status == 200, "\(outputs.body)")
                #expect((object(outputs.body)["downloaded"] as? Int ?? 0) >= 1)
                let written = web.services.directory + "/results/done-2/out.txt"
                #expect(try String(contentsOfFile: written, encoding: .utf8) == "out-2\n")
                let escape = try await web.call(
                    .POST,
                    "/api/jobs/\(finished[2])/download",
                    headers: [("Cookie", cookie), ("Origin", web.base)],
                    body: #"{"path": "../elsewhere"}"#
                )
                #expect(escape.status == 400, "\(escape.body)")
                mark("outputs")
                #expect(ContinuousClock.now - start < .seconds(90), "too slow for CI: \(marks)")
            }
        }
    }
}
