import InterlinkCore
import Logging

/// The shared pieces of one run that node and step runners use: configuration, journal, resource pools.
struct RunContext: Sendable {
    let configuration: EngineConfiguration
    let journal: Journal
    let archivePool: ResourcePool
    let transferPool: ResourcePool
    let apiPool: ResourcePool
    /// The platform's jobs for this run's create keys, listed once on resume.
    let existingJobs = ExistingJobs()

    init(configuration: EngineConfiguration, journal: Journal) {
        self.configuration = configuration
        self.journal = journal
        let workers = configuration.plan.settings.workers
        archivePool = ResourcePool(limit: workers.archive)
        transferPool = ResourcePool(limit: workers.transfer)
        apiPool = ResourcePool(limit: workers.api)
    }

    var platform: any Platform { configuration.platform }
    var runID: RunID { configuration.runID }

    /// A new event about the run or a node.
    func event(_ kind: EngineEvent.Kind, node: PlanNode? = nil) -> EngineEvent {
        EngineEvent(kind, run: runID, node: node?.id, job: node?.name)
    }

    /// Journals and announces that a node cannot run.
    func block(_ node: NodeID, by dependency: NodeID, plan: Plan) async throws {
        try await journal.append(.nodeBlocked(node, by: dependency))
        var event = event(.nodeBlocked, node: plan.node(node))
        event.dependency = dependency
        configuration.events.receive(event)
        configuration.logger.debug(
            "engine.node.blocked",
            metadata: ["job.id": "\(node)", "dependency": "\(dependency)"]
        )
    }

    /// Prepares storage once, retrying transient failures with backoff.
    func prepareStorage() async throws {
        try await retryingTransientFailures { try await platform.prepareStorage() }
    }

    /// Lists, with one platform call, which of `keys` already have a job, and keeps the answer for the run's
    /// create steps.
    func listExistingJobs(for keys: Set<IdempotencyKey>) async throws {
        guard !keys.isEmpty else { return }
        let found = try await retryingTransientFailures { try await platform.existingJobs(for: keys) }
        existingJobs.remember(found)
        configuration.logger.debug(
            "engine.jobs.listed",
            metadata: ["run.id": "\(runID)", "jobs.pending": "\(keys.count)", "jobs.existing": "\(found.count)"]
        )
    }

    /// Runs one platform call under the API pool, retrying transient failures with backoff.
    ///
    /// A platform that cannot be reached is not retried here: the platform's client retried it already, on its
    /// own schedule and telling the user each time, and a second loop around it would only start its count again.
    private func retryingTransientFailures<T: Sendable>(_ call: @Sendable () async throws -> T) async throws -> T {
        var attempt = 1
        let limit = configuration.plan.settings.defaultAttempts
        while true {
            do {
                return try await apiPool.withPermit { try await call() }
            } catch let error as PlatformError
                where error.retryClass == .retryable && attempt < limit && !error.isTransport
            {
                let delay = configuration.backoff.delay(
                    forRetry: attempt,
                    floor: error.retryAfter,
                    fraction: configuration.jitter()
                )
                try await configuration.clock.sleep(for: delay)
                attempt += 1
            }
        }
    }
}

/// Whether the running task holds a permit of the run's API pool already: taken around a create or submit attempt
/// (see `performAttempt`), so the calls inside it do not wait for a second one.
enum APIPermit {
    /// True inside an attempt that holds its permit.
    @TaskLocal static var isHeld = false
}

extension RunContext {
    /// Runs a platform call under the API pool, unless the task holds a permit already.
    ///
    /// - Parameter body: The call.
    /// - Returns: What the call returns.
    /// - Throws: What the call throws, or `CancellationError` while waiting for a permit.
    func withAPIPermit<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        if APIPermit.isHeld { return try await body() }
        return try await apiPool.withPermit { try await body() }
    }
}
