import Foundation
import InterlinkCore

/// The simulator's platform-side records: folders, files, jobs, issued credentials and the counters tests read.
package actor SimState {
    private var rootFolders: [String: (myJobs: String, myLibrary: String)] = [:]
    private var folders: [String: SimFolder] = [:]
    private var files: [String: SimFile] = [:]
    private var jobs: [String: SimJob] = [:]
    private var credentials: [String: IssuedCredential] = [:]
    private var issuedSignatures: Set<String> = []
    private var revokedSignatures: Set<String> = []
    private var createsByName: [String: Int] = [:]
    private var lookups: [String: Int] = [:]

    /// Creates empty state.
    package init() {}

    /// A user's root folders, made on first use.
    package func rootFolders(of key: String) -> (myJobs: String, myLibrary: String) {
        if let known = rootFolders[key] { return known }
        let made = (myJobs: SimIDs.make(), myLibrary: SimIDs.make())
        rootFolders[key] = made
        return made
    }

    /// Whether a folder id belongs to a user: one of their root folders or a folder they made.
    package func owns(folder id: String, key: String) -> Bool {
        let roots = rootFolders(of: key)
        return id == roots.myJobs || id == roots.myLibrary || folders[id]?.ownerKey == key
    }

    // MARK: Folders

    /// Stores a new folder unless its parent already has a child folder of that name.
    ///
    /// The check and the insert happen in one actor turn, so two concurrent creates of one name cannot both win.
    ///
    /// - Parameter folder: The folder; its parent must be owned by `folder.ownerKey` (the caller checks).
    /// - Returns: Whether it was stored; `false` means the name is taken in that parent.
    package func insert(_ folder: SimFolder) -> Bool {
        let isTaken = folders.values.contains {
            $0.ownerKey == folder.ownerKey && $0.parentID == folder.parentID && $0.name == folder.name
        }
        guard !isTaken else { return false }
        folders[folder.id] = folder
        return true
    }

    /// What a user's folder holds, or nil when the folder is unknown or not theirs.
    ///
    /// - Parameters:
    ///   - id: A root folder id or the id of a made folder.
    ///   - key: The caller's API key.
    /// - Returns: The child folders by name (ties by id), then the files in the folder newest first.
    package func contents(of id: String, key: String) -> (folders: [SimFolder], files: [SimFile])? {
        guard owns(folder: id, key: key) else { return nil }
        let children = folders.values.filter { $0.ownerKey == key && $0.parentID == id }
            .sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        return (children, files(of: key).filter { $0.folderID == id })
    }

    /// Removes a folder a user made, with every folder and file under it; root folders cannot be removed.
    ///
    /// - Returns: nil when the folder is unknown or not theirs, false for a root folder, true when removed.
    package func deleteFolder(_ id: String, key: String) -> Bool? {
        let roots = rootFolders(of: key)
        if id == roots.myJobs || id == roots.myLibrary { return false }
        guard folders[id]?.ownerKey == key else { return nil }
        var doomed: Set<String> = [id]
        var grew = true
        while grew {
            let children = folders.values.filter { doomed.contains($0.parentID) && !doomed.contains($0.id) }
            grew = !children.isEmpty
            doomed.formUnion(children.map(\.id))
        }
        for folder in doomed { folders[folder] = nil }
        files = files.filter { !doomed.contains($0.value.folderID) }
        return true
    }

    // MARK: Credentials

    /// Issues fresh S3-style temporary credentials valid for `lifetime`.
    ///
    /// - Parameters:
    ///   - lifetime: How long they work.
    ///   - paths: The object keys they reach; nil for the whole bucket.
    /// - Returns: The credentials, remembered for verification.
    package func issueCredential(lifetime: Duration, paths: Set<String>? = nil) -> IssuedCredential {
        let seconds = Double(lifetime.components.seconds) + Double(lifetime.components.attoseconds) * 1e-18
        let issued = IssuedCredential(
            accessKey: "ASIA" + SimIDs.make(length: 16).uppercased(),
            secretKey: SimIDs.make(length: 40),
            sessionToken: "IQoJb3JpZ2luX2VjE" + SimIDs.make(length: 120),
            expiry: Date().addingTimeInterval(seconds),
            paths: paths
        )
        credentials[issued.accessKey] = issued
        return issued
    }

    /// The credentials with this access key, if issued.
    package func credential(accessKey: String) -> IssuedCredential? { credentials[accessKey] }

    /// Makes every credential and SAS token issued so far expire now (a fault).
    package func expireAllCredentials() {
        let now = Date()
        for key in credentials.keys { credentials[key]?.expiry = now }
        revokedSignatures.formUnion(issuedSignatures)
        issuedSignatures.removeAll()
    }

    /// Remembers the signature (`sig`) of a SAS token handed out by the credentials endpoint.
    package func recordSAS(signature: String) { issuedSignatures.insert(signature) }

    /// Whether a SAS signature was revoked by ``expireAllCredentials()``.
    package func isRevoked(signature: String) -> Bool { revokedSignatures.contains(signature) }

    // MARK: Files

    /// Stores a file record.
    package func insert(_ file: SimFile) { files[file.id] = file }

    /// Stores a file record unless its folder already holds a file of the same name.
    ///
    /// The check and the insert happen in one actor turn, so two concurrent registrations of one name cannot both
    /// win, as with folders.
    ///
    /// - Parameter file: The file; `record["name"]` is its name.
    /// - Returns: Whether it was stored; `false` means the name is taken in that folder.
    package func insertUnique(_ file: SimFile) -> Bool {
        let name = file.record["name"]?.string
        let isTaken = files.values.contains {
            $0.ownerKey == file.ownerKey && $0.folderID == file.folderID && $0.record["name"]?.string == name
        }
        guard !isTaken else { return false }
        files[file.id] = file
        return true
    }

    /// A user's file by id, or nil when unknown or not theirs.
    package func file(_ id: String, key: String) -> SimFile? {
        files[id].flatMap { $0.ownerKey == key ? $0 : nil }
    }

    /// A user's files, newest first.
    package func files(of key: String) -> [SimFile] {
        files.values.filter { $0.ownerKey == key && $0.folderID != "" }
            .sorted { ($0.dateUploaded, $0.id) > ($1.dateUploaded, $1.id) }
    }

    /// Removes a file; returns whether it existed.
    package func deleteFile(_ id: String, key: String) -> Bool {
        guard file(id, key: key) != nil else { return false }
        files[id] = nil
        return true
    }

    // MARK: Jobs

    /// Stores a new job and counts the create under its name.
    package func insert(_ job: SimJob) {
        jobs[job.id] = job
        createsByName[job.name, default: 0] += 1
    }

    /// A user's job by id.
    package func job(_ id: String, key: String) -> SimJob? {
        jobs[id].flatMap { $0.ownerKey == key ? $0 : nil }
    }

    /// A user's jobs, newest first.
    package func jobs(of key: String) -> [SimJob] {
        jobs.values.filter { $0.ownerKey == key }.sorted { ($0.dateInserted, $0.id) > ($1.dateInserted, $1.id) }
    }

    /// Applies a change to a job and returns the changed job, or nil when unknown.
    @discardableResult
    package func update(_ id: String, _ change: (inout SimJob) -> Void) -> SimJob? {
        guard var job = jobs[id] else { return nil }
        change(&job)
        jobs[id] = job
        return job
    }

    /// Removes a job (its create count stays recorded).
    package func deleteJob(_ id: String) { jobs[id] = nil }

    /// Records a list query that looks jobs up by name or tag (an idempotency lookup).
    package func recordLookup(_ description: String) { lookups[description, default: 0] += 1 }

    /// The counters tests assert on.
    package func counts() -> JSONValue {
        var perJob: [String: JSONValue] = [:]
        for job in jobs.values {
            perJob[job.id] = [
                "name": .string(job.name), "creates": 1, "submits": .number(Double(job.submitCount)),
                "tags": .array(job.tags.map(JSONValue.string)),
                "status": job.current.map { .string($0.status) } ?? .null,
            ]
        }
        return [
            "jobs": .object(perJob),
            "createsByName": .object(createsByName.mapValues { .number(Double($0)) }),
            "lookups": .object(lookups.mapValues { .number(Double($0)) }),
            "creates": .number(Double(jobs.count)),
            "submits": .number(Double(jobs.values.reduce(0) { $0 + $1.submitCount })),
        ]
    }
}
