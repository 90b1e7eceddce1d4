import InterlinkCore
import InterlinkTransfer

/// One stored input of a job, as the executor needs it to place the file in the work directory.
///
/// The fields are what the platform knows about a registered file: where its
/// encrypted object is, the data key, the format detected from the object metadata, and the checksum and size
/// of the plaintext.
package struct ExecutionInput: Sendable {
    /// The file's display name; a plain (non-archive) input is written under this name.
    package var name: String
    /// The path of the stored encrypted object.
    package var objectPath: String
    /// The AES-256 key (`encodedEncryptionKey`).
    package var key: EncryptionKey
    /// The encryption format and IV, from the object metadata (``ObjectFormat/detect(metadata:recordIV:path:)``).
    package var format: ObjectFormat
    /// Lowercase hex SHA-512 of the plaintext (`fileChecksums`); nil skips the check.
    package var sha512: String?
    /// Plaintext size in bytes (`decryptedSize`).
    package var decryptedSize: Int64
    /// Whether archives (tar, tar.gz, tar.zst) are unpacked into the work directory.
    package var decompress: Bool

    /// Creates an input description.
    package init(
        name: String,
        objectPath: String,
        key: EncryptionKey,
        format: ObjectFormat,
        sha512: String?,
        decryptedSize: Int64,
        decompress: Bool
    ) {
        self.name = name
        self.objectPath = objectPath
        self.key = key
        self.format = format
        self.sha512 = sha512
        self.decryptedSize = decryptedSize
        self.decompress = decompress
    }
}

/// Everything needed to run one job on this machine.
package struct ExecutionRequest: Sendable {
    /// The job, for messages and the `RESCALE_JOB_ID` variable.
    package var jobID: JobID
    /// The shell command, run with `/bin/bash -c` in the work directory; may span lines.
    package var command: String
    /// The job's environment variables; they override the base environment (`PATH`, `HOME`, `LANG`).
    package var environment: [String: String]
    /// How long the command may run before it is stopped (SIGTERM, then SIGKILL after ``killGrace``).
    package var walltime: Duration
    /// How long a stopped command gets between SIGTERM and SIGKILL.
    package var killGrace: Duration
    /// The work directory (Rescale's `$HOME/work`); created when missing, must be empty or absent.
    package var workDirectory: String
    /// The inputs, in attachment order.
    package var inputs: [ExecutionInput]
    /// Where the job's process leaves its pid and exit status, so that a later runner can wait for it or read how
    /// it ended; nil runs the command without that record.
    ///
    /// Beside it, `<file>.placed.json` holds the stamps of the placed inputs. A directory there is an earlier
    /// version's record (`pid`, `status`, `placed.json` inside).
    package var controlFile: String?

    /// Creates a request.
    package init(
        jobID: JobID,
        command: String,
        environment: [String: String] = [:],
        walltime: Duration,
        killGrace: Duration = .seconds(5),
        workDirectory: String,
        inputs: [ExecutionInput] = [],
        controlFile: String? = nil
    ) {
        self.controlFile = controlFile
        self.jobID = jobID
        self.command = command
        self.environment = environment
        self.walltime = walltime
        self.killGrace = killGrace
        self.workDirectory = workDirectory
        self.inputs = inputs
    }
}
