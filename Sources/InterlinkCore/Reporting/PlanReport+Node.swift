extension PlanReport {
    /// One node: a shared input or a job, with its stages, dependencies and uploads.
    package struct Node: Codable, Hashable, Sendable {
        /// `job:<name>` or `shared:<name>`.
        package var id: String
        /// `job` or `shared-input`.
        package var kind: String
        /// The job or shared-input name.
        package var name: String
        /// The stages, in order.
        package var stages: [StageKind]
        /// Node ids that must succeed first.
        package var needs: [String]
        /// What the node uploads.
        package var uploads: [Upload]
        /// Platform file ids attached as they are.
        package var existingFiles: [ExistingFile]
        /// The digest that decides whether a resumed run redoes the node.
        package var contentHash: String
        /// The job's specification; nil for shared inputs.
        package var job: Job?

        enum CodingKeys: String, CodingKey {
            case id, kind, name, stages, needs, uploads
            case existingFiles = "existing-files"
            case contentHash = "content-hash"
            case job
        }

        init(_ node: PlanNode, base: String) {
            id = node.id.rawValue
            kind = node.job == nil ? "shared-input" : "job"
            name = node.name
            stages = node.stages
            needs = node.dependencies.map(\.rawValue)
            uploads = node.uploads.map { Upload($0, base: base) }
            existingFiles = node.existingFiles
            contentHash = node.contentHash
            job = node.job.map { Job($0, base: base) }
        }
    }

    /// One upload: an archive of a directory or a single file.
    package struct Upload: Codable, Hashable, Sendable {
        /// The file name on the platform.
        package var name: String
        /// `archive` or `file`.
        package var kind: String
        /// The directory (archives) or file, relative to the spec's directory.
        package var path: String
        /// The archived subdirectory, if any.
        package var subpath: String?
        /// The archived files when listed explicitly, relative to `path`.
        package var files: [String]?
        /// Globs a file must match; empty keeps everything.
        package var include: [String]?
        /// Globs left out.
        package var exclude: [String]?
        /// Archive compression; nil for files.
        package var compression: Compression?
        /// Whether the platform unpacks it.
        package var decompress: Bool
        /// Regular files that go in.
        package var fileCount: Int
        /// Their plaintext bytes.
        package var bytes: Int64

        enum CodingKeys: String, CodingKey {
            case name, kind, path, subpath, files, include, exclude, compression, decompress
            case fileCount = "file-count"
            case bytes
        }

        init(_ upload: PlannedUpload, base: String) {
            name = upload.name
            decompress = upload.decompress
            fileCount = upload.fileCount
            bytes = upload.bytes
            switch upload.source {
            case .archive(let archive):
                kind = "archive"
                path = PathName.relativePath(archive.directory, from: base)
                subpath = archive.subpath.flatMap { $0.isEmpty ? nil : $0 }
                files = archive.files
                include = archive.include.isEmpty ? nil : archive.include
                exclude = archive.exclude.isEmpty ? nil : archive.exclude
                compression = archive.compression
            case .file(let file):
                kind = "file"
                path = PathName.relativePath(file, from: base)
            }
        }
    }
}
