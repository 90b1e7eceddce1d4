import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkSystem
import RescaleAPI

/// `rescale-int jobs submit -f FILE`: creates jobs from a job file and submits them.
package struct JobsSubmitCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Create jobs from a job file and submit them.",
        discussion: """
            The file is a JSON job as Interlink takes it (the platform's create body: name, jobanalyses …), or one \
            of ours: a workflow (.yaml, .yml, .json) or an SGE job script (.sh). Jobs of our forms may name \
            platform files as inputs; local inputs need 'rescale-int run FILE --platform rescale', which uploads them.

            \(ExitStatus.helpText([.success, .usage, .invalidInput, .unavailable, .configuration]))
            """
    )

    @OptionGroup package var connection: ConnectionOptions

    /// The job file.
    @Option(name: [.customShort("f"), .customLong("job-file")], help: "The job file (JSON, YAML or SGE script).")
    package var jobFile: String

    /// Creates without submitting.
    @Flag(help: "Create the jobs without submitting them.")
    package var noSubmit = false

    /// Prints records as JSON.
    @Flag(help: "Print the created jobs' records as one JSON array.")
    package var json = false

    /// Creates the command.
    package init() {}

    package func run() async throws {
        let path = jobFile
        let data: Data
        do {
            data = try await Blocking.run { try Data(contentsOf: URL(fileURLWithPath: path)) }
        } catch {
            throw CommandFailure.usage("cannot read the job file '\(path)': \(error.localizedDescription)")
        }
        let submitting = !noSubmit
        let records: [JSONValue]
        if path.lowercased().hasSuffix(".json"), let body = try? JSONDecoder().decode(JSONValue.self, from: data),
            body["jobanalyses"] != nil
        {
            records = try await RescaleConnection.with(connection) { connection in
                let record = try await connection.api.createJob(body: data)
                let id = record["id"]?.string ?? ""
                if submitting { try await connection.platform.submit(JobID(id)) }
                return [record]
            }
        } else {
            let jobs = try await Self.readOurForm(path)
            records = try await RescaleConnection.with(connection) { connection in
                var created: [JSONValue] = []
                for (job, inputs) in jobs {
                    let request = JobRequest(
                        name: job.name,
                        spec: job,
                        inputFiles: inputs,
                        idempotencyKey: IdempotencyKey("jobs-submit/\(UUID().uuidString)/\(job.name)")
                    )
                    let id = try await connection.platform.createJob(request)
                    if submitting && job.submit == .submit { try await connection.platform.submit(id) }
                    created.append(try await connection.api.jobRecord(id.rawValue))
                }
                return created
            }
        }
        if json {
            RecordOutput.write(RecordOutput.json(.array(records)))
            return
        }
        for record in records {
            let job = JobSummary(record: record)
            let state = submitting ? "submitted" : "created (not submitted)"
            RecordOutput.write("\(state) job '\(job.id)' \(TerminalText.escaped(job.name))\n")
        }
    }

    /// Reads a workflow or job script and refuses jobs with local inputs (they need an upload).
    ///
    /// - Returns: Each job with the platform files it names, its own and shared ones, in order.
    static func readOurForm(_ path: String) async throws -> [(JobSpec, [JobInputFile])] {
        let loaded: LoadedWorkflow
        do {
            loaded = try await Blocking.run { () throws(DiagnosticsError) in
                try WorkflowLoader.load(path: path, fileSystem: LocalFileSystem())
            }
        } catch {
            throw CommandFailure(error)
        }
        let workflow = loaded.workflow
        var problems: [Diagnostic] = []
        for job in workflow.jobs {
            let local = job.inputs.contains { input in
                switch input {
                case .existing: false
                case .archive: true
                case .shared(let name):
                    workflow.sharedInputs.first { $0.name == name }.map { shared in
                        if case .existing = shared.source { return false }
                        return true
                    } ?? true
                }
            }
            if local {
                problems.append(
                    .error(
                        "job '\(job.name)' has local inputs, which 'jobs submit' does not upload",
                        help: "run it with: rescale-int run \(path) --platform rescale",
                        at: job.origin
                    )
                )
            }
        }
        guard problems.isEmpty else { throw CommandFailure(problems, status: .invalidInput) }
        return workflow.jobs.map { job in
            let inputs = job.inputs.compactMap { input -> JobInputFile? in
                switch input {
                case .existing(let file): return JobInputFile(id: FileID(file.id), decompress: file.decompress)
                case .shared(let name):
                    guard case .existing(let file) = workflow.sharedInputs.first(where: { $0.name == name })?.source
                    else { return nil }
                    return JobInputFile(id: FileID(file.id), decompress: file.decompress)
                case .archive: return nil
                }
            }
            return (job, inputs)
        }
    }
}
