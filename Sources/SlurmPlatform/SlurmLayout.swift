import InterlinkCore
import InterlinkCrypto
import InterlinkTransfer

/// Where the platform keeps things under its work root, and the names it derives from idempotency keys.
///
/// - `staged/<digest>/file` or `staged/<digest>/tree/`: one staged input (a copy of a file, or of the files an
///   archive input names, never a tar unless the job asked for the archive itself).
/// - `files/<file id>.json`: a registered input.
/// - `jobs/<marker>/job.json`, `job.sh`, `slurm-id`, `placed.json`, `work/`: a job, its batch script, its Slurm job
///   id once submitted, the stamps of its placed inputs, and its work directory (`--chdir`, with
///   `process_output.log` as `--output`).
package struct SlurmLayout: Sendable {
    /// The work root.
    package var root: String

    /// Creates a layout.
    package init(root: String) { self.root = root }

    /// The marker of a create key: `il-` and 16 hex digits of its SHA-256; the job's name and comment on Slurm.
    package static func marker(for key: IdempotencyKey) -> String { "il-" + digest(key.rawValue) }

    /// 16 hex digits of the SHA-256 of a text.
    static func digest(_ text: String) -> String { String(Hex.encode(SHA256.hash(data: Array(text.utf8))).prefix(16)) }

    /// The directory of a staged upload.
    func staged(for key: IdempotencyKey) -> String { root + "/staged/" + Self.digest(key.rawValue) }
    /// A registered file's record.
    func fileRecord(_ id: FileID) -> String { root + "/files/" + id.rawValue + ".json" }
    /// A job's directory.
    func job(_ marker: String) -> String { root + "/jobs/" + marker }
    /// A job's record.
    func jobRecord(_ marker: String) -> String { job(marker) + "/job.json" }
    /// The file holding a job's Slurm id.
    func slurmID(_ marker: String) -> String { job(marker) + "/slurm-id" }
    /// A job's work directory.
    func work(_ marker: String) -> String { job(marker) + "/work" }
    /// The stamps of a job's placed inputs.
    func placed(_ marker: String) -> String { job(marker) + "/placed.json" }
    /// A job's batch script.
    func script(_ marker: String) -> String { job(marker) + "/job.sh" }
}
