import Foundation
import InterlinkCore
import InterlinkSystem

/// Slurm's client commands as this platform calls them, each through ``ToolProcess`` (off the cooperative pool)
/// with `SLURM_CONF` in its environment.
package struct SlurmClient: Sendable {
    /// The environment every command gets (`PATH`, `SLURM_CONF`, …).
    package var environment: [String: String]
    /// How long a query (`squeue`, `scontrol`, `sacct`, `scancel`) may take.
    package var queryTimeout: Duration

    /// The client commands the platform needs.
    package static let requiredTools = ["sbatch", "squeue", "scontrol", "scancel", "sacct"]

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - environment: The commands' environment; `PATH` finds them and `SLURM_CONF` names the cluster.
    ///   - queryTimeout: The deadline of each query.
    package init(environment: [String: String], queryTimeout: Duration = .seconds(30)) {
        self.environment = environment
        self.queryTimeout = queryTimeout
    }

    /// The client commands missing from `PATH`.
    package var missingTools: [String] {
        Self.requiredTools.filter { ToolProcess.locate($0, path: environment["PATH"]) == nil }
    }

    /// Runs one client command.
    ///
    /// - Returns: What it printed.
    /// - Throws: ``PlatformError``: `.transport` when the controller cannot be reached (retryable), `.rejected` when
    ///   it refused; `retryClass` overrides the class of a failure.
    package func run(
        _ tool: String,
        _ arguments: [String],
        timeout: Duration? = nil,
        retryClass: RetryClass? = nil
    ) async throws -> ToolProcess.Output {
        guard let executable = ToolProcess.locate(tool, path: environment["PATH"]) else {
            throw PlatformError(
                .transport("the Slurm client '\(tool)' is not on PATH"),
                retryClass: .fatal
            )
        }
        let output: ToolProcess.Output
        do {
            output = try await ToolProcess.run(
                executable,
                arguments,
                environment: environment,
                timeout: timeout ?? queryTimeout
            )
        } catch let error as SystemError {
            throw PlatformError(.transport(error.description), retryClass: retryClass ?? .retryable)
        }
        guard output.succeeded else { throw Self.failure(tool, output, retryClass: retryClass) }
        return output
    }

    /// The error a failed command stands for.
    static func failure(_ tool: String, _ output: ToolProcess.Output, retryClass: RetryClass?)
        -> PlatformError
    {
        let detail = Self.lastLine(output.stderr) ?? Self.lastLine(output.stdout) ?? "no message"
        if output.wasSignalled {
            return PlatformError(
                .transport("\(tool) did not answer in time (ended by signal \(output.status))"),
                retryClass: retryClass ?? .retryable
            )
        }
        if Self.isUnreachable(output.stderr) {
            return PlatformError(.transport("\(tool): \(detail)"), retryClass: retryClass ?? .retryable)
        }
        return PlatformError(
            .rejected(status: Int(output.status), message: "\(tool): \(detail)"),
            retryClass: retryClass ?? .fatal
        )
    }

    /// Whether a client's message means the controller could not be reached (rather than a refusal).
    static func isUnreachable(_ text: String) -> Bool {
        [
            "Unable to contact slurm controller", "Socket timed out", "Connection refused",
            "Zero Bytes were transmitted",
            "Transport endpoint", "communication connection failure", "Slurm backup controller in standby mode",
            "Munge", "munge",
        ].contains { text.contains($0) }
    }

    private static func lastLine(_ text: String) -> String? {
        text.split(separator: "\n").last { !$0.contains("Unknown type ArrayJobId") }.map(String.init)
    }

    /// Every job of this user the controller still knows (finished ones within `MinJobAge` too), one `squeue` call.
    package func queue() async throws -> [SlurmJobState] {
        let output = try await run("squeue", ["--me", "-t", "all", "-h", "-o", SlurmJobState.queueFormat])
        return SlurmJobState.parseQueue(output.stdout)
    }

    /// One job as `scontrol -o show job` reports it (with its exit code); nil when the controller forgot it.
    package func showJob(_ id: String) async throws -> SlurmJobState? {
        do {
            let output = try await run("scontrol", ["-o", "show", "job", id])
            return SlurmJobState.parseShowJob(output.stdout)
        } catch let error as PlatformError {
            if case .rejected = error.reason { return nil }
            throw error
        }
    }

    /// Jobs from the job-completion log (`sacct -c`), which outlives the controller's memory of them.
    ///
    /// - Parameters:
    ///   - ids: The jobs wanted; empty lists every job since `since`.
    ///   - since: The earliest start to list (`-S`).
    /// - Returns: The jobs found; empty when the cluster keeps no such log.
    /// - Throws: ``PlatformError`` when the controller cannot be reached.
    package func completions(ids: [String], since: Date) async throws -> [SlurmJobState] {
        var arguments = ["-c", "-X", "-P", "-n", "-o", "JobID,JobName,State,ExitCode", "-S", Self.sacctTime(since)]
        if !ids.isEmpty { arguments += ["-j", ids.joined(separator: ",")] }
        do {
            let output = try await run("sacct", arguments)
            return SlurmJobState.parseCompletions(output.stdout)
        } catch let error as PlatformError {
            if case .rejected = error.reason { return [] }
            throw error
        }
    }

    /// The cluster's `MaxArraySize` (`scontrol show config`): an array's task indices must be below it.
    ///
    /// - Returns: The value, or nil when the configuration does not show it.
    /// - Throws: ``PlatformError`` when the controller cannot be reached.
    package func maxArraySize() async throws -> Int? {
        let output = try await run("scontrol", ["show", "config"])
        for line in output.stdout.split(separator: "\n") where line.hasPrefix("MaxArraySize") {
            guard let value = line.split(separator: "=").last else { return nil }
            return Int(value.trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// Cancels jobs (`scancel`).
    package func cancel(_ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        _ = try await run("scancel", ids, retryClass: .retryable)
    }

    /// Whether the controller answers (`scontrol ping` says UP), with what was seen.
    ///
    /// A configuration file that is missing is reported at once (the clients would retry it for a minute).
    package func ping() async -> (isUp: Bool, detail: String) {
        let configuration = environment["SLURM_CONF"] ?? "/etc/slurm/slurm.conf"
        guard access(configuration, R_OK) == 0 else {
            return (false, "the configuration file '\(configuration)' cannot be read")
        }
        guard let executable = ToolProcess.locate("scontrol", path: environment["PATH"]) else {
            return (false, "the Slurm client 'scontrol' is not on PATH")
        }
        do {
            let output = try await ToolProcess.run(
                executable,
                ["ping"],
                environment: environment,
                timeout: .seconds(15)
            )
            let text = output.stdout.split(separator: "\n").first.map(String.init) ?? ""
            if output.succeeded, text.contains(" is UP") { return (true, text) }
            return (false, text.isEmpty ? (Self.lastLine(output.stderr) ?? "scontrol ping failed") : text)
        } catch {
            return (false, "\(error)")
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS` in local time, as `sacct -S` reads it.
    static func sacctTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: date)
    }
}
