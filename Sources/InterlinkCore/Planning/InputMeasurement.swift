/// What an archive input will contain: how many files, how many bytes, and a listing for the content hash.
package struct InputMeasurement: Hashable, Sendable {
    /// Regular files that go in.
    package var fileCount: Int
    /// Their total size in bytes.
    package var bytes: Int64
    /// One line per entry (`path size` or `path -> target`), sorted, for content hashing. Sizes, not times, so
    /// a fresh checkout plans to the same hash.
    package var listing: [String]

    /// Creates a measurement.
    package init(fileCount: Int, bytes: Int64, listing: [String]) {
        self.fileCount = fileCount
        self.bytes = bytes
        self.listing = listing
    }
}

/// Measures an archive input by walking its directory through the `FileSystem` port with the same selection
/// rules the archiver applies (include/exclude globs, explicit file lists; symbolic links are not followed).
package struct InputMeasurer: Sendable {
    /// The file system to read.
    package let fileSystem: any FileSystem

    /// Creates a measurer.
    package init(fileSystem: any FileSystem) { self.fileSystem = fileSystem }

    /// Measures one input.
    ///
    /// - Parameter input: The archive input; its `directory` must be absolute.
    /// - Throws: `FileSystemError` when a directory cannot be read.
    package func measure(_ input: ArchiveInput) throws(FileSystemError) -> InputMeasurement {
        let root = input.sourceDirectory
        let include = input.include.compactMap { try? Glob($0) }
        let exclude = input.exclude.compactMap { try? Glob($0) }
        var result = InputMeasurement(fileCount: 0, bytes: 0, listing: [])
        if let files = input.files {
            for file in files {
                let path = PathName.resolve(file, against: root)
                guard let entry = fileSystem.entry(at: path) else {
                    throw FileSystemError(path: path, reason: "no such file")
                }
                record(entry, relative: file, into: &result)
            }
        } else {
            var stack = [""]
            while let relative = stack.popLast() {
                for entry in try fileSystem.contentsOfDirectory(at: PathName.join(root, relative)) {
                    let path = PathName.join(relative, entry.name)
                    if entry.isDirectory {
                        stack.append(path)
                        continue
                    }
                    if !include.isEmpty, !include.contains(where: { $0.matchesFile(path) }) { continue }
                    if exclude.contains(where: { $0.matchesFile(path) }) { continue }
                    record(entry, relative: path, into: &result)
                }
            }
        }
        result.listing.sort()
        return result
    }

    private func record(_ entry: FileEntry, relative: String, into result: inout InputMeasurement) {
        switch entry.kind {
        case .file:
            result.fileCount += 1
            result.bytes += entry.size
            result.listing.append("\(relative) \(entry.size)")
        case .symlink(let target):
            result.listing.append("\(relative) -> \(target)")
        case .directory, .other:
            break
        }
    }
}
