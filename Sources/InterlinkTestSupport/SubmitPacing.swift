import Logging
import RescaleAPI
import Synchronization

/// What the submission-rate test and `bench/rescale` both need to drive many submissions through the client: a
/// trivial job body and a tally of the responses the client logs.
package enum SubmitPacing {
    /// A valid create body whose job runs `true` (only its submission matters).
    package static func trivialJob(named name: String) -> JobCreateBody {
        let analysis = JobAnalysis(
            command: "true",
            analysis: .init(code: "user_included", version: "0"),
            hardware: .init(coreType: .init(code: "emerald"), coresPerSlot: 1, slots: 1, walltime: 1),
            inputFiles: nil,
            envVars: nil,
            useRescaleLicense: false,
            onDemandLicenseSeller: nil,
            userDefinedLicenseSettings: nil
        )
        return JobCreateBody(
            name: name,
            jobanalyses: [analysis],
            isLowPriority: false,
            projectId: nil,
            jobAutomations: nil
        )
    }
}

/// The path and status of every API response the client logged (`rescale.api.response` at `.debug`).
package final class ResponseLog: Sendable {
    private let storage = Mutex<[(path: String, status: String)]>([])

    package init() {}

    /// Every response, in the order logged.
    package var statuses: [(path: String, status: String)] { storage.withLock { $0 } }

    /// How many responses had `status`, counting only paths that end in `suffix` (every path by default).
    package func count(status: Int, pathSuffix suffix: String = "") -> Int {
        statuses.count { $0.status == String(status) && $0.path.hasSuffix(suffix) }
    }

    /// A log handler that records into this log.
    package var handler: ResponseLogHandler { ResponseLogHandler(log: self) }

    func append(path: String, status: String) { storage.withLock { $0.append((path, status)) } }
}

/// A log handler that records each response's path and status into a ``ResponseLog``, and keeps nothing else.
package struct ResponseLogHandler: LogHandler {
    let log: ResponseLog
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level = .debug

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        guard event.message.description == "rescale.api.response" else { return }
        let fields = event.metadata ?? [:]
        log.append(path: fields["http.path"]?.description ?? "", status: fields["http.status"]?.description ?? "")
    }
}
