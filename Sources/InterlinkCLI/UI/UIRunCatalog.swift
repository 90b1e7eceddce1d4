import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem
import InterlinkWeb
import Synchronization

/// The Runs tab's view of the runs under a study directory, read with the CLI's ``RunStore`` and
/// ``RunSnapshot`` (the states and counts of `rescale-int runs` and `status`), plus each job's stage spans from
/// the journal's intent and outcome times.
///
/// A run's rows are cached until its plan or journal changes (size and modification time), so paging through
/// 10,000 jobs decodes the plan and replays the journal once.
final class UIRunCatalog: WebRunCatalog {
    /// A run read whole: its summary and every row.
    private struct Model: Sendable {
        var stamp: [Int64]
        var summary: WebRunSummary
        var counts: [String: Int]
        var rows: [WebJobRow]
    }

    private let models = Mutex<[String: Model]>([:])

    func runs(in directory: String) async -> [WebRunSummary] {
        let runDirectories = await Blocking.run {
            WebRunLocations.baseDirectories(under: directory).flatMap { base in
                let store = RunStore(baseDirectory: base)
                return store.runIDs().map { store.directory(of: $0) }
            }
        }
        var summaries: [WebRunSummary] = []
        for runDirectory in runDirectories {
            // Each run is read whole here, not from its `runs` tally: the list warms the cache its page is drawn
            // from, so opening even a 10,000-job run paints at once. An unreadable run (no plan yet, a corrupt
            // journal) is left out, as `rescale-int runs` leaves it out.
            if let model = try? await model(of: runDirectory) { summaries.append(model.summary) }
        }
        return summaries.sorted { ($0.started ?? .distantFuture) > ($1.started ?? .distantFuture) }
    }

    func run(_ id: String, in directory: String, page: WebPage) async throws -> WebRunDetail {
        guard !id.isEmpty, !id.contains("/"), !id.hasPrefix(".") else { throw WebError(.notFound("no run '\(id)'")) }
        let run = RunID(id)
        let bases = await Blocking.run { WebRunLocations.baseDirectories(under: directory) }
        guard
            let runDirectory = bases.lazy.map({ RunStore(baseDirectory: $0).directory(of: run) })
                .first(where: { FileManager.default.fileExists(atPath: $0.path) })
        else {
            throw WebError(.notFound("no run '\(id)' under '\(directory)'"))
        }
        let model = try await model(of: runDirectory)
        let end = min(model.rows.count, page.offset + page.limit)
        let rows = page.offset < end ? Array(model.rows[page.offset..<end]) : []
        return WebRunDetail(
            summary: model.summary,
            counts: model.counts,
            jobs: rows,
            offset: page.offset,
            total: model.rows.count
        )
    }

    /// The run read whole, from the cache while its files are unchanged.
    private func model(of directory: RunDirectory) async throws -> Model {
        let stamp = Self.stamp(directory)
        if let cached = models.withLock({ $0[directory.path] }), cached.stamp == stamp { return cached }
        let model = try await Blocking.run { () throws(WebError) -> Model in
            do throws(CommandFailure) {
                let (snapshot, records) = try RunSnapshot.withRecords(directory)
                return Self.model(of: snapshot, records: records, stamp: stamp)
            } catch {
                throw WebError(.failed(error.diagnostics.map { $0.message }.joined(separator: "; "), platform: false))
            }
        }
        models.withLock { $0[directory.path] = model }
        return model
    }

    /// The sizes and modification times of the run's plan and journal, and whether a runner holds its lock.
    private static func stamp(_ directory: RunDirectory) -> [Int64] {
        let files = [directory.planPath, directory.journalPath].flatMap { path in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
            let time = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return [size, Int64(time * 1000)]
        }
        return files + [FileLock.isHeld(at: PathName.join(directory.path, "lock")) ? 1 : 0]
    }

    /// A run's line in the table from its `runs` row.
    static func summary(of row: RunRow) -> WebRunSummary {
        WebRunSummary(
            run: row.runID,
            workflow: row.workflow,
            directory: row.directory,
            platform: row.platform,
            state: row.standing,
            jobs: row.jobs,
            done: row.done,
            failed: row.failed,
            started: row.started
        )
    }

    /// A run's line in the table, as `rescale-int runs --json` prints it.
    static func summary(of run: RunSnapshot, jobs: [(node: PlanNode, standing: NodeStanding)]? = nil) -> WebRunSummary {
        summary(of: RunRow(run, jobs: jobs))
    }

    private static func model(of run: RunSnapshot, records: [JournalRecord], stamp: [Int64]) -> Model {
        var spans: [NodeID: [StageKind: WebStageSpan]] = [:]
        for record in records {
            switch record.entry {
            case .intent(let intent):
                let stage = intent.step.stage
                if spans[intent.node]?[stage] == nil {
                    spans[intent.node, default: [:]][stage] = WebStageSpan(
                        stage: stage.rawValue,
                        start: record.time,
                        end: nil,
                        result: "running"
                    )
                } else {
                    spans[intent.node]?[stage]?.end = nil
                    spans[intent.node]?[stage]?.result = "running"
                }
            case .outcome(let outcome):
                spans[outcome.node]?[outcome.step.stage]?.end = record.time
                spans[outcome.node]?[outcome.step.stage]?.result = outcome.result.rawValue
            default:
                break
            }
        }
        let jobs = run.jobs
        var counts: [String: Int] = [:]
        let now = Date()
        let rows = jobs.map { job -> WebJobRow in
            counts[job.standing.rawValue, default: 0] += 1
            let state = run.state.nodes[job.node.id]
            let stage = state?.furthestStage
            let attempt = state?.steps.filter { $0.key.stage == stage }.map(\.value.attempts).max() ?? 0
            let nodeSpans = (spans[job.node.id] ?? [:]).sorted { $0.key < $1.key }.map(\.value)
            let first = nodeSpans.map(\.start).min()
            let last = nodeSpans.contains { $0.end == nil } ? now : nodeSpans.compactMap(\.end).max()
            let outputs = Self.outputs(of: job.node, state: state, baseDirectory: run.plan.baseDirectory)
            return WebJobRow(
                name: job.node.name,
                stage: stage?.rawValue,
                status: job.standing.rawValue,
                attempt: attempt,
                jobID: state?.jobID?.rawValue,
                jobStatus: state?.jobStatus?.name,
                elapsed: first.flatMap { start in last.map { $0.timeIntervalSince(start) } },
                error: job.standing == .failed ? state?.openError?.message : nil,
                spans: nodeSpans,
                outputs: outputs
            )
        }
        return Model(stamp: stamp, summary: summary(of: run, jobs: jobs), counts: counts, rows: rows)
    }

    /// The job's downloaded files, relative to the workflow's directory (`results/Run_1/…`).
    private static func outputs(of node: PlanNode, state: NodeState?, baseDirectory: String) -> [String] {
        guard let state, let job = node.job else { return [] }
        let destination = OutputSelection.destination(of: job, baseDirectory: baseDirectory)
        return state.steps.filter { $0.key.stage == .download && $0.key.item != nil && $0.value.isSucceeded }
            .compactMap { step in
                step.key.item.flatMap { PathName.relative(PathName.join(destination, $0), to: baseDirectory) }
            }
            .sorted()
    }
}
