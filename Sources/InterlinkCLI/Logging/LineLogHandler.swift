import Foundation
import Logging

/// A swift-log handler that writes one line per message: time, level, label, message and sorted metadata.
///
/// ```
/// 2026-12-05T22:41:07Z debug rescale-int: rescale.api.retry attempt=1 job.name=sweep-3 run.id=… stage=create
/// ```
package struct LineLogHandler: LogHandler {
    /// The logger's label.
    package let label: String
    /// Where lines go.
    package let sink: LogSink
    /// The lowest level written.
    package var logLevel: Logger.Level = .info
    /// Metadata set on the logger.
    package var metadata: Logger.Metadata = [:]
    /// Metadata added at each call (the task's ``LogContext``).
    package var metadataProvider: Logger.MetadataProvider?

    /// Creates a handler.
    package init(label: String, sink: LogSink, metadataProvider: Logger.MetadataProvider?) {
        self.label = label
        self.sink = sink
        self.metadataProvider = metadataProvider
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        sink.append(Self.format(event: event, label: label, metadata: merged, date: Date()))
    }

    /// The text of one line.
    package static func format(event: LogEvent, label: String, metadata: Logger.Metadata, date: Date) -> String {
        var line = "\(date.formatted(.iso8601)) \(event.level) \(label): \(event.message)"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        return line
    }
}
