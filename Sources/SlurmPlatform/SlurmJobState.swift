import InterlinkCore

/// One job as Slurm's clients report it: its id, name, comment, state and, once known, its exit code.
package struct SlurmJobState: Hashable, Sendable {
    /// Slurm's job id (`123`, or `123_4` for an array task).
    package var id: String
    /// `--job-name`.
    package var name: String
    /// `--comment`; nil when Slurm shows none (`(null)`).
    package var comment: String?
    /// The state's name (`PENDING`, `RUNNING`, `COMPLETED`, `FAILED`, `TIMEOUT`, `CANCELLED`, …).
    package var state: String
    /// `ExitCode=A:B`: A the exit status, B the signal; nil when the source has none (squeue).
    package var exitCode: (status: Int32, signal: Int32)?
    /// Slurm's reason (`NonZeroExitCode`, `JobLaunchFailure`, …), if any.
    package var reason: String?

    /// Creates a state.
    package init(
        id: String,
        name: String,
        comment: String?,
        state: String,
        exitCode: (status: Int32, signal: Int32)? = nil,
        reason: String? = nil
    ) {
        self.id = id
        self.name = name
        self.comment = comment
        self.state = state
        self.exitCode = exitCode
        self.reason = reason
    }

    package static func == (lhs: SlurmJobState, rhs: SlurmJobState) -> Bool {
        lhs.id == rhs.id && lhs.name == rhs.name && lhs.comment == rhs.comment && lhs.state == rhs.state
            && lhs.exitCode?.status == rhs.exitCode?.status && lhs.exitCode?.signal == rhs.exitCode?.signal
            && lhs.reason == rhs.reason
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(state)
    }

    /// The states after which a job never changes.
    package static let terminalStates: Set<String> = [
        "COMPLETED", "FAILED", "TIMEOUT", "CANCELLED", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL", "DEADLINE",
        "PREEMPTED", "SPECIAL_EXIT", "REVOKED",
    ]

    /// Whether the state is final.
    package var isTerminal: Bool { Self.terminalStates.contains(state) }

    /// Whether the status needs the exit code that this source lacks (a `FAILED` job seen by squeue).
    package var needsExitCode: Bool { state == "FAILED" && exitCode == nil }

    /// The job's status in the engine's terms.
    ///
    /// `ExitCode=3:0` on `FAILED` is "the command exited with status 3", as on the local platform; `TIMEOUT` and
    /// `CANCELLED` keep their names in the reason (a cancelled job is stopped, not failed).
    package var status: JobStatus {
        switch state {
        case "PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "SUSPENDED", "RESIZING": return .queued
        case "CONFIGURING": return .started
        case "RUNNING", "COMPLETING", "STAGE_OUT", "SIGNALING", "STOPPED", "UPDATE_DB", "POWER_UP_NODE":
            return .executing
        case "COMPLETED":
            if let exitCode, exitCode.status != 0 || exitCode.signal != 0 {
                return .failed(reason: Self.describe(exitCode))
            }
            return .completed(.success)
        case "FAILED":
            if reason == "JobLaunchFailure" || exitCode?.signal == 53 {
                return .failed(reason: "FAILED: Slurm could not launch the job (JobLaunchFailure); see its log")
            }
            return .failed(reason: exitCode.map(Self.describe) ?? "FAILED")
        case "TIMEOUT": return .failed(reason: "TIMEOUT: the job's time limit was exceeded")
        case "CANCELLED": return .stopped(reason: "CANCELLED")
        default:
            if isTerminal { return .failed(reason: state) }
            return .unknown(state)
        }
    }

    /// "the command exited with status N" or "the command was ended by signal N".
    static func describe(_ exitCode: (status: Int32, signal: Int32)) -> String {
        exitCode.signal != 0
            ? "the command was ended by signal \(exitCode.signal)"
            : "the command exited with status \(exitCode.status)"
    }

    /// The squeue format ``parseQueue(_:)`` reads: id, name, state, comment, reason.
    package static let queueFormat = "%i|%j|%T|%k|%r"

    /// Reads `squeue -h -o '%i|%j|%T|%k|%r'` output; lines that do not have five fields are skipped.
    ///
    /// The pending tasks of an array share one line (`123_[0-3,7%2]`): it stands for one row per task (`123_0` …
    /// `123_3`, `123_7`).
    package static func parseQueue(_ text: String) -> [SlurmJobState] {
        text.split(separator: "\n").flatMap { line -> [SlurmJobState] in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 5 else { return [] }
            return expandArrayID(fields[0]).map { id in
                SlurmJobState(
                    id: id,
                    name: fields[1],
                    comment: nullable(fields[3]),
                    state: firstWord(fields[2]),
                    reason: nullable(fields[4])
                )
            }
        }
    }

    /// `123_[0-2,5%4]` → `123_0`, `123_1`, `123_2`, `123_5`; any other id → itself.
    package static func expandArrayID(_ id: String) -> [String] {
        guard let open = id.firstIndex(of: "["), id.hasSuffix("]"), let base = ArrayScript.arrayID(of: id) else {
            return [id]
        }
        var spec = id[id.index(after: open)..<id.index(before: id.endIndex)]
        if let percent = spec.firstIndex(of: "%") { spec = spec[..<percent] }
        var ids: [String] = []
        for part in spec.split(separator: ",") {
            let bounds = part.split(separator: "-").compactMap { Int($0) }
            if bounds.count == 1 {
                ids.append("\(base)_\(bounds[0])")
            } else if bounds.count == 2, bounds[0] <= bounds[1], bounds[1] - bounds[0] < 1_000_000 {
                ids += (bounds[0]...bounds[1]).map { "\(base)_\($0)" }
            } else {
                return [id]
            }
        }
        return ids
    }

    /// Reads `sacct -c -X -P -n -o JobID,JobName,State,ExitCode` output (the job-completion log).
    package static func parseCompletions(_ text: String) -> [SlurmJobState] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4, !fields[0].isEmpty else { return nil }
            return SlurmJobState(
                id: fields[0],
                name: fields[1],
                comment: nil,
                state: firstWord(fields[2]),
                exitCode: parseExitCode(fields[3])
            )
        }
    }

    /// Reads one job of `scontrol -o show job ID`: `JobId`, `JobName`, `JobState`, `Reason`, `ExitCode`, `Comment`.
    package static func parseShowJob(_ text: String) -> SlurmJobState? {
        var values: [String: String] = [:]
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            guard let equals = word.firstIndex(of: "=") else { continue }
            let key = String(word[..<equals])
            if values[key] == nil { values[key] = String(word[word.index(after: equals)...]) }
        }
        guard let id = values["JobId"], let state = values["JobState"] else { return nil }
        return SlurmJobState(
            id: id,
            name: values["JobName"] ?? "",
            comment: values["Comment"].flatMap(nullable),
            state: firstWord(state),
            exitCode: values["ExitCode"].flatMap(parseExitCode),
            reason: values["Reason"].flatMap(nullable)
        )
    }

    /// `3:0` → (3, 0).
    package static func parseExitCode(_ text: String) -> (status: Int32, signal: Int32)? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let status = Int32(parts[0]), let signal = Int32(parts[1]) else { return nil }
        return (status, signal)
    }

    private static func nullable(_ text: String) -> String? {
        text.isEmpty || text == "(null)" || text == "None" ? nil : text
    }

    /// `CANCELLED by 0` → `CANCELLED`.
    private static func firstWord(_ text: String) -> String {
        String(text.split(separator: " ").first ?? Substring(text))
    }
}
