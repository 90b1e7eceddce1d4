/// Archive compression.
package enum Compression: String, Hashable, Sendable, Codable, CaseIterable {
    /// A plain `.tar` (the default, as in Interlink).
    case none
    /// `.tar.gz`, which Rescale unpacks when `decompress` is on.
    case gzip
    /// `.tar.zst`.
    case zstd

    /// The archive file extension, without a leading dot.
    package var fileExtension: String {
        switch self {
        case .none: "tar"
        case .gzip: "tar.gz"
        case .zstd: "tar.zst"
        }
    }
}

/// A directory (or an explicit list of files in it) that becomes one archive uploaded as a job input.
package struct ArchiveInput: Hashable, Sendable, Codable {
    /// The directory to archive: absolute once loaded (loaders resolve relative paths).
    package var directory: String
    /// Globs a file's path relative to the archived directory must match to be kept; empty keeps everything.
    ///
    /// `*` and `?` do not cross `/`; `**` matches any number of directories. A pattern without `/` is tested
    /// against the basename only, as Interlink's include and exclude patterns are.
    package var include: [String]
    /// Globs that drop a file; tested like `include`.
    ///
    /// Exclusion wins over inclusion.
    package var exclude: [String]
    /// Store every file under its basename only, with no directories.
    package var flatten: Bool
    /// Archive only this subdirectory of `directory` (Interlink's `TarSubpath`).
    package var subpath: String?
    /// The archive compression.
    package var compression: Compression
    /// Whether the platform unpacks the archive into the work directory (false = Interlink's `NoDecompress`).
    package var decompress: Bool
    /// An explicit list of files (relative to `directory`) to archive instead of the whole tree.
    package var files: [String]?
    /// Store entries under absolute paths (Interlink's `--multipart`; compatibility only).
    package var absoluteNames: Bool

    /// Creates an archive input.
    package init(
        directory: String,
        include: [String] = [],
        exclude: [String] = [],
        flatten: Bool = false,
        subpath: String? = nil,
        compression: Compression = .none,
        decompress: Bool = true,
        files: [String]? = nil,
        absoluteNames: Bool = false
    ) {
        self.directory = directory
        self.include = include
        self.exclude = exclude
        self.flatten = flatten
        self.subpath = subpath
        self.compression = compression
        self.decompress = decompress
        self.files = files
        self.absoluteNames = absoluteNames
    }

    /// The directory actually archived: `directory` joined with `subpath` when there is one.
    package var sourceDirectory: String {
        guard let subpath, !subpath.isEmpty else { return directory }
        return PathName.join(directory, subpath)
    }
}

/// A file that already exists on the platform, attached to a job by id.
package struct ExistingFile: Hashable, Sendable, Codable {
    /// The Rescale file id.
    package var id: String
    /// Whether the platform unpacks it.
    package var decompress: Bool

    /// Creates a reference.
    package init(id: String, decompress: Bool = true) {
        self.id = id
        self.decompress = decompress
    }
}

/// One input of a job.
package enum InputSpec: Hashable, Sendable, Codable {
    /// A directory archived and uploaded for this job.
    case archive(ArchiveInput)
    /// A workflow-level shared input, uploaded once and attached to every job that names it.
    case shared(name: String)
    /// A file already on the platform.
    case existing(ExistingFile)
}

/// An input uploaded once and attached to many jobs.
package struct SharedInputSpec: Hashable, Sendable, Codable {
    /// The name jobs use to refer to it.
    package var name: String
    /// What it is.
    package var source: Source
    /// Where it was defined.
    package var origin: SourceLocation?

    /// What a shared input is made of.
    package enum Source: Hashable, Sendable, Codable {
        /// A directory archived once.
        case archive(ArchiveInput)
        /// A single local file uploaded as it is.
        case file(path: String, decompress: Bool)
        /// A file already on the platform.
        case existing(ExistingFile)
    }

    /// Creates a shared input.
    package init(name: String, source: Source, origin: SourceLocation? = nil) {
        self.name = name
        self.source = source
        self.origin = origin
    }
}

/// Which results of a job to download, and where.
package struct OutputSpec: Hashable, Sendable, Codable {
    /// Globs over output paths (relative to the job's run root) to download; empty downloads everything.
    package var include: [String]
    /// Globs of outputs not to download.
    package var exclude: [String]
    /// Destination directory template; `{job}` is the job name.
    ///
    /// Relative to the workflow's directory.
    package var destination: String
    /// Whether outputs are downloaded at all (false for create-only jobs or when the user opts out).
    package var download: Bool

    /// The default: every output into `results/{job}`.
    package static let `default` = OutputSpec()

    /// Creates an output selection.
    package init(
        include: [String] = [],
        exclude: [String] = [],
        destination: String = "results/{job}",
        download: Bool = true
    ) {
        self.include = include
        self.exclude = exclude
        self.destination = destination
        self.download = download
    }
}
