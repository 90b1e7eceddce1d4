import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the local platform keeps that no remaining run uses: job and file records, objects, work and process
/// directories, found from the records on disk (`runs rm`, `gc`).
///
/// A record belongs to the run named before the first `/` of its idempotency key (`<run>/<node>/<stage>…`); an
/// output belongs to its job. A job or file is kept while its run is kept, while a kept job uses it, while a kept
/// run's journal mentions its id, or (for a job) while its process still runs; an object is kept while a kept file
/// record or a kept journal names it.
package struct LocalCloudCleanup: Hashable, Sendable {
    /// The files and directories to remove, absolute.
    package var paths: [String]
    /// The jobs whose records go.
    package var jobs: Int
    /// The file records that go.
    package var files: Int
    /// The objects that go.
    package var objects: Int
    /// The disk space they take (allocated blocks, as `du` counts).
    package var bytes: Int64
    /// The jobs and files whose records go from the record log (a line that removes them is appended).
    var removedRecords = RecordLogLine()
    /// The LocalCloud root the removal is of (nil for ``nothing``).
    var root: String?

    /// A removal of nothing.
    package static let nothing = LocalCloudCleanup(paths: [], jobs: 0, files: 0, objects: 0, bytes: 0)

    /// Finds what can go.
    ///
    /// - Parameters:
    ///   - root: The local platform's directory (`.interlink/local`).
    ///   - isKept: Whether the run with this id stays.
    ///   - mentioned: Every string the kept runs' journals hold (file ids, job ids, object names).
    ///   - includeUnowned: Also objects no file record names and unfinished uploads (only when no run is active:
    ///     an active run may be about to register them).
    /// - Returns: The removal; nothing is removed yet.
    /// - Throws: `LocalCloudError.corrupt` when a record cannot be read.
    package static func plan(
        root: String,
        isKept: (String) -> Bool,
        mentioned: Set<String>,
        includeUnowned: Bool
    ) throws(LocalCloudError) -> LocalCloudCleanup {
        let records = try RecordLog.loadAll(root: root)
        let jobs = records.jobs.values.sorted { $0.id.rawValue < $1.id.rawValue }
        let files = records.files.values.sorted { $0.id.rawValue < $1.id.rawValue }
        func owner(_ key: String?) -> String? { key?.split(separator: "/", maxSplits: 1).first.map(String.init) }
        let keptJobs = jobs.filter {
            owner($0.idempotencyKey.rawValue).map(isKept) ?? true || $0.isRunning || mentioned.contains($0.id.rawValue)
        }
        let keptJobIDs = Set(keptJobs.map(\.id))
        var usedFiles = Set(keptJobs.flatMap { $0.outputs + ($0.body.jobanalyses.first?.inputFiles.map(\.id) ?? []) })
        usedFiles.formUnion(files.filter { mentioned.contains($0.id.rawValue) }.map(\.id))
        let keptFiles = files.filter { file in
            if usedFiles.contains(file.id) || mentioned.contains(file.pathParts.path) { return true }
            if let job = file.jobId { return keptJobIDs.contains(job) }
            return owner(file.idempotencyKey?.rawValue).map(isKept) ?? true
        }
        let keptFileIDs = Set(keptFiles.map(\.id))
        let keptObjects = Set(keptFiles.map(\.pathParts.path)).union(mentioned)
        var removal = nothing
        removal.root = root
        for job in jobs where !keptJobIDs.contains(job.id) {
            removal.jobs += 1
            removal.removedRecords.removedJobs = (removal.removedRecords.removedJobs ?? []) + [job.id]
            removal.add(
                [
                    "/jobs/\(job.id).json", "/processes/\(job.id)", "/processes/\(job.id).placed.json",
                    "/claims/\(job.id).lock", "/work/\(job.id)",
                ].map { root + $0 }
            )
        }
        var objectNames = Set<String>()
        for file in files where !keptFileIDs.contains(file.id) {
            removal.files += 1
            removal.removedRecords.removedFiles = (removal.removedRecords.removedFiles ?? []) + [file.id]
            removal.add([root + "/files/\(file.id).json"])
            if !keptObjects.contains(file.pathParts.path) { objectNames.insert(file.pathParts.path) }
        }
        if includeUnowned {
            let named = Set(files.map(\.pathParts.path))
            let stored = (try? FileManager.default.contentsOfDirectory(atPath: root + "/objects")) ?? []
            for name in stored where !name.hasSuffix(".metadata.json") && !named.contains(name) {
                if !keptObjects.contains(name) { objectNames.insert(name) }
            }
            let uploads = (try? FileManager.default.contentsOfDirectory(atPath: root + "/uploads")) ?? []
            removal.add(uploads.map { root + "/uploads/" + $0 })
        }
        for name in objectNames.sorted() {
            let path = root + "/objects/" + name
            guard FileManager.default.fileExists(atPath: path) else { continue }
            removal.objects += 1
            removal.add([path, path + ".metadata.json"])
        }
        return removal
    }

    /// Adds the paths that exist, with their size.
    mutating func add(_ candidates: [String]) {
        for path in candidates where Self.exists(path) {
            paths.append(path)
            bytes += Self.allocatedBytes(path)
        }
    }

    /// Removes every path, and the records from the record log.
    ///
    /// - Throws: `LocalCloudError.io` naming the first path that could not be removed.
    package func apply() throws(LocalCloudError) {
        if let root, removedRecords.removedJobs != nil || removedRecords.removedFiles != nil {
            try RecordLog(root: root).append([removedRecords])
        }
        for path in paths where Self.exists(path) {
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw LocalCloudError.io(path: path, detail: "\(error)")
            }
        }
    }

    /// Compacts the record log under `root` to one line per record (``RecordLog/compact(root:)``).
    ///
    /// - Returns: The log's size before and after, or nil when there is no log.
    /// - Throws: `LocalCloudError` when the log cannot be read, decoded or replaced.
    package static func compactRecords(root: String) throws(LocalCloudError) -> (before: Int64, after: Int64)? {
        try RecordLog.compact(root: root).map { ($0.before, $0.after) }
    }

    /// The record log's size now, or nil when there is none.
    package static func recordLogSize(root: String) -> Int64? {
        var info = stat()
        return stat(root + "/" + RecordLog.fileName, &info) == 0 ? Int64(info.st_size) : nil
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The blocks a file or tree takes on disk, in bytes (symbolic links are not followed).
    ///
    /// - Parameter path: A file or directory.
    /// - Returns: The sum of `st_blocks × 512` over it; 0 when it does not exist.
    package static func allocatedBytes(_ path: String) -> Int64 {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        var total = Int64(info.st_blocks) * 512
        if info.st_mode & S_IFMT == S_IFDIR {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                total += allocatedBytes(path + "/" + name)
            }
        }
        return total
    }
}
