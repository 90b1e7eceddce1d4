/// Durations as people write them in workflows and flags: `30s`, `2m`, `1h`, `1d`, `1m30s`, or plain seconds.
package enum DurationText {
    /// The number of seconds `text` stands for, or nil when it is not a duration.
    ///
    /// - Parameter text: The duration as written.
    /// - Returns: Seconds (finite), or nil.
    package static func seconds(_ text: String) -> Double? {
        DocumentParser.parseSeconds(text).flatMap { $0.isFinite ? $0 : nil }
    }
}
