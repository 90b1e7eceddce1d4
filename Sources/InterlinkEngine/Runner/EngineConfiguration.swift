import Foundation
import InterlinkCore
import Logging

/// Everything an engine run needs, chosen by the CLI (or a test).
package struct EngineConfiguration: Sendable {
    /// The plan to execute.
    package var plan: Plan
    /// The run: a new id for a fresh run, the existing one to resume.
    package var runID: RunID
    /// Where jobs run.
    package var platform: any Platform
    /// The clock for backoff and polling waits.
    package var clock: any Clock<Duration>
    /// Where events go.
    package var events: any EventSink
    /// The engine's logger (debug level and below, plus one-off warnings).
    package var logger: Logger
    /// The first-stop request.
    package var stop: StopSignal
    /// Retry waits.
    package var backoff: Backoff
    /// Random fractions in [0, 1] for jitter; fixed in tests.
    package var jitter: @Sendable () -> Double
    /// The most nodes in progress at once (each mostly waits on the resource pools or a poll interval).
    package var maxActiveNodes: Int
    /// Where to stop as if the process died (crash tests only; `rescale-int --crash-after-record`).
    package var crashPoint: CrashPoint?
    /// The wall clock for journal timestamps.
    package var now: @Sendable () -> Date
    /// Whether jobs `rescale-int stop` stopped get a new job (`--restart-stopped`); otherwise they stay stopped.
    package var restartsStoppedJobs = false
    /// Whether each journaled download is checked at its destination (size and checksum) and fetched again when
    /// missing or changed; set when a complete run is run again.
    package var rechecksOutputs = false
    /// Jobs an Interlink state file records as created, submitted or uploaded: journaled as found before any step
    /// runs, for nodes the journal has no progress for, so they are never created or uploaded again.
    package var importedJobs: [ImportedJob] = []
    /// The plan the run's folder holds already (`plan.json`, as `resume` read it), if the caller has it: the engine
    /// writes the plan again only when it differs (a resume of a 10,000-job run rewrote 14 MB for nothing).
    package var frozenPlan: Plan?
    /// The run's journal as the caller read and folded it, if it did: the engine takes this fold instead of
    /// reading the journal again when the file is still exactly what was read (``FoldedJournal``).
    package var foldedJournal: FoldedJournal?

    /// Creates a configuration with production defaults for everything but the plan, run and platform.
    package init(
        plan: Plan,
        runID: RunID,
        platform: any Platform,
        clock: any Clock<Duration> = ContinuousClock(),
        events: any EventSink = DiscardingEventSink(),
        logger: Logger = Logger(label: "interlink.engine", factory: { _ in SwiftLogNoOpLogHandler() }),
        stop: StopSignal = StopSignal(),
        backoff: Backoff = .default,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        maxActiveNodes: Int = 256,
        crashPoint: CrashPoint? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.plan = plan
        self.runID = runID
        self.platform = platform
        self.clock = clock
        self.events = events
        self.logger = logger
        self.stop = stop
        self.backoff = backoff
        self.jitter = jitter
        self.maxActiveNodes = max(maxActiveNodes, 1)
        self.crashPoint = crashPoint
        self.now = now
    }
}
