/// The test-only crash switch: `INTERLINK_TEST_CRASH_AFTER_RECORD=N` makes the process die right after the Nth
/// record it writes is fsync'd, so a crash matrix can stop a real run at every journal boundary.
package struct CrashSwitch: Hashable, Sendable {
    /// The environment variable that arms the switch.
    package static let environmentVariable = "INTERLINK_TEST_CRASH_AFTER_RECORD"

    /// The record count after which to crash; nil when disarmed.
    package var limit: Int?
    /// Records written by this process so far.
    package private(set) var written = 0

    /// Creates a switch that fires after `limit` records (nil: never).
    package init(limit: Int?) { self.limit = limit }

    /// Reads the switch from an environment; absent, empty, non-numeric or non-positive values disarm it.
    package init(environment: [String: String]) {
        let value = environment[Self.environmentVariable].flatMap { Int($0) }
        self.init(limit: value.flatMap { $0 > 0 ? $0 : nil })
    }

    /// Counts one durable record; returns whether the process must crash now.
    package mutating func recordWritten() -> Bool {
        written += 1
        return limit == written
    }

    /// Whether the switch has already fired (writes after it must fail).
    package var hasFired: Bool { limit.map { written >= $0 } ?? false }
}
