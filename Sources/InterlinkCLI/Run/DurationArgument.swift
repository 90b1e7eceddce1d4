import ArgumentParser
import InterlinkCore

/// Reads duration flags the way workflows write them: `--poll-interval 5s`, `2m`, `1h`, or plain seconds (`0.5`).
enum DurationArgument {
    /// Parses a duration flag's value into seconds.
    ///
    /// - Parameter text: The value as typed.
    /// - Returns: Seconds.
    /// - Throws: `ValidationError` naming the accepted forms when the value is not a duration.
    static func seconds(_ text: String) throws -> Double {
        guard let seconds = DurationText.seconds(text) else {
            throw ValidationError("'\(text)' is not a duration: write seconds (30), or 30s, 2m, 1h, 1m30s")
        }
        return seconds
    }
}
