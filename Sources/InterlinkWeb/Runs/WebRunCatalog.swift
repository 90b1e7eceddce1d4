import Foundation

/// The runs under a study directory, as the CLI's run store reads them (`rescale-int runs`, `status`).
///
/// The `ui` command implements it over the CLI's `RunStore` and `RunSnapshot`, so the Runs tab shows the same
/// states and counts as `rescale-int runs --json`.
package protocol WebRunCatalog: Sendable {
    /// Every run under `directory` and the workflow directories below it, newest first.
    ///
    /// - Parameter directory: The absolute study directory.
    /// - Returns: One summary per readable run.
    func runs(in directory: String) async -> [WebRunSummary]

    /// One run with a page of its jobs and their stage spans.
    ///
    /// - Parameters:
    ///   - id: The run id.
    ///   - directory: The absolute study directory.
    ///   - page: Which jobs to include.
    /// - Returns: The run.
    /// - Throws: ``WebError`` (404) when there is no such run, or when it cannot be read.
    func run(_ id: String, in directory: String, page: WebPage) async throws -> WebRunDetail
}

/// A window of a long table: `?offset=&limit=`.
package struct WebPage: Sendable, Hashable {
    /// The first row, from 0.
    package var offset: Int
    /// The most rows.
    package var limit: Int

    /// Creates a page, clamping the offset to 0 or more and the limit to 1...1000.
    ///
    /// - Parameters:
    ///   - offset: The first row.
    ///   - limit: The most rows.
    package init(offset: Int, limit: Int) {
        self.offset = max(0, offset)
        self.limit = min(1000, max(1, limit))
    }
}

/// One run in the Runs tab: what `rescale-int runs --json` prints for it.
package struct WebRunSummary: Sendable, Codable, Hashable {
    /// The run id.
    package var run: String
    /// The workflow file the run was planned from.
    package var workflow: String
    /// The workflow's directory.
    package var directory: String
    /// `local` or `rescale`.
    package var platform: String
    /// `running`, `succeeded`, `failed`, `interrupted` or `new`.
    package var state: String
    /// How many jobs the plan has.
    package var jobs: Int
    /// How many are done.
    package var done: Int
    /// How many failed.
    package var failed: Int
    /// When the run started.
    package var started: Date?

    /// Creates a summary.
    package init(
        run: String,
        workflow: String,
        directory: String,
        platform: String,
        state: String,
        jobs: Int,
        done: Int,
        failed: Int,
        started: Date?
    ) {
        self.run = run
        self.workflow = workflow
        self.directory = directory
        self.platform = platform
        self.state = state
        self.jobs = jobs
        self.done = done
        self.failed = failed
        self.started = started
    }
}

/// One job row of a run page.
package struct WebJobRow: Sendable, Codable, Hashable {
    /// The job's name.
    package var name: String
    /// The furthest stage reached (tar, upload, create, …), or nil before any.
    package var stage: String?
    /// `pending`, `in progress`, `done` or `failed`.
    package var status: String
    /// The attempt of that stage.
    package var attempt: Int
    /// The platform's job id, once created.
    package var jobID: String?
    /// The platform's job status (`Executing`, `Completed`, …), once polled.
    package var jobStatus: String?
    /// Seconds from the job's first journaled step to its last (or to now while it runs).
    package var elapsed: Double?
    /// The last error, when a step failed.
    package var error: String?
    /// When each stage ran.
    package var spans: [WebStageSpan]
    /// The job's downloaded outputs, relative to the study directory.
    package var outputs: [String]

    /// Creates a row.
    package init(
        name: String,
        stage: String?,
        status: String,
        attempt: Int,
        jobID: String?,
        jobStatus: String?,
        elapsed: Double?,
        error: String?,
        spans: [WebStageSpan],
        outputs: [String]
    ) {
        self.name = name
        self.stage = stage
        self.status = status
        self.attempt = attempt
        self.jobID = jobID
        self.jobStatus = jobStatus
        self.elapsed = elapsed
        self.error = error
        self.spans = spans
        self.outputs = outputs
    }
}

/// When one stage of one job ran: from its first intent to its last outcome (open while it runs).
package struct WebStageSpan: Sendable, Codable, Hashable {
    /// The stage.
    package var stage: String
    /// Its first intent.
    package var start: Date
    /// Its last outcome, or nil while in flight.
    package var end: Date?
    /// `succeeded`, `failed`, `running`.
    package var result: String

    /// Creates a span.
    package init(stage: String, start: Date, end: Date?, result: String) {
        self.stage = stage
        self.start = start
        self.end = end
        self.result = result
    }
}

/// A run page: the run, one page of its jobs, and the counts the page needs to page through them.
package struct WebRunDetail: Sendable, Codable, Hashable {
    /// The run.
    package var summary: WebRunSummary
    /// Jobs per status across the whole run.
    package var counts: [String: Int]
    /// The page's jobs, in plan order.
    package var jobs: [WebJobRow]
    /// The page's first row.
    package var offset: Int
    /// How many jobs the run has (the table's length).
    package var total: Int

    /// Creates a detail.
    package init(summary: WebRunSummary, counts: [String: Int], jobs: [WebJobRow], offset: Int, total: Int) {
        self.summary = summary
        self.counts = counts
        self.jobs = jobs
        self.offset = offset
        self.total = total
    }
}
