import InterlinkCore
import InterlinkEngine

extension RunLauncher {
    /// Runs a freshly planned workflow: continues the workflow's latest run when it is unfinished or the plan
    /// changed (changed and new jobs are redone, unchanged ones keep their progress), says so when it is already
    /// complete, and starts a new run otherwise.
    ///
    /// - Parameters:
    ///   - plan: The freshly made plan.
    ///   - requireExisting: Fail when there is no earlier run (`pur resume`).
    /// - Returns: How the run ended.
    /// - Throws: ``CommandFailure``.
    package func start(plan: Plan, requireExisting: Bool = false) async throws(CommandFailure) -> ExitStatus {
        let plan = options.apply(to: plan)
        let platform = try await platform(for: plan)
        let code: ExitStatus
        do {
            let plan = try await platform.preflight(plan)
            code = try await start(plan: plan, on: platform, requireExisting: requireExisting)
        } catch {
            await platform.close()
            throw error
        }
        await platform.close()
        return code
    }

    private func start(plan: Plan, on platform: PlatformChoice, requireExisting: Bool) async throws(CommandFailure)
        -> ExitStatus
    {
        let store = RunStore(baseDirectory: plan.baseDirectory)
        let name = PathName.basename(plan.source)
        // Continuing needs the run's journal, not its plan's nodes (the new plan is compared with the journal).
        guard let latest = try store.latestRun(ofWorkflowNamed: name, withNodes: false) else {
            if requireExisting {
                throw CommandFailure.usage(
                    "no earlier run of '\(plan.source)' in '\(store.runsDirectory)'",
                    help: "start one with 'rescale-int pur run \(plan.source)'"
                )
            }
            return try await launch(plan: plan, runID: RunID.make(), on: platform)
        }
        // A run's jobs and files exist only on the platform it started on: another platform starts a new run.
        let target = platform.platform.target
        if let recorded = latest.state.platform, recorded != target {
            if requireExisting {
                throw CommandFailure.usage(
                    "the latest run of '\(plan.source)' (\(latest.runID)) is on '\(recorded)', not '\(target)'",
                    help: "continue it with the same platform settings, or start a new run with 'rescale-int pur run'"
                )
            }
            if options.progressMode != .json {
                options.renderer.errorOutput(
                    "run \(latest.runID) is on '\(recorded)'; starting a new run on '\(target)'\n"
                )
            }
            return try await launch(plan: plan, runID: RunID.make(), on: platform)
        }
        let changes = PlanDiff.changes(of: plan, against: latest.state)
        let removed = changes.filter { $0.value == .removed }.compactMap { latest.state.nodes[$0.key] }
            .sorted { $0.name < $1.name }
        if !removed.isEmpty, options.progressMode != .json {
            let names = removed.map { node in node.name + (node.jobID.map { " (job \($0))" } ?? "") }
            options.renderer.errorOutput(
                "\(removed.count) removed since run \(latest.runID) started: \(names.joined(separator: ", ")); "
                    + "left alone on the platform\n"
            )
        }
        let changed = plan.nodes.filter { changes[$0.id] == .changed }.count
        let added = plan.nodes.filter { changes[$0.id] == .new }.count
        if !latest.isRunning, latest.state.lastResult == .succeeded, changed == 0, added == 0 {
            let outputs = RunOutputs.outputs(plan: plan, state: latest.state)
            let stale: Int
            do { stale = try await RunOutputs.staleCount(outputs, platform: platform.platform) } catch {
                return .interrupted
            }
            if stale == 0 {
                // The run's plan was read without its nodes; unchanged and with none added, the plan's jobs are its.
                let jobs = plan.jobs.count
                options.renderer.standardOutput(
                    "run \(latest.runID) of '\(plan.source)' is already complete (\(jobs) jobs): nothing to do\n"
                        + RunOutputs.whereabouts(
                            plan: plan,
                            state: latest.state,
                            failed: [],
                            currentDirectory: currentDirectory
                        )
                )
                return .success
            }
            if options.progressMode != .json {
                options.renderer.errorOutput(
                    "run \(latest.runID) is complete; \(stale) downloaded outputs are missing or changed at their "
                        + "destination: downloading them again\n"
                )
            }
            return try await launch(
                plan: plan,
                runID: latest.runID,
                on: platform,
                rechecksOutputs: true,
                journal: latest.journal
            )
        }
        var note = "continuing run \(latest.runID)"
        if changed + added > 0 { note += ": \(changed) changed and \(added) new nodes are (re)done" }
        let retried = Engine.retries(plan: plan, state: latest.state, restartsStopped: options.restartStopped)
            .filter { $0.entry.node.map { changes[$0] == .unchanged } ?? false }.count
        if retried > 0 { note += "; \(retried) failed jobs get a new job" }
        if options.progressMode != .json { options.renderer.errorOutput(note + "\n") }
        return try await launch(plan: plan, runID: latest.runID, on: platform, journal: latest.journal)
    }
}

extension RunOptions {
    /// A renderer for one-off messages, in the mode the flags ask for.
    var renderer: ProgressRenderer { ProgressRenderer(mode: progressMode) }
}
