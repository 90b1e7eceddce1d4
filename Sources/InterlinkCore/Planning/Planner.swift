/// Turns a loaded workflow into a validated ``Plan``: checks it, measures its inputs, orders its DAG.
///
/// Pure apart from reading directory listings through the `FileSystem` port.
package struct Planner: Sendable {
    /// The file system inputs are measured on.
    package let fileSystem: any FileSystem

    /// Creates a planner.
    package init(fileSystem: any FileSystem) { self.fileSystem = fileSystem }

    /// Plans a workflow.
    ///
    /// - Parameter workflow: The loaded workflow, with absolute input paths.
    /// - Returns: The plan and any warnings.
    /// - Throws: `DiagnosticsError` with every problem when the workflow cannot be planned.
    package func plan(_ workflow: Workflow) throws(DiagnosticsError) -> (plan: Plan, warnings: [Diagnostic]) {
        var collector = DiagnosticCollector()
        // Jobs of a sweep usually archive the same directory with the same patterns: list it once.
        var manifests: [ArchiveInput: ArchiveManifest] = [:]
        collector.append(contentsOf: JobValidator(fileSystem: fileSystem).diagnose(workflow))
        var nodes: [NodeID: PlanNode] = [:]
        var definitionOrder: [NodeID] = []

        for shared in workflow.sharedInputs where nodes[.shared(shared.name)] == nil {
            let id = NodeID.shared(shared.name)
            var uploads: [PlannedUpload] = []
            var existing: [ExistingFile] = []
            var listing: [String] = []
            switch shared.source {
            case .archive(let archive):
                if let upload = measure(archive, name: shared.name, at: shared.origin, &collector, &manifests) {
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
                listing = ["\(PathName.basename(path)) \(size)"]
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

        for job in workflow.jobs where nodes[.job(job.name)] == nil {
            let id = NodeID.job(job.name)
            var uploads: [PlannedUpload] = []
            var existing: [ExistingFile] = []
            var dependencies: [NodeID] = []
            var listing: [String] = []
            for input in job.inputs {
                switch input {
                case .archive(let archive):
                    if let measured = measure(archive, name: nil, at: job.origin, &collector, &manifests) {
                        uploads.append(measured.upload)
                        listing += measured.listing.map { "\(uploads.count) \($0)" }
                    }
                case .shared(let name):
                    if !dependencies.contains(.shared(name)) { dependencies.append(.shared(name)) }
                case .existing(let file):
                    existing.append(file)
                }
            }
            Self.disambiguateNames(&uploads)
            dependencies += job.needs.map(NodeID.job)
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
                kind: .job(job),
                stages: stages,
                dependencies: dependencies,
                uploads: uploads,
                existingFiles: existing,
                contentHash: ContentHash.of(hashed, baseDirectory: workflow.baseDirectory, extra: listing)
            )
            definitionOrder.append(id)
        }

        let graph = DependencyGraph(nodes: definitionOrder, dependencies: nodes.mapValues(\.dependencies))
        var ordered: [NodeID] = definitionOrder
        switch graph.topologicalOrder() {
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
        let plan = Plan(
            workflow: workflow.name,
            source: workflow.sourcePath,
            baseDirectory: workflow.baseDirectory,
            platform: workflow.platform,
            settings: workflow.settings,
            nodes: ordered.compactMap { nodes[$0] }
        )
        return (plan, collector.diagnostics)
    }

    /// Lists what an archive input will hold (the same ``ArchiveManifest`` the archiver writes) and sizes it.
    private func measure(
        _ archive: ArchiveInput,
        name: String?,
        at location: SourceLocation?,
        _ collector: inout DiagnosticCollector,
        _ manifests: inout [ArchiveInput: ArchiveManifest]
    ) -> (upload: PlannedUpload, listing: [String])? {
        let manifest: ArchiveManifest
        do {
            if let known = manifests[archive] {
                manifest = known
            } else {
                // Missing directories were already reported by the validator; measuring them would only repeat it.
                guard fileSystem.isDirectory(followingLinksAt: archive.sourceDirectory) else { return nil }
                manifest = try ArchiveManifest.make(for: archive, in: fileSystem)
                manifests[archive] = manifest
            }
        } catch {
            collector.error(error.message, help: error.help, at: location)
            return nil
        }
        for warning in manifest.warnings {
            collector.warning(warning.message, help: warning.help, at: location)
        }
        let fileCount = manifest.fileCount
        if fileCount == 0 {
            collector.error(
                "no files to archive in '\(archive.sourceDirectory)'",
                help: archive.include.isEmpty && archive.exclude.isEmpty
                    ? "put the job's input files in it, or remove the input"
                    : "check the include and exclude patterns",
                at: location
            )
        }
        let base = name ?? PathName.basename(archive.sourceDirectory)
        let upload = PlannedUpload(
            name: "\(base).\(archive.compression.fileExtension)",
            source: .archive(archive),
            decompress: archive.decompress,
            fileCount: fileCount,
            bytes: manifest.totalBytes
        )
        return (upload, Self.listing(of: manifest))
    }

    /// One line per file (`name size`) and link (`name -> target`), in archive order: sizes, not times, so a
    /// fresh checkout plans to the same hash.
    private static func listing(of manifest: ArchiveManifest) -> [String] {
        manifest.entries.compactMap { entry in
            switch entry.kind {
            case .file: "\(entry.name) \(entry.size)"
            case .symlink(let target): "\(entry.name) -> \(target)"
            case .directory: nil
            }
        }
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
