import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTransfer

/// An on-disk "cloud" under one root directory: object storage, file records, job records, and the execution
/// of submitted jobs on this machine.
///
/// Layout: `objects/` and `uploads/` (``ObjectDirectory``), `files/<id>.json`, `jobs/<id>.json`, and
/// `work/<job id>/work/` (the job's `$HOME/work`). Every record is written atomically ([`AtomicFile`]) before a
/// call returns, so a new instance over the same root sees everything an earlier one acknowledged.
///
/// Jobs run only while a caller runs ``serve()`` in its task group.
package actor LocalCloud {
    /// The root directory.
    package nonisolated let root: String
    /// The object storage.
    package nonisolated let objects: ObjectDirectory
    /// The cores jobs may use at once.
    package nonisolated let totalCores: Int
    /// Runs the jobs.
    package nonisolated let executor: JobExecutor
    /// How often ``serve()`` looks for newly submitted jobs.
    package nonisolated let scanInterval: Duration
    /// How long a stopped job gets between SIGTERM and SIGKILL.
    package nonisolated let killGrace: Duration

    var files: [FileID: StoredFile] = [:]
    var jobs: [JobID: StoredJob] = [:]
    var downloads: [FileID: Int] = [:]
    var nextSequence = 0

    /// The cloud's dedicated thread: its methods write and fsync records, which must not hold a cooperative-pool
    /// thread.
    package nonisolated var unownedExecutor: UnownedSerialExecutor {
        SerialThreadExecutor.localCloud.asUnownedSerialExecutor()
    }

    /// Opens (or creates) the cloud under `root`, loading the records an earlier instance wrote.
    ///
    /// - Parameters:
    ///   - root: The directory.
    ///   - cores: The cores to share among jobs; by default the machine's active processors.
    ///   - executor: The job executor.
    ///   - scanInterval: How often to look for submitted jobs.
    ///   - killGrace: The grace between SIGTERM and SIGKILL.
    /// - Throws: `LocalCloudError` when the directories cannot be created or a record is corrupt.
    package init(
        root: String,
        cores: Int = ProcessInfo.processInfo.activeProcessorCount,
        executor: JobExecutor = JobExecutor(),
        scanInterval: Duration = .milliseconds(20),
        killGrace: Duration = .seconds(5)
    ) throws(LocalCloudError) {
        self.root = root
        objects = try ObjectDirectory(root: root)
        totalCores = max(cores, 1)
        self.executor = executor
        self.scanInterval = scanInterval
        self.killGrace = killGrace
        for directory in [root + "/files", root + "/jobs", root + "/work"] {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw LocalCloudError.io(path: directory, detail: "\(error)")
            }
        }
        files = try Self.load(StoredFile.self, from: root + "/files").reduce(into: [:]) { $0[$1.id] = $1 }
        jobs = try Self.load(StoredJob.self, from: root + "/jobs").reduce(into: [:]) { $0[$1.id] = $1 }
        nextSequence = (jobs.values.compactMap(\.submitSequence).max() ?? 0) + 1
    }

    /// Decodes every record in a directory, removing leftovers of interrupted atomic writes.
    static func load<Record: Decodable>(_ type: Record.Type, from directory: String) throws(LocalCloudError)
        -> [Record]
    {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var records: [Record] = []
        for name in names.sorted() {
            let path = directory + "/" + name
            if name.contains(AtomicFile.temporaryMarker) {
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            guard name.hasSuffix(".json") else { continue }
            records.append(try RecordFile.read(type, from: path))
        }
        return records
    }

    /// A new identifier: 6 characters from `[A-Za-z0-9]`, like Rescale's ids.
    static func makeID() -> String { String(ObjectNameSuffix.make().prefix(8)) }

    func save(_ record: StoredFile) throws(LocalCloudError) {
        try RecordFile.write(json: record, to: root + "/files/\(record.id).json")
        files[record.id] = record
    }

    func save(_ record: StoredJob) throws(LocalCloudError) {
        try RecordFile.write(json: record, to: root + "/jobs/\(record.id).json")
        jobs[record.id] = record
    }

    func job(_ id: JobID) throws(LocalCloudError) -> StoredJob {
        guard let record = jobs[id] else { throw LocalCloudError.notFound("job \(id)") }
        return record
    }
}
