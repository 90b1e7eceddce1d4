import InterlinkCore
import InterlinkEngine
import Logging

/// One execution of a plan by the CLI: the engine, the progress renderer, the platform's background services and
/// the Ctrl-C listener, all children of one task group that ends with the run.
///
/// The first SIGINT (or SIGTERM) sets the stop signal: no new step starts, running steps reach a journal
/// checkpoint, and the run returns ``RunResult/interrupted``. A second one cancels the group at once.
package struct RunSession: Sendable {
    /// The plan to execute.
    package var plan: Plan
    /// The run (new, or the one being continued).
    package var runID: RunID
    /// Where jobs run.
    package var platform: any Platform
    /// Long-lived work the platform needs while the run lasts (the local cloud's job executor); cancelled when the
    /// engine returns.
    package var services: [@Sendable () async throws -> Void]
    /// How progress is shown.
    package var renderer: ProgressRenderer
    /// The signals to listen to; empty in tests that stop the run otherwise.
    package var signals: [Int32]
    /// Where to stop as if the process died (crash tests only).
    package var crashPoint: CrashPoint?
    /// The engine's logger.
    package var logger: Logger
    /// Whether stopped jobs get a new job (`--restart-stopped`).
    package var restartsStoppedJobs = false
    /// Whether downloaded outputs are checked at their destination and fetched again when missing or changed.
    package var rechecksOutputs = false
    /// Messages from the platform's client, shown with the progress while the run lasts.
    package var notices: PlatformNotices?
    /// The journal's state when the run continues an earlier one, so the board counts what is already done.
    package var priorState: RunState? { foldedJournal?.state }
    /// The journal as read when the run continues an earlier one: the board's state, and the engine's when the
    /// file is unchanged by the time it holds the lock (``EngineConfiguration/foldedJournal``).
    package var foldedJournal: FoldedJournal?
    /// Jobs an Interlink state file recorded, taken over before any step runs.
    package var importedJobs: [ImportedJob] = []
    /// The plan the run's folder holds already, when continuing it (``EngineConfiguration/frozenPlan``).
    package var frozenPlan: Plan?

    /// Creates a session.
    package init(
        plan: Plan,
        runID: RunID,
        platform: any Platform,
        services: [@Sendable () async throws -> Void] = [],
        renderer: ProgressRenderer,
        signals: [Int32] = SignalListener.stopSignals,
        crashPoint: CrashPoint? = nil,
        logger: Logger = Logger(label: "rescale-int"),
        notices: PlatformNotices? = nil,
        foldedJournal: FoldedJournal? = nil
    ) {
        self.plan = plan
        self.runID = runID
        self.platform = platform
        self.services = services
        self.renderer = renderer
        self.signals = signals
        self.crashPoint = crashPoint
        self.logger = logger
        self.notices = notices
        self.foldedJournal = foldedJournal
    }

    /// What the first Ctrl-C prints while running steps finish their checkpoint.
    package static let stopMessage =
        "stopping: no new steps start, running steps finish their checkpoint (press Ctrl-C again to stop at once)"
    /// What the first Ctrl-C prints when nothing could checkpoint (the run has not started its steps, or the
    /// platform is unreachable): it stops at once.
    package static let stopNowMessage = "stopping now: nothing is running that could finish a checkpoint"

    private enum Piece: Sendable {
        case finished(RunSummary)
        case cancelNow
        case ended
    }

    /// Runs the plan to its end or an interruption.
    ///
    /// - Returns: The engine's summary.
    /// - Throws: `JournalError` (locked, corrupt, unwritable), a platform service's failure, or
    ///   `CancellationError` when the second signal arrived before the engine could record the interruption.
    package func execute() async throws -> RunSummary {
        let sink = StreamingEventSink()
        let stop = StopSignal()
        var setup = EngineConfiguration(
            plan: plan,
            runID: runID,
            platform: platform,
            events: sink,
            logger: logger,
            stop: stop,
            crashPoint: crashPoint
        )
        setup.restartsStoppedJobs = restartsStoppedJobs
        setup.rechecksOutputs = rechecksOutputs
        setup.frozenPlan = frozenPlan
        setup.foldedJournal = foldedJournal
        setup.importedJobs = importedJobs
        let configuration = setup
        let context = LogContext(runID: runID.rawValue)
        let (signalStream, signalContinuation) = SignalListener.makeStream(signals)
        defer { signalContinuation.finish() }
        let renderer = renderer
        let board = ProgressBoard(plan: plan, runID: runID, state: priorState)
        notices?.attach { sink.post(.notice($0)) }
        defer { notices?.detach() }
        var summary: RunSummary?
        try await withThrowingTaskGroup(of: Piece.self) { group in
            for service in services {
                group.addTask {
                    do { try await service() } catch is CancellationError {}
                    return .ended
                }
            }
            group.addTask {
                var received = 0
                for await _ in signalStream {
                    received += 1
                    guard received == 1 else { return .cancelNow }
                    stop.requestStop()
                    guard sink.stopCanWait else {
                        sink.post(.stopping(Self.stopNowMessage))
                        return .cancelNow
                    }
                    sink.post(.stopping(Self.stopMessage))
                }
                return .ended
            }
            group.addTask {
                try await withThrowingTaskGroup(of: RunSummary?.self) { inner in
                    inner.addTask {
                        await renderer.consume(sink.inputs, board: board)
                        return nil
                    }
                    inner.addTask {
                        defer { sink.finish() }
                        return try await LogContext.$current.withValue(context) {
                            try await Engine(configuration).run()
                        }
                    }
                    var summary: RunSummary?
                    while let piece = try await inner.next() { summary = piece ?? summary }
                    guard let summary else { throw CancellationError() }
                    return .finished(summary)
                }
            }
            while let piece = try await group.next() {
                switch piece {
                case .finished(let result):
                    summary = result
                    signalContinuation.finish()
                    group.cancelAll()
                case .cancelNow:
                    group.cancelAll()
                case .ended:
                    continue
                }
            }
        }
        guard let summary else { throw CancellationError() }
        return summary
    }
}
