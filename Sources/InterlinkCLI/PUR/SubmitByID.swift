import ArgumentParser
import Foundation
import InterlinkCore

/// `pur submit-existing --ids a,b,c`: submits jobs that exist on Rescale, one line per id
/// (`[SUBMIT] <id> -> OK` or `-> FAILED: <why>`), as Interlink prints them.
///
/// A job that is already submitted is reported and not submitted again, so the command can be repeated after a
/// partial failure; a submit whose answer is lost is settled by the platform's reconciliation (its status).
struct SubmitByID: Sendable {
    /// The flag's value.
    var ids: String
    /// The Rescale profile and host flags.
    var connection: ConnectionOptions

    /// How many ids are handled at once.
    static let concurrency = 4

    /// The non-empty trimmed ids, and how many comma pieces the flag had (Interlink counts those).
    var pieces: (ids: [String], count: Int) {
        let raw = ids.split(separator: ",", omittingEmptySubsequences: false)
        return (raw.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }, raw.count)
    }

    /// Submits every id and exits 1 when any failed.
    func run() async throws {
        let (ids, count) = pieces
        guard !ids.isEmpty else { throw ValidationError("--ids names no job id.") }
        let lines = try await RescaleConnection.with(connection) { connection in
            try await ids.concurrentMap(limit: Self.concurrency) { id -> (String, Bool) in
                do {
                    let status = try await connection.platform.status(of: JobID(id))
                    if status.isSubmitted { return ("[SUBMIT] \(id) -> OK (already submitted: \(status.name))", true) }
                    try await connection.platform.submit(JobID(id))
                    return ("[SUBMIT] \(id) -> OK", true)
                } catch let error as CancellationError {
                    throw error
                } catch let error as PlatformError {
                    return ("[SUBMIT] \(id) -> FAILED: \(error.message)", false)
                } catch {
                    return ("[SUBMIT] \(id) -> FAILED: \(ErrorText.describe(error))", false)
                }
            }
        }
        for (line, _) in lines { RecordOutput.write(line + "\n") }
        let failed = lines.filter { !$0.1 }.count
        guard failed == 0 else {
            throw ErrorReport.report(
                CommandFailure(
                    [
                        .error(
                            "\(failed) of \(count) submissions failed",
                            help: "fix the cause and repeat the command: submitted jobs are not submitted again"
                        )
                    ],
                    status: .jobFailed
                )
            )
        }
        RecordOutput.write("All \(count) jobs submitted successfully\n")
    }
}
