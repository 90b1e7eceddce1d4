import Foundation
import InterlinkCore

extension Engine {
    /// The longest a single wait lasts before the stop request is looked at again.
    static let settleSlice: Duration = .milliseconds(250)

    /// Waits until no create or submit request sent by an interrupted run can still be acted on, so that the lookups
    /// that follow can prove a step did not happen.
    ///
    /// The journal holds each open intent's deadline (the call's timeout plus the platform's margin). Until the
    /// latest of them, a request sent just before the crash may still reach the platform: a lookup before then
    /// could find nothing and the step would run twice. The wait is announced with a ``EngineEvent/Kind/runWaiting``
    /// event, is capped at the platform's ``RequestWindow/total`` (a deadline further away means the wall clock
    /// moved), and ends early on a stop request.
    ///
    /// - Parameters:
    ///   - state: The replayed journal.
    ///   - context: The run, for the event.
    /// - Returns: False when a stop was requested or the task cancelled during the wait (the run then ends
    ///   interrupted).
    func settleInFlightRequests(in state: RunState, context: RunContext) async -> Bool {
        guard let window = configuration.platform.requestWindow else { return true }
        var latest: Date?
        var stages: Set<StageKind> = []
        for node in state.nodes.values {
            for (step, stepState) in node.steps where step.stage == .create || step.stage == .submit {
                guard stepState.isInFlight, let deadline = stepState.deadline else { continue }
                stages.insert(step.stage)
                latest = max(latest ?? deadline, deadline)
            }
        }
        guard let latest else { return true }
        // The journal keeps whole seconds, rounded up: one more than the window at most.
        let remaining = min(latest.timeIntervalSince(configuration.now()), window.total.timeInterval + 1)
        guard remaining > 0 else { return true }
        let seconds = Int(remaining.rounded(.up))
        let what = stages.count == 2 ? "create and submit" : stages.first?.rawValue ?? "create"
        var event = context.event(.runWaiting)
        event.delaySeconds = remaining
        event.message =
            "waiting \(seconds) s for \(what) requests of the interrupted run to settle (a request sent before the "
            + "crash may still be acted on)"
        configuration.events.receive(event)
        configuration.logger.debug("engine.settle.wait", metadata: ["delay": "\(remaining)"])
        var left = Duration.milliseconds(Int64(remaining * 1000))
        while left > .zero {
            if configuration.stop.isRequested { return false }
            let slice = min(left, Self.settleSlice)
            do { try await configuration.clock.sleep(for: slice) } catch { return false }  // cancelled
            left -= slice
        }
        return true
    }
}
