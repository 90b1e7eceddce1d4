extension Plan {
    /// The plan as a run folder keeps it: the base directory is `.` and every local path inside it is relative to
    /// it, so a study folder copied or moved elsewhere still names its own files.
    ///
    /// Paths outside the base directory (an absolute input such as `/data/mesh`, or `../common`) stay absolute:
    /// they name something outside the study that a copy does not carry.
    package var relocatable: Plan {
        var plan = mappingLocalPaths(relocatingPath)
        plan.baseDirectory = "."
        return plan
    }

    /// What ``relocatable`` does to each node, for writing a large plan a node at a time instead of copying it
    /// whole: the node with its local paths inside the base directory made relative to it (the base is worked out
    /// once, not per node).
    package var relocatingNode: (PlanNode) -> PlanNode {
        let transform = relocatingPath
        return { Self.mappingLocalPaths(of: $0, transform) }
    }

    /// What ``relocatable`` does to a path: one inside the base directory becomes relative to it.
    private var relocatingPath: (String) -> String {
        let base = PathName.normalize(baseDirectory)
        return { path in
            guard PathName.isAbsolute(path), let inside = PathName.relative(path, to: base) else { return path }
            return inside
        }
    }

    /// The plan with its base directory at `directory`, where the run folder is now.
    ///
    /// A relocatable plan (base `.`) resolves its relative paths against `directory`. A plan written before paths
    /// were stored relative (an absolute base) has every path inside that recorded base rebased onto `directory`;
    /// paths outside it are kept.
    ///
    /// - Parameter directory: The absolute directory that holds the run's `.interlink/` folder now.
    /// - Returns: The plan with absolute local paths.
    package func rebased(onto directory: String) -> Plan {
        let target = PathName.normalize(directory)
        var plan: Plan
        if PathName.isAbsolute(baseDirectory) {
            let recorded = PathName.normalize(baseDirectory)
            plan = mappingLocalPaths { path in
                guard PathName.isAbsolute(path), let inside = PathName.relative(path, to: recorded) else { return path }
                return PathName.resolve(inside, against: target)
            }
        } else {
            plan = mappingLocalPaths { path in
                PathName.isAbsolute(path) ? path : PathName.resolve(path, against: target)
            }
        }
        plan.baseDirectory = target
        return plan
    }

    /// The plan with `transform` applied to every local file or directory path it holds (archived directories
    /// and uploaded files, in uploads and in the specifications), but not to output destinations, which are
    /// templates relative to the base directory already.
    func mappingLocalPaths(_ transform: (String) -> String) -> Plan {
        var plan = self
        plan.nodes = nodes.map { Self.mappingLocalPaths(of: $0, transform) }
        return plan
    }

    /// One node with `transform` applied to its local paths, as ``mappingLocalPaths(_:)`` does to every node.
    static func mappingLocalPaths(of node: PlanNode, _ transform: (String) -> String) -> PlanNode {
        var node = node
        node.uploads = node.uploads.map { upload in
            var upload = upload
            switch upload.source {
            case .archive(let input): upload.source = .archive(input.mappingDirectory(transform))
            case .file(let path): upload.source = .file(path: transform(path))
            }
            return upload
        }
        switch node.kind {
        case .sharedInput(var shared):
            switch shared.source {
            case .archive(let input): shared.source = .archive(input.mappingDirectory(transform))
            case .file(let path, let decompress):
                shared.source = .file(path: transform(path), decompress: decompress)
            case .existing: break
            }
            node.kind = .sharedInput(shared)
        case .job(var job):
            job.inputs = job.inputs.map { input in
                guard case .archive(let archive) = input else { return input }
                return .archive(archive.mappingDirectory(transform))
            }
            node.kind = .job(job)
        }
        return node
    }
}

extension ArchiveInput {
    fileprivate func mappingDirectory(_ transform: (String) -> String) -> ArchiveInput {
        var input = self
        input.directory = transform(directory)
        return input
    }
}
