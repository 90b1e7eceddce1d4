import InterlinkCore

/// How one execution ended.
///
/// The terminal status is returned rather than reported through `onStatus`, so the caller can store the
/// outputs first and only then make `Completed` visible, as Rescale does (a client that sees `Completed` lists
/// the outputs at once).
package struct ExecutionResult: Hashable, Sendable {
    /// The command's exit status; nil when it did not run or was ended by a signal.
    package var exitStatus: Int32?
    /// The signal that ended the command, if one did.
    package var signal: Int32?
    /// Whether the walltime ran out and the command was stopped.
    package var timedOut: Bool
    /// The files left in the work directory, relative to it, sorted: what Rescale returns as outputs
    ///, `process_output.log` always among them.
    ///
    /// Inputs placed by the executor and left
    /// unchanged are not outputs.
    package var outputs: [String]
    /// The terminal status to publish once the outputs are stored.
    package var status: JobStatus

    /// Creates a result.
    package init(exitStatus: Int32?, signal: Int32?, timedOut: Bool, outputs: [String], status: JobStatus) {
        self.exitStatus = exitStatus
        self.signal = signal
        self.timedOut = timedOut
        self.outputs = outputs
        self.status = status
    }

    /// Whether the command ran and exited with status 0.
    package var succeeded: Bool { exitStatus == 0 && !timedOut }
}

/// Why an execution could not prepare or start its command.
package struct ExecutionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    package enum Reason: Hashable, Sendable {
        /// An input could not be decrypted, failed its size or SHA-512 check, or is a hostile archive.
        case inputRefused(name: String, detail: String)
        /// The work directory could not be prepared or the output log opened.
        case workDirectory(String)
        /// The shell could not be started.
        case spawn(String)
    }

    /// What went wrong.
    package var reason: Reason

    /// Creates an error.
    package init(_ reason: Reason) { self.reason = reason }

    package var description: String {
        switch reason {
        case .inputRefused(let name, let detail): "input '\(name)' refused: \(detail)"
        case .workDirectory(let detail): "work directory: \(detail)"
        case .spawn(let detail): "cannot start the command: \(detail)"
        }
    }
}
