import Foundation
import InterlinkTestSupport
import Testing

/// `rescale-int jobs …`, `ls` and the catalogues against the `rescale-sim` binary over real HTTP.
@Suite(.tags(.integration)) struct JobsCommandTests {
    @Test func aJobIsSubmittedListedDownloadedTailedAndDeleted() async throws {
        let fixture = try await JobsFixture(label: "jobs")
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        let id = try await fixture.submit(
            name: "probe-one",
            command:
                "echo hello; for i in 1 2 3; do echo line $i; done; printf abc > out.txt; mkdir sub; echo y > sub/y.txt"
        )
        let watch = try await fixture.run(["jobs", "watch", "--id", id, "--interval", "0.1"])
        #expect(watch.status == 0, "\(watch.stderr)")
        #expect(watch.stdout.contains("\(id): Completed"), "\(watch.stdout)")

        let list = try await fixture.run(["jobs", "list", "--json"])
        #expect(list.status == 0, "\(list.stderr)")
        let listed = try jsonArray(list.stdout).first { $0["id"] as? String == id }
        #expect((listed?["jobStatus"] as? [String: Any])?["content"] as? String == "Completed")
        try await fixture.validate(list.stdout, schema: "jobs.schema.json")
        let executing = try await fixture.run(["jobs", "list", "-s", "Executing", "--json"])
        #expect(try jsonArray(executing.stdout).isEmpty)
        let ls = try await fixture.run(["ls", "-n", "1"])
        #expect(ls.status == 0 && ls.stdout.contains(id) && ls.stdout.contains("probe-one"), "\(ls.stdout)\(ls.stderr)")

        let get = try await fixture.run(["jobs", "get", "--id", id, "--json"])
        try await fixture.validate(get.stdout, schema: "job.schema.json")
        let table = try await fixture.run(["jobs", "get", "--id", id])
        #expect(table.stdout.contains("status") && table.stdout.contains("Completed"), "\(table.stdout)")

        let files = try await fixture.run(["jobs", "listfiles", "--id", id, "--json"])
        try await fixture.validate(files.stdout, schema: "job-files.schema.json")
        let records = try jsonArray(files.stdout)
        #expect(Set(records.compactMap { $0["relativePath"] as? String }).isSuperset(of: ["out.txt", "sub/y.txt"]))
        let outID = try #require(records.first { $0["name"] as? String == "out.txt" }?["id"] as? String)

        let download = try await fixture.run(["jobs", "download", "--id", id, "-d", "out"])
        #expect(download.status == 0, "\(download.stderr)")
        #expect(try String(contentsOfFile: fixture.root + "/out/out.txt", encoding: .utf8) == "abc")
        #expect(try String(contentsOfFile: fixture.root + "/out/sub/y.txt", encoding: .utf8) == "y\n")
        #expect(download.stderr.contains("out/out.txt: 3 B in"), "one line per file: \(download.stderr)")
        let again = try await fixture.run(["jobs", "download", "--id", id, "-d", "out"])
        #expect(again.stderr.contains("out/out.txt: already present"), "\(again.stderr)")
        let single = try await fixture.run(["jobs", "download", "--id", id, "--file-id", outID, "-o", "one.txt"])
        #expect(single.status == 0, "\(single.stderr)")
        #expect(try String(contentsOfFile: fixture.root + "/one.txt", encoding: .utf8) == "abc")
        let many = try await fixture.run(["jobs", "download", "--id", id, "-o", "one.txt"])
        #expect(many.status == 64, "\(many.stderr)")
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: fixture.root).filter {
            $0.hasSuffix(".partial")
        }
        #expect(leftovers.isEmpty)

        let tail = try await fixture.run(["jobs", "tail", "--id", id, "-n", "2"])
        #expect(tail.stdout == "line 2\nline 3\n", "\(tail.stdout)\(tail.stderr)")

        let unconfirmed = try await fixture.run(["jobs", "delete", "--id", id])
        #expect(unconfirmed.status == 64 && unconfirmed.stderr.contains("--confirm"), "\(unconfirmed.stderr)")
        let delete = try await fixture.run(["jobs", "delete", "--id", id, "--confirm"])
        #expect(delete.status == 0, "\(delete.stderr)")
        let gone = try await fixture.run(["jobs", "get", "--id", id])
        #expect(gone.status == 69, "\(gone.stderr)")
        await fixture.sim.stop()
    }

    @Test func aRunningJobIsTailedLiveRefusedForDeleteAndStopped() async throws {
        let fixture = try await JobsFixture(label: "jobs-live")
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        let gate = fixture.root + "/gate"
        let wait = "for i in $(seq 6000); do [ -e '\(gate)' ] && break; sleep 0.05; done"
        let id = try await fixture.submit(name: "live", command: "echo started; \(wait); echo finished")
        let never = "for i in $(seq 6000); do [ -e '\(fixture.root)/never' ] && break; sleep 0.05; done"
        let other = try await fixture.submit(name: "to-stop", command: "echo waiting; \(never)")
        try await fixture.wait(id, for: "Executing")

        var live = try await fixture.run(["jobs", "tail", "--id", id])
        for _ in 0..<100 where !live.stdout.contains("started") {
            try await Task.sleep(for: .milliseconds(50))
            live = try await fixture.run(["jobs", "tail", "--id", id])
        }
        #expect(live.stdout == "started\n", "\(live.stdout)\(live.stderr)")
        let refused = try await fixture.run(["jobs", "delete", "--id", id, "--confirm"])
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(refused.stderr.contains("is Executing") && refused.stderr.contains("jobs stop --id \(id)"))

        let follower = try fixture.start(["jobs", "tail", "--id", id, "-f", "--interval", "0.1"])
        try await Task.sleep(for: .milliseconds(300))
        _ = FileManager.default.createFile(atPath: gate, contents: nil)
        let followed = await follower.wait()
        #expect(followed.status == 0, "\(followed.stderr)")
        #expect(followed.stdout == "started\nfinished\n", "\(followed.stdout)")

        try await fixture.wait(other, for: "Executing")
        let stop = try await fixture.run(["jobs", "stop", "--id", other])
        #expect(stop.status == 0 && stop.stdout.contains("stop requested"), "\(stop.stderr)")
        let watch = try await fixture.run(["jobs", "watch", "--id", other, "--interval", "0.1"])
        #expect(watch.stdout.contains("Stopped by user"), "\(watch.stdout)\(watch.stderr)")
        await fixture.sim.stop()
    }

    @Test func ourWorkflowFormIsCreatedWithoutSubmittingAndLocalInputsAreRefused() async throws {
        let fixture = try await JobsFixture(label: "jobs-yaml")
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        let workflow = """
            version: 1
            name: direct
            jobs:
              - name: draft-one
                command: echo one > one.txt
            """
        try workflow.write(toFile: fixture.root + "/wf.yaml", atomically: true, encoding: .utf8)
        let created = try await fixture.run(["jobs", "submit", "-f", "wf.yaml", "--no-submit", "--json"])
        #expect(created.status == 0, "\(created.stderr)")
        try await fixture.validate(created.stdout, schema: "jobs.schema.json")
        let record = try #require(try jsonArray(created.stdout).first)
        #expect((record["name"] as? String)?.hasPrefix("draft-one") == true)
        let id = try #require(record["id"] as? String)
        #expect(try await fixture.status(id) == nil, "a draft has no status")
        let text = try await fixture.run(["jobs", "list"])
        #expect(text.stdout.contains("Not submitted"), "\(text.stdout)")

        try FileManager.default.createDirectory(atPath: fixture.root + "/case", withIntermediateDirectories: true)
        let local = workflow.replacingOccurrences(of: "    command:", with: "    inputs: [case]\n    command:")
        try local.write(toFile: fixture.root + "/local.yaml", atomically: true, encoding: .utf8)
        let refused = try await fixture.run(["jobs", "submit", "-f", "local.yaml"])
        #expect(refused.status == 65, "\(refused.stderr)")
        #expect(refused.stderr.contains("rescale-int run local.yaml --platform rescale"), "\(refused.stderr)")
        await fixture.sim.stop()
    }

    @Test func cataloguesListHardwareSoftwareAndAutomations() async throws {
        let fixture = try await JobsFixture(label: "catalogues")
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        let active = try await fixture.run(["hardware", "list", "--json"])
        #expect(active.status == 0, "\(active.stderr)")
        try await fixture.validate(active.stdout, schema: "hardware.schema.json")
        let all = try await fixture.run(["hardware", "list", "--all", "--json"])
        let (activeCount, allCount) = (try jsonArray(active.stdout).count, try jsonArray(all.stdout).count)
        #expect(activeCount == 23 && allCount == 33, "\(activeCount) active of \(allCount)")
        let onyx = try await fixture.run(["hardware", "list", "--search", "ONYX"])
        #expect(onyx.stdout.contains("onyx") && onyx.stdout.contains("1,2,4,9,18,36"), "\(onyx.stdout)")
        #expect(!onyx.stdout.contains("emerald"))

        let software = try await fixture.run(["software", "list", "--json"])
        try await fixture.validate(software.stdout, schema: "software.schema.json")
        let versions = try await fixture.run(["software", "list", "--search", "foam", "--versions"])
        let row = versions.stdout.split(separator: "\n").first { $0.contains("CPU") }.map(String.init) ?? ""
        #expect(row.split(separator: " ", omittingEmptySubsequences: true) == ["openfoam", "OpenFOAM", "CPU", "0"])

        let automations = try await fixture.run(["automations", "list", "--json"])
        try await fixture.validate(automations.stdout, schema: "automations.schema.json")
        #expect(try jsonArray(automations.stdout).compactMap { $0["id"] as? String } == ["Aut001", "Aut002"])
        let table = try await fixture.run(["automations", "list"])
        #expect(table.stdout.contains("Aut001") && table.stdout.contains("post"), "\(table.stdout)")
        await fixture.sim.stop()
    }
}
