/// Archive inputs listed and their files hashed ahead of the plan, several at once.
struct Prefetched: Sendable {
    /// One archive input, measured.
    struct Input: Sendable {
        /// Its manifest, or why it could not be made.
        var manifest: Result<ArchiveManifest, ArchiveManifestError>
        /// Its listing with content digests (`Planner.listingLine(of:digest:)`), made on the thread that listed
        /// it; nil when a file could not be read or was no regular file any more, which the plan then reports.
        var listing: [String]?
    }

    /// Each archive input's measurement.
    var manifests: [ArchiveInput: Input] = [:]
    /// Files whose bytes could not be read, with the reason.
    var unreadable: [String: FileSystemError] = [:]
}

extension Planner {
    /// Lists every archive input of a workflow and hashes the files the stat cache does not vouch for, spreading
    /// the inputs over `runner`; the digests go into `statCache`.
    ///
    /// The plan is then put together in order from these results, with the same diagnostics in the same order as
    /// without them: a problem found here is only recorded, and reported where the sequential pass meets it.
    ///
    /// - Parameters:
    ///   - workflow: The workflow being planned.
    ///   - runner: What runs the inputs several at once.
    ///   - statCache: The cache the digests are taken from and added to.
    /// - Returns: The manifests and unreadable files.
    func prefetch(
        _ workflow: Workflow,
        with runner: any ParallelRunner,
        _ statCache: inout StatCache
    ) -> Prefetched {
        var archives: [ArchiveInput] = []
        var seen: Set<ArchiveInput> = []
        seen.reserveCapacity(workflow.jobs.count + workflow.sharedInputs.count)
        for case .archive(let archive) in workflow.sharedInputs.map(\.source) where seen.insert(archive).inserted {
            archives.append(archive)
        }
        for job in workflow.jobs {
            for case .archive(let archive) in job.inputs where seen.insert(archive).inserted {
                archives.append(archive)
            }
        }
        let inputs = archives
        let cache = statCache
        let files = fileSystem
        // In runs of inputs (up to 64, and at least 64 runs while there are enough inputs): the threads meet at
        // one lock per run, not per input, and a run's files are read together (one batch of disk requests).
        // Missing directories are reported by the validator, not measured (looked at on the threads too: nil).
        let run = min(64, max(1, inputs.count / 64))
        let measurements = runner.map((inputs.count + run - 1) / run, chunk: 1) { index in
            Self.measure(inputs[(index * run)..<min(inputs.count, (index + 1) * run)], in: files, cache: cache)
        }
        .flatMap { $0 }
        var prefetched = Prefetched()
        prefetched.manifests.reserveCapacity(archives.count)
        for (archive, measurement) in zip(archives, measurements) {
            guard let measurement else { continue }
            prefetched.manifests[archive] = Prefetched.Input(
                manifest: measurement.manifest,
                listing: measurement.listing
            )
            // A file two inputs hold was hashed twice: it counts as one read, as in a plan without prefetching.
            for file in measurement.hashed
            where statCache.trustedDigest(ofFileAt: file.path, status: file.status) == nil {
                statCache.record(file.digest, status: file.status, forFileAt: file.path)
            }
            for (path, failure) in measurement.unreadable { prefetched.unreadable[path] = failure }
        }
        return prefetched
    }

    /// One archive input's manifest and the digests read for it.
    private struct Measurement: Sendable {
        var manifest: Result<ArchiveManifest, ArchiveManifestError>
        var listing: [String]?
        var hashed: [(path: String, status: FileStatus, digest: String)] = []
        var unreadable: [(String, FileSystemError)] = []
    }

    /// Lists a run of archive inputs and hashes their files that `cache` does not vouch for, reading them all in
    /// one call (``FileSystem/readChunks(ofFilesAt:_:)``); nil for an input that is no directory.
    private static func measure(
        _ archives: ArraySlice<ArchiveInput>,
        in fileSystem: any FileSystem,
        cache: StatCache
    ) -> [Measurement?] {
        /// A file of a listing: its digest is known, it must be read (the index of its read), or it is missing.
        enum Digest {
            case known(String)
            case read(Int)
            case missing
        }
        var listed: [(manifest: ArchiveManifest, digests: [Digest])?] = []
        var measurements: [Measurement?] = []
        var reads: [(path: String, status: FileStatus)] = []
        for archive in archives {
            guard fileSystem.isDirectory(followingLinksAt: archive.sourceDirectory) else {
                measurements.append(nil)
                listed.append(nil)
                continue
            }
            let manifest: ArchiveManifest
            do {
                manifest = try ArchiveManifest.make(for: archive, in: fileSystem)
            } catch {
                measurements.append(Measurement(manifest: .failure(error)))
                listed.append(nil)
                continue
            }
            var digests: [Digest] = []
            for entry in manifest.entries where entry.kind == .file {
                // A file that is no regular file any more, or unreadable, is left to the plan, which reports it.
                let path = entry.sourcePath
                if let status = fileSystem.status(at: path) {
                    if let digest = cache.trustedDigest(ofFileAt: path, status: status) {
                        digests.append(.known(digest))
                    } else {
                        digests.append(.read(reads.count))
                        reads.append((path, status))
                    }
                } else {
                    digests.append(.missing)
                }
            }
            measurements.append(Measurement(manifest: .success(manifest)))
            listed.append((manifest, digests))
        }
        let digests = StatCache.hash(filesAt: reads.map(\.path), in: fileSystem)
        for (index, (listing, measurement)) in zip(listed, measurements).enumerated() {
            guard let listing, var measurement else { continue }
            var lines: [String] = []
            lines.reserveCapacity(listing.manifest.entries.count)
            var complete = true
            var next = listing.digests.makeIterator()
            for entry in listing.manifest.entries {
                let line = Planner.listingLine(of: entry) { _ in
                    switch next.next() {
                    case .known(let digest)?:
                        return digest
                    case .read(let read)?:
                        switch digests[read] {
                        case .success(let digest):
                            measurement.hashed.append((reads[read].path, reads[read].status, digest))
                            return digest
                        case .failure(let failure):
                            measurement.unreadable.append((reads[read].path, failure))
                            complete = false
                            return ""
                        }
                    case .missing?, nil:
                        complete = false
                        return ""
                    }
                }
                if let line { lines.append(line) }
            }
            if complete { measurement.listing = lines }
            measurements[index] = measurement
        }
        return measurements
    }
}
