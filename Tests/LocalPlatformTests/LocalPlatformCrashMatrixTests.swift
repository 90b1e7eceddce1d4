import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkTestSupport
import LocalCloud
import Testing

/// Crashes a dag-shared run after every journal record in turn, resumes it, and checks from the local cloud's
/// own records that every job was created and submitted exactly once and every output arrived intact.
///
/// The jobs really run, so the record count varies slightly between runs (status changes seen by polling).
@Suite(.tags(.integration)) struct LocalPlatformCrashMatrixTests {
    @Test func everyCrashPointResumesWithEachJobCreatedAndSubmittedOnce() async throws {
        let reference = try EngineSupport.dagSharedPlan()
        let referenceCloud = try LocalCloud(root: temporaryDirectory("cloud"), cores: 2)
        _ = try await EngineSupport.whileServing(referenceCloud) {
            try await Engine(EngineSupport.configuration(reference, cloud: referenceCloud)).run()
        }
        let journal = RunDirectory(baseDirectory: reference.baseDirectory, runID: RunID("run-1")).journalPath
        let total = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").count
        #expect(total > 30)
        // Each crash point has its own plan directory and local cloud: four run side by side (the runs mostly wait
        // on their jobs' processes and 20 ms polls), not over thirty in series.
        try await (1...total).concurrentForEach(limit: 4) { crashAfter in
            let plan = try EngineSupport.dagSharedPlan()
            let cloud = try LocalCloud(root: temporaryDirectory("cloud"), cores: 2)
            let resumed = try await EngineSupport.whileServing(cloud) {
                do {
                    _ = try await Engine(EngineSupport.configuration(plan, cloud: cloud, crashAfter: crashAfter)).run()
                    // Polling real jobs journals as many status changes as it happens to see, so a run may end
                    // with fewer records than the reference; only then may it finish without crashing.
                    let path = RunDirectory(baseDirectory: plan.baseDirectory, runID: RunID("run-1")).journalPath
                    let written = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count
                    #expect(written < crashAfter, "run with a crash after record \(crashAfter) did not crash")
                } catch let error as JournalError {
                    #expect(error.reason == .io("journal is closed"), "crash after \(crashAfter)")
                }
                return try await Engine(EngineSupport.configuration(plan, cloud: cloud)).run()
            }
            #expect(resumed.result == .succeeded, "crash after \(crashAfter)")
            let jobs = await cloud.allJobs
            #expect(jobs.map(\.body.name).sorted() == ["post", "solve-coarse", "solve-fine"], "crash \(crashAfter)")
            for job in jobs {
                #expect(await cloud.createCount(idempotencyKey: job.idempotencyKey) == 1, "crash \(crashAfter)")
                #expect(await cloud.submitCount(idempotencyKey: job.idempotencyKey) == 1, "crash \(crashAfter)")
                for id in job.outputs {
                    let output = try await cloud.file(id)
                    let local = plan.baseDirectory + "/results/\(job.body.name)/" + (output.relativePath ?? "")
                    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: local)))
                    #expect(sha512(bytes) == output.sha512, "crash \(crashAfter): \(local)")
                }
            }
            let keys = await cloud.allFiles.compactMap(\.idempotencyKey)
            #expect(Set(keys).count == keys.count && keys.count == 2, "crash \(crashAfter): files registered once")
        }
    }
}
