import InterlinkCore

extension PlatformChoice {
    /// Runs ``preflight`` with Ctrl-C and SIGTERM honoured: nothing has been uploaded or created yet, so a signal
    /// (say, while an unreachable platform is retried) ends the command at once with exit 130.
    ///
    /// - Parameter plan: The plan to check.
    /// - Returns: The plan to run.
    /// - Throws: ``CommandFailure``: the preflight's own, or 130 when the user stopped it.
    func interruptiblePreflight(_ plan: Plan) async throws(CommandFailure) -> Plan {
        let (signals, continuation) = SignalListener.makeStream()
        defer { continuation.finish() }
        let preflight = self.preflight
        let checked: Plan?
        do {
            checked = try await withThrowingTaskGroup(of: Plan?.self) { group in
                group.addTask { try await preflight(plan) }
                group.addTask {
                    // Ends with the first signal, or when cancelled after the preflight finished first.
                    for await _ in signals { return nil }
                    return nil
                }
                // The preflight never gives nil: a nil first result is the signal.
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(
                [.error("cannot check the plan against the platform: \(ErrorText.describe(error))")],
                status: .unavailable
            )
        }
        guard let checked else {
            throw CommandFailure(
                [
                    .error(
                        "interrupted before the run started: nothing was uploaded or created",
                        help: "run the same command again to start it"
                    )
                ],
                status: .interrupted
            )
        }
        return checked
    }
}
