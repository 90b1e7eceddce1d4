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
/// - `jobs/<marker>/array.json`, `slurm-task`, `cancelled`: a job sent in a job array: its array and index
///   (written before the `sbatch`), the task's ids as the task wrote them when it started (`A_I` and its own job
///   id), and a note that it was cancelled (a task cancelled while pending leaves no trace in Slurm).
/// - `arrays/<array marker>/array.sh` and `<index>` → `../../jobs/<marker>`: a job array's script, and each task's
///   job by its index.
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
    /// A job's place in an array.
    func membership(_ marker: String) -> String { job(marker) + "/array.json" }
    /// The ids an array task wrote when it started.
    func task(_ marker: String) -> String { job(marker) + "/slurm-task" }
    /// The note that an array task was cancelled.
    func cancelled(_ marker: String) -> String { job(marker) + "/cancelled" }
    /// A job array's directory.
    func array(_ marker: String) -> String { root + "/arrays/" + marker }
}
