import Foundation
import InterlinkCore
import InterlinkTestSupport
import LocalCloud
import Testing

@Suite(.tags(.integration)) struct LocalCloudOverlapTests {
    /// What the test's hook saw when the first job's outputs were about to be stored.
    actor Hold {
        var calls = 0
        var nextStartedMeanwhile: Bool?

        /// Holds the first job's storing until `marker` exists (or two seconds pass); lets the others through.
        func holdFirst(until marker: String) async {
            calls += 1
            guard calls == 1 else { return }
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .seconds(2))
            while !FileManager.default.fileExists(atPath: marker), clock.now < deadline {
                try? await Task.sleep(for: .milliseconds(5))
            }
            nextStartedMeanwhile = FileManager.default.fileExists(atPath: marker)
        }
    }

    @Test func theNextCommandStartsWhileAJobsOutputsAreStoredAndCommandsStayWithinTheCores() async throws {
        let root = temporaryDirectory("cloud")
        let shared = root + "/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        let hold = Hold()
        let cloud = try LocalCloud(
            root: root,
            cores: 1,
            beforeStoringOutputs: { _ in await hold.holdFirst(until: shared + "/b") }
        )
        // A command that finds another one running (its directory) fails: one core, one command at a time.
        let names = ["a", "b", "c"]
        let jobs = names.map { name in
            let command =
                "mkdir '\(shared)/running' || exit 9; touch '\(shared)/\(name)'; sleep 0.05; "
                + "rmdir '\(shared)/running'; echo \(name) > out.txt"
            return (name: name, command: command, cores: 1)
        }
        let ids = try await LocalCloudTests.submit(jobs, to: cloud)
        let records = try await LocalCloudTests.servedToTheEnd(ids, on: cloud)
        #expect(await hold.nextStartedMeanwhile == true, "b's command started before a's outputs were stored")
        #expect(records.map(\.status) == Array(repeating: .completed(.success), count: 3), "never two at once")
        for (record, name) in zip(records, names) {
            let outputs = try await cloud.outputs(of: record.id, page: 1, pageSize: 10).results
            #expect(outputs.compactMap(\.relativePath) == ["out.txt", "process_output.log"], "\(name)")
        }
        #expect(await hold.calls == 3)
    }
}
