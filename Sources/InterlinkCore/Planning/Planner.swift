/// Turns a loaded workflow into a validated ``Plan``: checks it, measures its inputs, orders its DAG.
///
/// Pure apart from reading directory listings and input files' digests through the `FileSystem` port.
package struct Planner: Sendable {
    /// The file system inputs are measured on.
    package let fileSystem: any FileSystem
    /// What lists and hashes the archive inputs several at once, before the plan is put together; nil does it
    /// one input at a time as the plan needs them.
    package let parallelism: (any ParallelRunner)?
    /// How many jobs' content hashes are made in one batch (several at once with `parallelism`); the listings of
    /// a batch are held until it is hashed.
    package var hashBatchSize = 4096
    /// Where the end of each phase of the plan is recorded, if anywhere (`plan --timings`).
    package var timeline: PlanningTimeline?

    /// Creates a planner.
    ///
    /// - Parameters:
    ///   - fileSystem: The file system inputs are measured on.
    ///   - parallelism: What lists and hashes archive inputs several at once, if anything; the plan is the same
    ///     either way.
    package init(fileSystem: any FileSystem, parallelism: (any ParallelRunner)? = nil) {
        self.fileSystem = fileSystem
        self.parallelism = parallelism
    }

    /// Plans a workflow.
    ///
    /// - Parameter workflow: The loaded workflow, with absolute input paths.
    /// - Returns: The plan and any warnings.
    /// - Throws: `DiagnosticsError` with every problem when the workflow cannot be planned.
    package func plan(_ workflow: Workflow) throws(DiagnosticsError) -> (plan: Plan, warnings: [Diagnostic]) {
        var statCache = StatCache()
        return try plan(workflow, statCache: &statCache)
    }

    /// Plans a workflow, taking input files' content digests from a stat cache and adding the ones it lacks.
    ///
    /// - Parameters:
    ///   - workflow: The loaded workflow, with absolute input paths.
    ///   - statCache: Digests of files whose status is unchanged since they were hashed; updated in place.
    /// - Returns: The plan and any warnings.
    /// - Throws: `DiagnosticsError` with every problem when the workflow cannot be planned.
    package func plan(_ workflow: Workflow, statCache: inout StatCache) throws(DiagnosticsError) -> (
        plan: Plan, warnings: [Diagnostic]
    ) {
        var collector = DiagnosticCollector()
        // Jobs of a sweep usually archive the same directory with the same patterns: list and hash it once.
        // Only archives named more than once are kept: a 100,000-job plan would otherwise hold every listing.
        var manifests: [ArchiveInput: Measured] = [:]
        let (sharedArchives, reused) = Self.archivesNamedBySeveralJobs(workflow)
        collector.append(contentsOf: JobValidator(fileSystem: fileSystem).diagnose(workflow))
        timeline?.end("check the jobs")
        var prefetched = Prefetched()
        if let parallelism {
            prefetched = prefetch(workflow, with: parallelism, &statCache)
            timeline?.end("list and hash the inputs")
        }
        var nodes: [NodeID: PlanNode] = [:]
        nodes.reserveCapacity(workflow.jobs.count + workflow.sharedInputs.count)
        var definitionOrder: [NodeID] = []
        definitionOrder.reserveCapacity(workflow.jobs.count + workflow.sharedInputs.count)

        for shared in workflow.sharedInputs where nodes[.shared(shared.name)] == nil {
            let id = NodeID.shared(shared.name)
            var uploads: [PlannedUpload] = []
            var existing: [ExistingFile] = []
            var listing: [String] = []
            switch shared.source {
            case .archive(let archive):
                if let upload = measure(
                    archive,
                    name: shared.name,
                    at: shared.origin,
                    &collector,
                    &manifests,
                    reused,
                    &statCache,
                    &prefetched
                ) {
                    uploads.append(upload.upload)
                    listing = upload.listing
                }
            case .file(let path, let decompress):
                let size = fileSystem.entry(at: path)?.size ?? 0
                uploads.append(
                    PlannedUpload(
                        name: PathName.basename(path),
                        source: .file(path: path),
                        decompress: decompress,
                        fileCount: 1,
                        bytes: size
                    )
                )
                // A missing file was already reported by the validator.
                let digest =
                    fileSystem.entry(at: path)?.isFile == true
                    ? digest(of: path, at: shared.origin, &collector, &statCache, prefetched) : ""
                listing = ["\(PathName.basename(path)) \(size) \(digest)"]
            case .existing(let file):
                existing.append(file)
            }
            let stages: [StageKind] =
                uploads.isEmpty ? [] : Self.uploadStages(archived: uploads.contains { $0.isArchive })
            nodes[id] = PlanNode(
                id: id,
                kind: .sharedInput(shared),
                stages: stages,
                dependencies: [],
                uploads: uploads,
                existingFiles: existing,
                contentHash: ContentHash.of(shared.source, baseDirectory: workflow.baseDirectory, extra: listing)
            )
            definitionOrder.append(id)
        }

        var sharedArchiveNodes: [ArchiveInput: String] = [:]
        // Jobs' content hashes (their canonical JSON and listings digested) are made several at once, a batch at
        // a time so the listings held meanwhile stay bounded; no job's hash depends on another job's.
        var pending: [PendingHash] = []
        // Whether any node depends on another: without, the definition order is the dependency order.
        var anyDependency = false
        for job in workflow.jobs where nodes[.job(job.name)] == nil {
            let id = NodeID.job(job.name)
            var uploads: [PlannedUpload] = []
            var existing: [ExistingFile] = []
            var dependencies: [NodeID] = []
            var listing: [String] = []
            var planned = job
            for (position, input) in job.inputs.enumerated() {
                switch input {
                case .archive(let archive):
                    guard
                        let measured = measure(
                            archive,
                            name: nil,
                            at: job.origin,
                            &collector,
                            &manifests,
                            reused,
                            &statCache,
                            &prefetched
                        )
                    else { continue }
                    listing += measured.listing.map { "\(position) \($0)" }
                    guard sharedArchives.contains(archive) else {
                        uploads.append(measured.upload)
                        continue
                    }
                    // The same archive as another job's: one node uploads it, and the job attaches that file.
                    let shared = Self.sharedNode(
                        for: archive,
                        measured,
                        in: workflow,
                        &nodes,
                        &definitionOrder,
                        &sharedArchiveNodes
                    )
                    planned.inputs[position] = .shared(name: shared)
                    if !dependencies.contains(.shared(shared)) { dependencies.append(.shared(shared)) }
                case .shared(let name):
                    if !dependencies.contains(.shared(name)) { dependencies.append(.shared(name)) }
                    // A changed shared input changes every job that uses it.
                    listing.append("\(position) shared \(name) \(nodes[.shared(name)]?.contentHash ?? "")")
                case .existing(let file):
                    existing.append(file)
                }
            }
            Self.disambiguateNames(&uploads)
            dependencies += job.needs.map(NodeID.job)
            if !dependencies.isEmpty { anyDependency = true }
            var stages = uploads.isEmpty ? [] : Self.uploadStages(archived: uploads.contains { $0.isArchive })
            stages.append(.create)
            if job.submit == .submit {
                stages += [.submit, .poll]
                if job.outputs.download { stages.append(.download) }
            }
            var hashed = job
            hashed.origin = nil
            nodes[id] = PlanNode(
                id: id,
                kind: .job(planned),
                stages: stages,
                dependencies: dependencies,
                uploads: uploads,
                existingFiles: existing,
                contentHash: ""
            )
            definitionOrder.append(id)
            pending.append(PendingHash(id: id, job: hashed, listing: listing))
            if pending.count >= hashBatchSize {
                hashContents(of: pending, baseDirectory: workflow.baseDirectory, into: &nodes)
                pending.removeAll(keepingCapacity: true)
            }
        }
        hashContents(of: pending, baseDirectory: workflow.baseDirectory, into: &nodes)
        timeline?.end(parallelism == nil ? "list and hash the inputs, plan the jobs" : "plan the jobs")

        var ordered: [NodeID] = definitionOrder
        // With no dependency every node is ready at once, and ties keep the definition order: nothing to sort.
        let order: Result<[NodeID], CycleError> =
            anyDependency
            ? DependencyGraph(nodes: definitionOrder, dependencies: nodes.mapValues(\.dependencies)).topologicalOrder()
            : .success(definitionOrder)
        switch order {
        case .success(let order):
            ordered = order
        case .failure(let error):
            for cycle in error.cycles {
                let names = cycle.map { nodes[$0]?.name ?? $0.rawValue }
                collector.error(
                    "jobs depend on each other in a cycle: \(names.joined(separator: " → "))",
                    help: "remove one of these 'needs:' entries",
                    at: cycle.first.flatMap { nodes[$0]?.job?.origin }
                )
            }
        }
        if workflow.jobs.isEmpty {
            collector.error(
                "workflow '\(workflow.name)' defines no jobs",
                help: "add at least one job",
                at: SourceLocation(file: workflow.sourcePath)
            )
        }
        try collector.check()
        // Moved out of the dictionary in order into an array of the right size: no regrowth of 100,000 nodes, and
        // no copy that retains every string of every job.
        var inOrder: [PlanNode] = []
        inOrder.reserveCapacity(ordered.count)
        for id in ordered {
            if let node = nodes.removeValue(forKey: id) { inOrder.append(node) }
        }
        var plan = Plan(
            workflow: workflow.name,
            source: workflow.sourcePath,
            baseDirectory: workflow.baseDirectory,
            platform: workflow.platform,
            settings: workflow.settings,
            nodes: inOrder
        )
        plan.slurm = workflow.slurm
        timeline?.end("order the jobs")
        return (plan, collector.diagnostics)
    }

    /// A job whose content hash is still to be made: the job as hashed (without its origin) and its listing.
    private struct PendingHash: Sendable {
        var id: NodeID
        var job: JobSpec
        var listing: [String]
    }

    /// Makes the content hashes of a batch of jobs, several at once when the planner has a runner, and sets them
    /// on the jobs' nodes.
    private func hashContents(
        of pending: [PendingHash],
        baseDirectory: String,
        into nodes: inout [NodeID: PlanNode]
    ) {
        guard !pending.isEmpty else { return }
        let relativizer = ContentHash.Relativizer(baseDirectory: baseDirectory)
        let hash: @Sendable (Int) -> String = { index in
            ContentHash.of(pending[index].job, relativizing: relativizer, extra: pending[index].listing)
        }
        let hashes =
            if let parallelism, pending.count > 1 {
                parallelism.map(pending.count, chunk: 32, hash)
            } else {
                pending.indices.map(hash)
            }
        for (item, digest) in zip(pending, hashes) { nodes[item.id]?.contentHash = digest }
    }

    /// An archive input's manifest and its listing with content digests, computed once per plan.
    private struct Measured {
        var manifest: ArchiveManifest
        var listing: [String]
    }

    /// Lists what an archive input will hold (the same ``ArchiveManifest`` the archiver writes), sizes it and
    /// lists its files with their content digests.
    private func measure(
        _ archive: ArchiveInput,
        name: String?,
        at location: SourceLocation?,
        _ collector: inout DiagnosticCollector,
        _ manifests: inout [ArchiveInput: Measured],
        _ reused: Set<ArchiveInput>,
        _ statCache: inout StatCache,
        _ prefetched: inout Prefetched
    ) -> (upload: PlannedUpload, listing: [String])? {
        let measured: Measured
        do throws(ArchiveManifestError) {
            if let known = manifests[archive] {
                measured = known
            } else {
                // A prefetched manifest named once is needed no more once measured.
                let keep = reused.contains(archive)
                let known = keep ? prefetched.manifests[archive] : prefetched.manifests.removeValue(forKey: archive)
                // Missing directories were already reported by the validator; measuring them would only repeat it.
                // A prefetched one was a directory in the same snapshot.
                guard known != nil || fileSystem.isDirectory(followingLinksAt: archive.sourceDirectory) else {
                    return nil
                }
                let manifest =
                    if let known {
                        try known.manifest.get()
                    } else {
                        try ArchiveManifest.make(for: archive, in: fileSystem)
                    }
                let listing: [String]
                if let known, let ready = known.listing {
                    // Listed and digested on a prefetch thread from the same snapshot (a complete listing had
                    // every file): only the cache's record of what this plan used is left to do.
                    for entry in manifest.entries where entry.kind == .file { statCache.markUsed(entry.sourcePath) }
                    listing = ready
                } else {
                    listing = self.listing(of: manifest, at: location, &collector, &statCache, prefetched)
                }
                measured = Measured(manifest: manifest, listing: listing)
                if keep { manifests[archive] = measured }
            }
        } catch {
            collector.error(error.message, help: error.help, at: location)
            return nil
        }
        let manifest = measured.manifest
        for warning in manifest.warnings {
            collector.warning(warning.message, help: warning.help, at: location)
        }
        let fileCount = manifest.fileCount
        if fileCount == 0 {
            let (message, help) = JobValidator.emptyArchiveProblem(archive)
            collector.error(message, help: help, at: location)
        }
        let base = name ?? PathName.basename(archive.sourceDirectory)
        let upload = PlannedUpload(
            name: "\(base).\(archive.compression.fileExtension)",
            source: .archive(archive),
            decompress: archive.decompress,
            fileCount: fileCount,
            bytes: manifest.totalBytes
        )
        return (upload, measured.listing)
    }

    /// One line per file (`name size sha256`) and link (`name -> target`), in archive order: contents, not
    /// times, so a fresh checkout plans to the same hash and any changed byte changes it.
    private func listing(
        of manifest: ArchiveManifest,
        at location: SourceLocation?,
        _ collector: inout DiagnosticCollector,
        _ statCache: inout StatCache,
        _ prefetched: Prefetched
    ) -> [String] {
        manifest.entries.compactMap { entry in
            Self.listingLine(of: entry) { digest(of: $0, at: location, &collector, &statCache, prefetched) }
        }
    }

    /// One entry's line of an archive's listing, or nil for a directory.
    ///
    /// A file gives `name size sha256` (its digest from `digest`, given the file's path), a link `name -> target`.
    /// The plan's pass and the prefetch threads both list through it, so the two give the same lines and so the
    /// same content hashes.
    static func listingLine(of entry: ArchiveManifest.Entry, digest: (String) -> String) -> String? {
        switch entry.kind {
        case .file: "\(entry.name) \(entry.size) \(digest(entry.sourcePath))"
        case .symlink(let target): "\(entry.name) -> \(target)"
        case .directory: nil
        }
    }

    /// The content digest of an input file, or an error diagnostic (and an empty digest) when it cannot be read.
    private func digest(
        of path: String,
        at location: SourceLocation?,
        _ collector: inout DiagnosticCollector,
        _ statCache: inout StatCache,
        _ prefetched: Prefetched
    ) -> String {
        do throws(FileSystemError) {
            if let failure = prefetched.unreadable[path] { throw failure }
            return try statCache.digest(ofFileAt: path, in: fileSystem)
        } catch {
            collector.error(
                "cannot read input file '\(path)': \(error.reason)",
                help: "make the file readable, or exclude it from the input",
                at: location
            )
            return ""
        }
    }

    /// The archive inputs that more than one job names with the same options, each uploaded once per run, and
    /// every archive input named more than once (by shared inputs or jobs), whose measurement the plan keeps.
    ///
    /// An archive whose file name another archive of the same job also has stays the job's own, so the numbering
    /// of ``disambiguateNames(_:)`` keeps the job's files apart.
    private static func archivesNamedBySeveralJobs(
        _ workflow: Workflow
    ) -> (shared: Set<ArchiveInput>, reused: Set<ArchiveInput>) {
        var users: [ArchiveInput: Int] = [:]
        users.reserveCapacity(workflow.jobs.count)
        var ambiguous: Set<ArchiveInput> = []
        var reused: Set<ArchiveInput> = []
        for case .archive(let archive) in workflow.sharedInputs.map(\.source) { reused.insert(archive) }
        for job in workflow.jobs {
            var archives: [ArchiveInput] = []
            for case .archive(let archive) in job.inputs { archives.append(archive) }
            // The common case, one archive: nothing of the job's own to compare.
            if archives.count == 1 {
                users[archives[0], default: 0] += 1
                continue
            }
            var distinct: Set<ArchiveInput> = []
            var names: [String: Int] = [:]
            for archive in archives {
                // Named twice by one job: measured twice, so kept.
                if !distinct.insert(archive).inserted { reused.insert(archive) }
                names[uploadName(of: archive), default: 0] += 1
            }
            for archive in distinct {
                users[archive, default: 0] += 1
                if names[uploadName(of: archive), default: 0] > 1 { ambiguous.insert(archive) }
            }
        }
        let severalJobs = Set(users.filter { $0.value > 1 }.keys)
        return (severalJobs.subtracting(ambiguous), reused.union(severalJobs))
    }

    private static func uploadName(of archive: ArchiveInput) -> String {
        "\(PathName.basename(archive.sourceDirectory)).\(archive.compression.fileExtension)"
    }

    /// The name of the node that uploads an archive several jobs name, made the first time a job names it.
    ///
    /// Its name is the upload's file name (`solver.tar`), numbered (`solver.tar#2`) when a shared input or another
    /// such node has it already.
    private static func sharedNode(
        for archive: ArchiveInput,
        _ measured: (upload: PlannedUpload, listing: [String]),
        in workflow: Workflow,
        _ nodes: inout [NodeID: PlanNode],
        _ definitionOrder: inout [NodeID],
        _ made: inout [ArchiveInput: String]
    ) -> String {
        if let known = made[archive] { return known }
        var name = measured.upload.name
        var number = 1
        while nodes[.shared(name)] != nil || workflow.sharedInputs.contains(where: { $0.name == name }) {
            number += 1
            name = "\(measured.upload.name)#\(number)"
        }
        let spec = SharedInputSpec(name: name, source: .archive(archive))
        let id = NodeID.shared(name)
        nodes[id] = PlanNode(
            id: id,
            kind: .sharedInput(spec),
            stages: uploadStages(archived: true),
            dependencies: [],
            uploads: [measured.upload],
            existingFiles: [],
            contentHash: ContentHash.of(spec.source, baseDirectory: workflow.baseDirectory, extra: measured.listing)
        )
        definitionOrder.append(id)
        made[archive] = name
        return name
    }

    private static func uploadStages(archived: Bool) -> [StageKind] {
        archived ? [.tar, .encrypt, .upload, .register] : [.encrypt, .upload, .register]
    }

    /// Two archives of one job may not share a file name in its work directory: number the later ones.
    private static func disambiguateNames(_ uploads: inout [PlannedUpload]) {
        var seen: [String: Int] = [:]
        for index in uploads.indices {
            let name = uploads[index].name
            let count = seen[name, default: 0]
            seen[name] = count + 1
            if count > 0 {
                let ext = name.hasSuffix(".tar.gz") ? ".tar.gz" : name.hasSuffix(".tar.zst") ? ".tar.zst" : ".tar"
                uploads[index].name = "\(name.dropLast(ext.count))-\(count + 1)\(ext)"
            }
        }
    }
}

extension PlannedUpload {
    /// Whether the upload is built from a directory.
    package var isArchive: Bool {
        if case .archive = source { return true }
        return false
    }
}
