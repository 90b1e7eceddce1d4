import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkTestSupport
import LocalCloud
import Testing

@Suite(.tags(.integration)) struct LocalPlatformEngineTests {
    @Test func runsDagSharedEndToEndWithOutputsIdenticalToWhatTheCommandsWrote() async throws {
        let plan = try EngineSupport.dagSharedPlan()
        // Work directories kept, to compare what the commands wrote with what was downloaded.
        let cloud = try LocalCloud(root: temporaryDirectory("cloud"), cores: 2, keepsWork: true)
        let summary = try await EngineSupport.whileServing(cloud) {
            try await Engine(EngineSupport.configuration(plan, cloud: cloud)).run()
        }
        #expect(summary.result == .succeeded)
        let jobs = await cloud.allJobs
        #expect(jobs.map(\.body.name).sorted() == ["post", "solve-coarse", "solve-fine"])
        for job in jobs {
            #expect(job.status == .completed(.success), "\(job.body.name)")
            #expect(job.submitCount == 1 && job.executionCount == 1, "\(job.body.name)")
            let outputs = try await job.outputs.asyncMap { try await cloud.file($0) }
            #expect(outputs.contains { $0.relativePath == "process_output.log" })
            for output in outputs {
                let relative = try #require(output.relativePath)
                let produced = try Data(
                    contentsOf: URL(fileURLWithPath: cloud.root + "/work/\(job.id)/work/" + relative)
                )
                let downloaded = try Data(
                    contentsOf: URL(fileURLWithPath: plan.baseDirectory + "/results/\(job.body.name)/" + relative)
                )
                #expect(downloaded == produced, "\(job.body.name)/\(relative)")
            }
        }
        let coarse = text(at: plan.baseDirectory + "/results/solve-coarse/coarse.out")
        #expect(coarse.hasPrefix("mesh=mesh/coarse.msh nodes="))
        let summaryText = text(at: plan.baseDirectory + "/results/post/summary.txt")
        #expect(summaryText.contains("coarse.msh") && summaryText.hasSuffix("done\n"))
        let post = try #require(jobs.first { $0.body.name == "post" })
        let postStarted = try #require(post.statuses.first { $0.status == .started }?.date)
        for solver in jobs where solver.body.name != "post" {
            let finished = try #require(solver.statuses.last?.date)
            #expect(finished <= postStarted, "post waits for \(solver.body.name) (needs:)")
        }
        let inputs = await cloud.allFiles.filter { $0.typeId == 1 }
        #expect(inputs.count == 2, "the shared mesh is uploaded once, and the solver archive both solvers name once")
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
