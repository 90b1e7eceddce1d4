import Logging
import Synchronization

/// Counts the API responses `RescaleAPIClient` logs (`rescale.api.response` at `.debug`) by path and status.
final class ResponseTally: Sendable {
    private struct Key: Hashable {
        var path: String
        var status: String
    }

    private let counts = Mutex<[Key: Int]>([:])

    /// How many responses had `status`, counting only paths that end in `suffix` (every path by default).
    func count(status: Int, pathSuffix suffix: String = "") -> Int {
        counts.withLock { counts in
            counts.filter { $0.key.status == String(status) && $0.key.path.hasSuffix(suffix) }.values.reduce(0, +)
        }
    }

    /// A log handler that feeds this tally.
    var handler: Handler { Handler(tally: self) }

    /// The log handler behind ``handler``: it keeps nothing but the counts.
    struct Handler: LogHandler {
        let tally: ResponseTally
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            guard event.message.description == "rescale.api.response" else { return }
            let fields = event.metadata ?? [:]
            let key = Key(
                path: fields["http.path"]?.description ?? "",
                status: fields["http.status"]?.description ?? ""
            )
            tally.counts.withLock { $0[key, default: 0] += 1 }
        }
    }
}
