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
        // In runs of 16 inputs: the threads meet at one lock per run, not per input. Missing directories are
        // reported by the validator, not measured (looked at on the threads too: nil).
        let measurements = runner.map(inputs.count, chunk: 16) { index -> Measurement? in
            guard files.isDirectory(followingLinksAt: inputs[index].sourceDirectory) else { return nil }
            return Self.measure(inputs[index], in: files, cache: cache)
        }
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

    /// Lists one archive input and hashes its files that `cache` does not vouch for.
    private static func measure(
        _ archive: ArchiveInput,
        in fileSystem: any FileSystem,
        cache: StatCache
    ) -> Measurement {
        let manifest: ArchiveManifest
        do {
            manifest = try ArchiveManifest.make(for: archive, in: fileSystem)
        } catch {
            return Measurement(manifest: .failure(error))
        }
        var measurement = Measurement(manifest: .success(manifest))
        var listing: [String] = []
        listing.reserveCapacity(manifest.entries.count)
        var complete = true
        for entry in manifest.entries {
            let line = Planner.listingLine(of: entry) { path in
                // A file that is no regular file any more, or unreadable, is left to the plan, which reports it.
                guard let status = fileSystem.status(at: path) else {
                    complete = false
                    return ""
                }
                if let digest = cache.trustedDigest(ofFileAt: path, status: status) { return digest }
                do throws(FileSystemError) {
                    let digest = try StatCache.hash(fileAt: path, in: fileSystem)
                    measurement.hashed.append((path, status, digest))
                    return digest
                } catch {
                    measurement.unreadable.append((path, error))
                    complete = false
                    return ""
                }
            }
            if let line { listing.append(line) }
        }
        if complete { measurement.listing = listing }
        return measurement
    }
}
