import Foundation
import InterlinkTestSupport
import Testing

/// Faults of every kind the emulator injects, during every stage class of a run, on S3 and on Azure: the run
/// finishes (at once, or after being run again), its outputs equal the local platform's, and the emulator's own
/// counts show every job created and submitted exactly once.
@Suite(.tags(.integration)) struct RescaleSimFaultTests {
    /// One injected fault.
    struct Fault: CustomTestStringConvertible, Sendable {
        /// Which request kind, in which stage class.
        var kind: String
        /// `500`, `503`, `reset`, `429=1`, `slow=300` or `expire`.
        var action: String
        /// The emulator's storage.
        var storage: String
        var testDescription: String { "\(storage) \(kind) \(action)" }
    }

    /// The request kind of each stage class, per storage: every API stage and the S3 transfers on S3, and the Azure
    /// transfers with their per-blob SAS credentials on Azure. (Uploads of the streaming format are multipart.)
    static func kinds(storage: String) -> [String] {
        storage == "s3"
            ? [
                "credentials", "files.register", "jobs.create", "jobs.submit", "jobs.statuses", "jobs.files",
                "s3.CreateMultipartUpload", "s3.UploadPart", "s3.GetObject",
            ]
            : ["credentials", "azure.PutBlock", "azure.PutBlockList", "azure.GetBlob"]
    }

    static let actions = ["500", "503", "reset", "429=1", "slow=300", "expire"]

    /// Every fault kind and action on one storage.
    static func matrix(storage: String) -> [Fault] {
        kinds(storage: storage).flatMap { kind in actions.map { Fault(kind: kind, action: $0, storage: storage) } }
    }

    /// Every storage and request kind of the matrix, one test case each, so the suite's scheduler spreads the 78
    /// faults over its parallel slots instead of two cases running 54 and 24 faults in series.
    static let storageKinds: [(String, String)] = ["s3", "azure"].flatMap { storage in
        kinds(storage: storage).map { (storage, $0) }
    }

    static let folder = "examples/dag-shared"

    /// What dag-shared leaves on the local platform, computed by the first caller of this test process.
    static func reference() async throws -> [String: String] { try await referenceCache.get(computeReference) }

    private static let referenceCache = OnceCache<[String: String]>()

    private static func computeReference() async throws -> [String: String] {
        let workspace = try RunWorkspace(label: "fault-reference")
        defer { workspace.remove() }
        let run = try await CLIProcess.run(["run", "workflow.yaml", "--quiet"], in: workspace.root + "/" + folder)
        try #require(run.status == 0, "\(run.stderr)")
        return workspace.results(in: folder)
    }

    /// One case per storage and request kind: together they are every fault of ``matrix(storage:)``.
    ///
    /// The cases spread over the suite's parallel slots; a kind's six actions run 2 at a time (six cases at once run
    /// 12 faults).
    @Test(arguments: storageKinds)
    func everyFaultDuringEveryStageClassEndsInACompleteRunWithoutDuplicates(storage: String, kind: String) async throws
    {
        let reference = try await Self.reference()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = Self.matrix(storage: storage).filter { $0.kind == kind }.makeIterator()
            for _ in 0..<2 {
                guard let fault = pending.next() else { break }
                group.addTask { try await Self.check(fault, reference: reference) }
            }
            while try await group.next() != nil {
                guard let fault = pending.next() else { continue }
                group.addTask { try await Self.check(fault, reference: reference) }
            }
        }
    }

    /// Runs dag-shared against an emulator with `fault` until it finishes (at most 4 runs) and checks the result.
    static func check(_ fault: Fault, reference: [String: String]) async throws {
        // The second request of the kind and the one after it: a retry meets the fault again.
        let sim = try await SimProcess(["--storage", fault.storage, "--fault", "\(fault.kind):2:\(fault.action):2"])
        let workspace = try RunWorkspace(label: "fault")
        defer { workspace.remove() }
        // API retries back off from 50 ms, not 1 s: the same retries meet the same faults, without seconds of
        // jittered sleeps per fault (the schedule itself is ClientTests' subject).
        var environment = sim.environment(configHome: workspace.root + "/config")
        environment["INTERLINK_API_RETRY_BASE"] = "0.05"
        var attempts: [CLIProcess.Result] = []
        while attempts.count < 4, attempts.last?.status != 0 {
            let run = try await CLIProcess.run(
                ["run", "workflow.yaml", "--platform", "rescale", "--poll-interval", "0.1", "--quiet"],
                in: workspace.root + "/" + folder,
                environment: environment
            )
            // Only a failed job (1) or an unavailable platform (69) may need another run; nothing else.
            #expect([0, 1, 69].contains(run.status), "\(fault): exit \(run.status)\n\(run.stdout)\n\(run.stderr)")
            attempts.append(run)
        }
        let counts = try await sim.counts()
        await sim.stop()
        let last = try #require(attempts.last)
        #expect(last.status == 0, "\(fault): not finished after \(attempts.count) runs\n\(last.stdout)\n\(last.stderr)")
        #expect(workspace.results(in: folder) == reference, "\(fault): outputs differ")
        let requests = try #require(counts["requests"] as? [String: Int])
        #expect(requests[fault.kind, default: 0] >= 2, "\(fault): the fault's request kind was not reached")
        #expect(counts["creates"] as? Int == 3, "\(fault): \(counts)")
        let jobs = try #require(counts["jobs"] as? [String: [String: Any]])
        #expect(jobs.values.allSatisfy { $0["submits"] as? Int == 1 }, "\(fault): a job was submitted twice: \(jobs)")
        let perName = try #require(counts["createsByName"] as? [String: Int])
        #expect(perName.values.allSatisfy { $0 == 1 }, "\(fault): a job was created twice: \(perName)")
    }
}
