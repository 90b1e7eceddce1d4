/// Spaces `sbatch` calls so that at most `rate` start per second: a controller is shared.
actor SubmitPacer {
    private let interval: Duration
    private var next: ContinuousClock.Instant?

    /// Creates a pacer.
    ///
    /// - Parameter rate: Calls per second, above 0.
    init(rate: Double) {
        interval = .nanoseconds(Int64((1e9 / max(rate, 0.001)).rounded(.up)))
    }

    /// Waits for the next free slot and takes it.
    ///
    /// - Throws: `CancellationError` when cancelled while waiting (the slot is then lost, which only slows).
    func waitForSlot() async throws {
        let now = ContinuousClock.now
        let slot = max(now, next ?? now)
        next = slot + interval
        if slot > now { try await Task.sleep(until: slot, clock: .continuous) }
    }
}
