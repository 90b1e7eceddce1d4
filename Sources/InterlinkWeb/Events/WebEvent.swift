import Foundation

/// One entry of the live event stream: a CLI `--json` event of a run the UI started, a journal record of a run
/// under the study directory, a line a command wrote to stderr, or a notice of the UI itself.
package struct WebEvent: Sendable, Codable, Hashable {
    /// Where it came from: `event` (a `--json` event), `journal`, `log` (a stderr line) or `ui`.
    package var source: String
    /// `debug`, `info`, `warning` or `error`.
    package var level: String
    /// The run it concerns, when known.
    package var run: String?
    /// The job it concerns, when known.
    package var job: String?
    /// A one-line text for the log.
    package var text: String
    /// The original JSON object (a `--json` event or journal record), when there is one.
    package var data: String?
    /// When the event was published.
    package var time: Date
    /// Its position in the bus (set by the bus, from 1).
    package var seq: Int

    /// Creates an event; the bus sets ``seq`` and ``time`` when it publishes it.
    ///
    /// - Parameters:
    ///   - source: Where it came from.
    ///   - level: Its level.
    ///   - run: Its run.
    ///   - job: Its job.
    ///   - text: The log text.
    ///   - data: The original JSON.
    package init(
        source: String,
        level: String = "info",
        run: String? = nil,
        job: String? = nil,
        text: String,
        data: String? = nil
    ) {
        self.source = source
        self.level = level
        self.run = run
        self.job = job
        self.text = text
        self.data = data
        self.time = Date()
        self.seq = 0
    }

    /// An event from one JSON line a command or a journal wrote, its fields read leniently.
    ///
    /// - Parameters:
    ///   - line: The JSON object.
    ///   - source: `event` or `journal`.
    ///   - run: The run, when the line does not name it.
    /// - Returns: The event; a line that is not a JSON object becomes a `log` event with the line as text.
    package static func parsing(_ line: String, source: String, run: String?) -> WebEvent {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            return WebEvent(source: "log", level: level(ofLogLine: line), run: run, text: line)
        }
        let kind = (object["event"] ?? object["kind"]) as? String ?? "record"
        let job = (object["job"] as? String) ?? (object["node"] as? String)
        var words = [kind]
        for key in ["stage", "item", "status", "jobID", "job-id", "message", "result"] {
            if let value = object[key] as? String { words.append("\(key)=\(value)") }
        }
        if let attempt = object["attempt"] as? Int { words.append("attempt=\(attempt)") }
        let failed =
            kind.lowercased().contains("failed") || object["error"] != nil
            || (object["result"] as? String) == "failed"
        let retrying = kind.lowercased().contains("retrying")
        return WebEvent(
            source: source,
            level: failed ? "error" : retrying ? "warning" : "info",
            run: (object["run"] as? String) ?? run,
            job: job,
            text: words.joined(separator: " "),
            data: line
        )
    }

    /// The level of a stderr line: `error` when it reads like a diagnostic error, `warning` likewise, else `info`.
    static func level(ofLogLine line: String) -> String {
        if line.contains("error:") { return "error" }
        if line.contains("warning:") { return "warning" }
        return "info"
    }
}
