import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTransfer

/// An on-disk "cloud" under one root directory: object storage, file records, job records, and the execution
/// of submitted jobs on this machine.
///
/// Layout: `objects/` and `uploads/` (``ObjectDirectory``), `records.jsonl` (every job and file record, appended
/// to: ``RecordLog``; roots of earlier versions also have `files/<id>.json` and `jobs/<id>.json`, still read),
/// `work/<job id>/work/` (the job's `$HOME/work`), `processes/<job id>` (the job process's pid and exit status;
/// beside it `<job id>.placed.json`, the placed inputs) and `claims/<job id>.lock` (held by the instance that runs
/// or waits for the job). Every record a client's call changed is durable (appended and synced) before the call
/// returns, so a new instance over the same root sees everything an earlier one acknowledged. Records are written
/// at once and synced in groups (``commit()``): concurrent calls share one `fdatasync`; the statuses a running job
/// passes through ride on the next commit (a power cut may lose them, never a claim, a create, a submit or an
/// ending).
///
/// Several instances, in one process or several, may share a root: a job record is changed only under the short
/// `records.lock` after reading it afresh, a job's status is read from disk, and a job runs in the instance holding
/// its claim. Jobs run only while a caller runs ``serve()`` in its task group.
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
    /// Whether a job's work directory stays after its outputs are stored (`--keep-work`).
    package nonisolated let keepsWork: Bool
    /// Called before a job's outputs are stored, after its command ended (tests hold a job there).
    nonisolated let beforeStoringOutputs: (@Sendable (JobID) async -> Void)?

    var files: [FileID: StoredFile] = [:]
    var jobs: [JobID: StoredJob] = [:]
    var downloads: [FileID: Int] = [:]
    var nextSequence = 0
    /// The jobs this instance's client created, found, submitted or polled: the only ones ``serve()`` runs.
    ///
    /// A job leaves the set when its record is terminal, until a client asks about it again (``want(_:)``).
    var wanted: Set<JobID> = []
    /// The wanted jobs that wait for cores, in submit order (entries checked against the records when taken).
    var waiting = WaitingJobs()
    /// The wanted jobs recorded as running: this instance's, and those another runner left or runs.
    var runningWanted: Set<JobID> = []
    /// The claims this instance holds, by job: released when it stops running or waiting for the job.
    var claims: [JobID: FileLock] = [:]
    /// The waits for jobs' ends (``waitForEnd(of:upTo:)``), by job.
    var endWaiters: [JobID: [EndWaiter]] = [:]
    /// Jobs saved as terminal since the last commit began: their waits are woken once a commit makes them durable.
    var endedSinceCommit: Set<JobID> = []
    /// The job and file records' log.
    let log: RecordLog
    /// The lock of every read-modify-write of a record (``withRecordsLock(_:)``).
    let recordsLock: RecordsLock

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
    ///   - keepsWork: Whether jobs' work directories stay after their outputs are stored.
    ///   - beforeStoringOutputs: Called with a job before its outputs are stored, once its command ended (tests).
    /// - Throws: `LocalCloudError` when the directories cannot be created or a record is corrupt.
    package init(
        root: String,
        cores: Int = ProcessInfo.processInfo.activeProcessorCount,
        executor: JobExecutor = JobExecutor(),
        scanInterval: Duration = .milliseconds(20),
        killGrace: Duration = .seconds(5),
        keepsWork: Bool = false,
        beforeStoringOutputs: (@Sendable (JobID) async -> Void)? = nil
    ) throws(LocalCloudError) {
        self.root = root
        objects = try ObjectDirectory(root: root)
        totalCores = max(cores, 1)
        self.executor = executor
        self.scanInterval = scanInterval
        self.killGrace = killGrace
        self.keepsWork = keepsWork
        self.beforeStoringOutputs = beforeStoringOutputs
        for directory in [root + "/work", root + "/processes", root + "/claims"] {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw LocalCloudError.io(path: directory, detail: "\(error)")
            }
        }
        var records = try RecordSet.olderLayout(root: root)
        log = try RecordLog(root: root)
        recordsLock = try RecordsLock(root: root)
        for line in try log.readNew().lines { records.apply(line) }
        (jobs, files) = (records.jobs, records.files)
        nextSequence = (jobs.values.compactMap(\.submitSequence).max() ?? 0) + 1
    }

    /// Decodes every record in a directory, removing leftovers of interrupted atomic writes (old enough that no
    /// other instance can still be writing them).
    static func load<Record: Decodable>(_ type: Record.Type, from directory: String) throws(LocalCloudError)
        -> [Record]
    {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var records: [Record] = []
        for name in names.sorted() {
            let path = directory + "/" + name
            if name.contains(AtomicFile.temporaryMarker) {
                let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
                if let modified, Date().timeIntervalSince(modified) > 3600 {
                    try? FileManager.default.removeItem(atPath: path)
                }
                continue
            }
            guard name.hasSuffix(".json") else { continue }
            records.append(try RecordFile.read(type, from: path))
        }
        return records
    }

    /// A new identifier: 6 characters from `[A-Za-z0-9]`, like Rescale's ids.
    static func makeID() -> String { String(ObjectNameSuffix.make().prefix(8)) }

    /// Writes a file record to the log (durable with the next ``commit()``).
    func save(_ record: StoredFile) throws(LocalCloudError) {
        try log.append([RecordLogLine(file: record)], sync: false)
        files[record.id] = record
    }

    /// Writes a job record to the log (durable with the next ``commit()``).
    func save(_ record: StoredJob) throws(LocalCloudError) {
        try log.append([RecordLogLine(job: record)], sync: false)
        jobs[record.id] = record
        if record.status.isTerminal { endedSinceCommit.insert(record.id) }
        index(record.id)
    }

    /// Marks a job as one ``serve()`` runs when it waits or was left running.
    func want(_ id: JobID) {
        wanted.insert(id)
        index(id)
    }

    /// Files a wanted job under what its record says now: waiting (``waiting``), running (``runningWanted``), or
    /// ended or gone (no longer wanted).
    func index(_ id: JobID) {
        guard wanted.contains(id) else { return }
        guard let record = jobs[id], !record.status.isTerminal else {
            wanted.remove(id)
            runningWanted.remove(id)
            return
        }
        if record.isRunning {
            runningWanted.insert(id)
        } else {
            runningWanted.remove(id)
            if record.waitsForCores, let sequence = record.submitSequence {
                waiting.insert(WaitingJobs.Entry(sequence: sequence, id: id))
            }
        }
    }

    /// Returns once every record written so far is durable: one group commit shared with every concurrent caller.
    ///
    /// Other calls run while this one waits, so callers change state before, never after, they commit.
    ///
    /// - Throws: `LocalCloudError.io` when the sync fails.
    func commit() async throws(LocalCloudError) {
        let commit = log.commit
        // The ends written so far are in this commit: their waits are woken once it is durable.
        let ended = endedSinceCommit
        endedSinceCommit = []
        do { try await commit.waitDurable(through: commit.lastWritten) } catch {
            endedSinceCommit.formUnion(ended)
            throw LocalCloudError.io(path: log.path, errno: error.code)
        }
        wakeEndWaiters(ended)
    }

    /// Replaces a job's record as a runner killed in the middle of a change leaves it (tests of recovery).
    ///
    /// - Parameter record: The record to keep from now on.
    /// - Throws: `LocalCloudError` when the record log cannot be written.
    package func replaceRecord(_ record: StoredJob) async throws(LocalCloudError) {
        try save(record)
        try await commit()
    }

    /// Applies what other instances over the same root appended to the record log since this one last looked.
    func catchUp() throws(LocalCloudError) {
        let read = try log.readNew()
        guard !read.isWhole else {
            // `gc` compacted the log: the records are the older files with the whole new log over them.
            var records = try RecordSet.olderLayout(root: root)
            for line in read.lines { records.apply(line) }
            let known = Set(jobs.keys).union(records.jobs.keys)
            (jobs, files) = (records.jobs, records.files)
            for id in known { index(id) }
            return
        }
        for line in read.lines {
            if let job = line.job {
                jobs[job.id] = job
                index(job.id)
            }
            if let file = line.file { files[file.id] = file }
            for id in line.removedJobs ?? [] {
                jobs[id] = nil
                index(id)
            }
            for id in line.removedFiles ?? [] { files[id] = nil }
        }
    }

    /// A job's record as it is on disk now (another instance may have changed it).
    func job(_ id: JobID) throws(LocalCloudError) -> StoredJob {
        try catchUp()
        guard let record = jobs[id] else { throw LocalCloudError.notFound("job \(id)") }
        return record
    }

    /// Runs `body` holding `records.lock`, the short lock every read-modify-write of a shared record takes.
    func withRecordsLock<T>(_ body: () throws(LocalCloudError) -> T) throws(LocalCloudError) -> T {
        try recordsLock.withLock(body)
    }

    /// A job's process record: its supervisor's pid and exit status (``ShellProcess``).
    ///
    /// Beside it, `<id>.placed.json`. Earlier versions made a directory of that name (still read, and removed
    /// alike).
    nonisolated func controlFile(of id: JobID) -> String { root + "/processes/\(id)" }

    /// The job's home directory (its work directory's parent).
    nonisolated func homeDirectory(of id: JobID) -> String { root + "/work/\(id)" }
}
