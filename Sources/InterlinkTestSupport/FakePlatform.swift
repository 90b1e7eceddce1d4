import Foundation
import InterlinkCore

/// A hand-written platform for engine tests: it keeps "remote" state the way a real platform does (stored
/// objects, files, jobs whose status advances one step per status call, outputs), counts every call, and plays
/// scripted faults: fail the Nth call of a kind, perform the Nth call and lose its response, or slow a call.
package actor FakePlatform: Platform {
    package nonisolated var target: String { "fake" }

    /// The kinds of call.
    package enum Call: String, Hashable, Sendable, CaseIterable {
        case prepareStorage, upload, registerFile, findFile, createJob, findJob, existingJobs, submit, status
        case listOutputs, download
        case verifyDownload, stop
    }

    /// A scripted fault.
    package enum Fault: Sendable {
        /// Throw this error without doing anything.
        case fail(PlatformError)
        /// Do the call, then throw a transport error as if the reply was lost.
        case loseResponse
        /// Wait this long on the platform's clock first.
        case delay(Duration)
        /// Run this first, in the caller's task (its task-locals included); its error is the call's.
        case perform(@Sendable () async throws -> Void)
    }

    /// A job as the fake keeps it.
    package struct Job: Hashable, Sendable {
        /// Its id.
        package var id: JobID
        /// The request that created it.
        package var request: JobRequest
        /// Times it was submitted.
        package var submissions = 0
        /// Status calls answered since submission.
        package var polls = 0
        /// Whether ``Platform/stop(_:)`` was called for it.
        package var isStopped = false
    }

    /// Calls made, per kind.
    package internal(set) var counts: [Call: Int] = [:]
    /// Creates and submits refused unsent because their journaled send-by moment had passed, as the API client
    /// refuses them (``RequestBound/sendBy``).
    package internal(set) var unsentPastDeadline = 0
    /// Jobs, in creation order.
    package internal(set) var jobs: [Job] = []
    /// Registered files and the key they were registered with.
    package internal(set) var files: [FileID: (object: UploadedObject, key: IdempotencyKey)] = [:]
    /// Stored objects by storage path.
    package internal(set) var objects: [String: UploadedObject] = [:]
    /// Parts sent per upload key (a resumed upload does not send its committed parts again).
    package internal(set) var partsSent: [IdempotencyKey: Int] = [:]
    /// Downloads performed per local path.
    package internal(set) var downloadCounts: [String: Int] = [:]
    /// The "local disk": files downloaded, by path.
    package internal(set) var disk: [String: DownloadedFile] = [:]
    /// The terminal status each job name ends with (default: completed successfully).
    package var endings: [String: JobStatus] = [:]
    /// The statuses a submitted job goes through before its ending, one per status call.
    package var progression: [JobStatus] = [.pending, .queued, .executing]
    /// Parts per upload.
    package var partsPerUpload = 2
    private var faults: [Call: [Int: Fault]] = [:]
    private let clock: any Clock<Duration>
    /// How long a create or submit it receives may stay in flight; nil (the default) like the local platform.
    package nonisolated let requestWindow: RequestWindow?

    /// Creates an empty platform.
    ///
    /// - Parameters:
    ///   - clock: Serves ``Fault/delay(_:)``.
    ///   - requestWindow: What ``Platform/requestWindow`` says (create and submit intents then carry a deadline).
    package init(clock: any Clock<Duration> = ContinuousClock(), requestWindow: RequestWindow? = nil) {
        self.clock = clock
        self.requestWindow = requestWindow
    }

    /// Scripts a fault on the `nth` call (1-based, counted over the platform's life) of a kind.
    package func inject(_ fault: Fault, on call: Call, nth: Int) { faults[call, default: [:]][nth] = fault }

    /// Sets the terminal status of a job name.
    package func end(_ jobName: String, with status: JobStatus) { endings[jobName] = status }

    /// The size every listed output claims instead of its own, when set (a disk too small for the outputs).
    package private(set) var claimedOutputBytes: Int64?

    /// Makes every listed output claim `bytes` bytes.
    package func claimOutputs(of bytes: Int64) { claimedOutputBytes = bytes }

    /// Calls of one kind so far.
    package func count(_ call: Call) -> Int { counts[call] ?? 0 }

    /// The outputs every job of a name produces (deterministic, so separate runs compare equal).
    package static func outputs(forJobNamed name: String, id: JobID) -> [RemoteOutput] {
        [
            RemoteOutput(
                id: FileID("\(id)-log"),
                relativePath: "process_output.log",
                name: "process_output.log",
                bytes: 120,
                sha512: "sha-\(name)-log"
            ),
            RemoteOutput(
                id: FileID("\(id)-csv"),
                relativePath: "results/data.csv",
                name: "data.csv",
                bytes: 4096,
                sha512: "sha-\(name)-csv"
            ),
        ]
    }

    /// Counts the call and plays its fault; returns whether the response must be lost after performing it.
    func enter(_ call: Call) async throws -> Bool {
        if call == .createJob || call == .submit, let sendBy = RequestBound.sendBy, Date() >= sendBy {
            unsentPastDeadline += 1
            throw PlatformError(
                .transport("\(call.rawValue) not sent before its journaled deadline"),
                retryClass: .retryable
            )
        }
        counts[call, default: 0] += 1
        switch faults[call]?[counts[call] ?? 0] {
        case .fail(let error): throw error
        case .loseResponse: return true
        case .delay(let duration):
            try await clock.sleep(for: duration)
            return false
        case .perform(let body):
            try await body()
            return false
        case nil: return false
        }
    }

    func lost(_ call: Call) -> PlatformError {
        let uncertain: Set<Call> = [.registerFile, .createJob, .submit]
        return PlatformError(
            .transport("response to \(call.rawValue) lost"),
            retryClass: uncertain.contains(call) ? .needsReconcile : .retryable
        )
    }
}
