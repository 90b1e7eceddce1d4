/// Where a run stops as if its process died: right after the Nth journal record this process writes is durable.
///
/// The crash-resume tests use it to stop a real run at every journal boundary. Nothing reads it from the
/// environment: `rescale-int` sets it only through its hidden `--crash-after-record` option, and in-process tests
/// put it in the ``EngineConfiguration``.
package struct CrashPoint: Hashable, Sendable {
    /// What happens at the crash point.
    package enum Action: Hashable, Sendable {
        /// The process kills itself with SIGKILL (a real crash, for tests that run `rescale-int`).
        case killProcess
        /// The journal closes and releases its lock, as the death of its process would; the append that reached
        /// the point and every later one fail with "journal is closed" (for tests that run the engine in-process).
        case closeJournal
    }

    /// The number of records written by this process after which it stops (at least 1).
    package var afterRecord: Int
    /// What happens then.
    package var action: Action

    /// Creates a crash point.
    ///
    /// - Parameters:
    ///   - afterRecord: The number of records this process writes before it stops; at least 1.
    ///   - action: What happens then.
    package init(afterRecord: Int, action: Action) {
        precondition(afterRecord >= 1, "a crash point comes after at least one record")
        self.afterRecord = afterRecord
        self.action = action
    }
}
