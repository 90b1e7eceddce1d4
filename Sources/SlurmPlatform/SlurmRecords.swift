import Foundation
import InterlinkCore
import InterlinkSystem

/// A registered input: what was staged for it and where.
struct StagedFileRecord: Codable, Hashable, Sendable {
    /// How an input is staged.
    enum Kind: String, Codable, Sendable {
        /// One file, placed under ``StagedFileRecord/name`` (unpacked when it is a tar archive and decompressed).
        case file
        /// The files of an archive input, placed as a tree in the work directory.
        case tree
    }

    /// The input's name (`mesh.tar`, `input.dat`).
    var name: String
    /// The staged directory.
    var storagePath: String
    /// File or tree.
    var kind: Kind
    /// Plaintext bytes.
    var bytes: Int64
    /// SHA-512 of the file, or of the tree's listing (each file's path, size and SHA-512).
    var sha512: String
    /// The registration's key.
    var idempotencyKey: IdempotencyKey
}

/// A created job: what `sbatch` needs.
struct SlurmJobRecord: Codable, Hashable, Sendable {
    /// The job's display name.
    var name: String
    /// The create key.
    var idempotencyKey: IdempotencyKey
    /// The shell command.
    var command: String
    /// The job's environment variables.
    var environment: [String: String]
    /// Cores per slot (CPUs per task).
    var coresPerSlot: Int
    /// Slots (tasks).
    var slots: Int
    /// The walltime in whole minutes (`--time`).
    var minutes: Int
    /// The inputs in attachment order.
    var inputs: [JobInputFile]
    /// When it was created (to bound a search of the job-completion log).
    var created: Date
    /// The sweep it belongs to and its resources, when it may go in a job array with the others of the group;
    /// nil for a job that always goes alone.
    var group: String?
}

/// A job's place in a job array: written before the array's `sbatch`, so a lost answer is found by the array's
/// marker and the task's index.
struct ArrayMembership: Codable, Hashable, Sendable {
    /// The array's marker (its `--job-name` and `--comment`).
    var array: String
    /// The task's index (`SLURM_ARRAY_TASK_ID`).
    var index: Int
}

/// Reads and writes the platform's small JSON records: written to a temporary sibling, fsynced and renamed
/// (``AtomicFile``), off the cooperative pool.
enum RecordFile {
    static func read<T: Decodable & Sendable>(_ type: T.Type, at path: String) async -> T? {
        await Blocking.run {
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try? decoder.decode(type, from: data)
        }
    }

    static func write(_ value: some Encodable, to path: String) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try await writeText(String(decoding: try encoder.encode(value), as: UTF8.self), to: path)
    }

    static func writeText(_ text: String, to path: String) async throws {
        let directory = PathName.dirname(path)
        do {
            try await Blocking.run {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try AtomicFile.write(Data(text.utf8), to: path)
            }
        } catch {
            throw PlatformError(.localFile(path: path, message: ErrorText.describe(error)), retryClass: .retryable)
        }
    }

    static func readText(_ path: String) async -> String? {
        await Blocking.run {
            FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        }
    }
}
