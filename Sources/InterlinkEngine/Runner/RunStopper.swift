import Foundation
import InterlinkCore
import Logging

/// Stops a run's unfinished jobs (`rescale-int stop`): journals each stop, asks the platform, and waits for every
/// stopped job to reach a terminal status.
///
/// It holds the run's journal lock while it works, so no runner may be active. A job whose status turns out to be
/// terminal already is journaled as it is and left alone; a job created but not submitted is only journaled, so no
/// later runner submits it. A later run redoes stopped jobs only when asked to (`--restart-stopped`).
package struct RunStopper: Sendable {
    /// One job the stopper asked to stop.
    package struct Stopped: Hashable, Sendable {
        /// The job's node.
        package var node: NodeID
        /// The job's display name.
        package var name: String
        /// The job.
        package var jobID: JobID
        /// Its status when the stopper stopped waiting (terminal unless the wait timed out).
        package var status: JobStatus
    }

    /// The run's frozen plan.
    package var plan: Plan
    /// The run.
    package var runID: RunID
    /// Where its jobs run.
    package var platform: any Platform
    /// The clock the waits use.
    package var clock: any Clock<Duration>
    /// Time between status reads while waiting.
    package var pollInterval: Duration
    /// The longest wait for terminal statuses.
    package var timeout: Duration
    /// Where debug lines go.
    package var logger: Logger

    /// Creates a stopper.
    package init(
        plan: Plan,
        runID: RunID,
        platform: any Platform,
        clock: any Clock<Duration> = ContinuousClock(),
        pollInterval: Duration = .seconds(1),
        timeout: Duration = .seconds(300),
        logger: Logger = Logger(label: "rescale-int")
    ) {
        self.plan = plan
        self.runID = runID
        self.platform = platform
        self.clock = clock
        self.pollInterval = pollInterval
        self.timeout = timeout
        self.logger = logger
    }

    /// Stops every job of the run that is not in a terminal status and waits for them.
    ///
    /// - Returns: The jobs it stopped, in plan order, with their last status.
    /// - Throws: `JournalError` when the run is locked (a runner is active) or damaged; `PlatformError` when the
    ///   platform refuses.
    package func stop() async throws -> [Stopped] {
        let directory = RunDirectory(baseDirectory: plan.baseDirectory, runID: runID)
        try directory.checkIsIntact()
        let journal = try Journal(directory: directory.path)
        do {
            let stopped = try await stopJobs(journal)
            await journal.close()
            return stopped
        } catch {
            await journal.close()
            throw error
        }
    }

    private func stopJobs(_ journal: Journal) async throws -> [Stopped] {
        let state = await journal.state
        var stopped: [Stopped] = []
        for node in plan.nodes {
            guard let nodeState = state.nodes[node.id], let job = nodeState.jobID, nodeState.stoppedJob == nil,
                nodeState.jobStatus?.isTerminal != true
            else { continue }
            let submitted = nodeState[StepRef(.submit)].phase != .notStarted
            let status: JobStatus = if submitted { try await platform.status(of: job) } else { .notSubmitted }
            if status != nodeState.jobStatus, status != .notSubmitted {
                try await journal.append(.jobStatus(node.id, job: job, status: status))
            }
            guard !status.isTerminal else { continue }
            // Journaled before the call: if the process dies now, no later runner submits or awaits it blindly.
            try await journal.append(.jobStopped(node.id, job: job))
            if status.isSubmitted { try await platform.stop(job) }
            logger.debug("engine.job.stop_requested", metadata: ["job.id": "\(node.id)", "rescale.job_id": "\(job)"])
            stopped.append(Stopped(node: node.id, name: node.name, jobID: job, status: status))
        }
        return try await wait(for: stopped, journal: journal)
    }

    /// Reads the statuses of submitted stopped jobs until all are terminal or the timeout passes.
    private func wait(for stopped: [Stopped], journal: Journal) async throws -> [Stopped] {
        var jobs = stopped
        // Counted in polls rather than instants: the clock is an existential, whose instants do not compare.
        let polls = max(Int(timeout / pollInterval), 1)
        for poll in 1...polls {
            for index in jobs.indices where jobs[index].status.isSubmitted && !jobs[index].status.isTerminal {
                let status = try await platform.status(of: jobs[index].jobID)
                if status != jobs[index].status {
                    try await journal.append(.jobStatus(jobs[index].node, job: jobs[index].jobID, status: status))
                    jobs[index].status = status
                }
            }
            let waiting = jobs.contains { $0.status.isSubmitted && !$0.status.isTerminal }
            guard waiting, poll < polls else { return jobs }
            try await clock.sleep(for: pollInterval)
        }
        return jobs
    }
}
