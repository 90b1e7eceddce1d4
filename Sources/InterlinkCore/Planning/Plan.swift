/// The identity of a node in a plan: `job:<name>` or `shared:<name>`.
///
/// Stable across runs of the same workflow, so
/// the journal can key state by it (never by row position, which Interlink does, so that a deleted row shifts every later row's state).
package struct NodeID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The raw identifier.
    package var rawValue: String

    /// Creates an identifier from its raw text.
    package init(rawValue: String) { self.rawValue = rawValue }

    /// The node of a job.
    package static func job(_ name: String) -> NodeID { NodeID(rawValue: "job:\(name)") }

    /// The node of a shared input.
    package static func shared(_ name: String) -> NodeID { NodeID(rawValue: "shared:\(name)") }

    package var description: String { rawValue }

    package static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.rawValue < rhs.rawValue }

    package init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// One artifact a node uploads: an archive built from a directory, or a single file.
package struct PlannedUpload: Hashable, Sendable, Codable {
    /// What the upload is made from.
    package enum Source: Hashable, Sendable, Codable {
        /// A directory archived (tar, optional compression).
        case archive(ArchiveInput)
        /// One local file uploaded as it is.
        case file(path: String)
    }

    /// The file name the platform shows, such as `Run_1.tar`.
    package var name: String
    /// What is uploaded.
    package var source: Source
    /// Whether the platform unpacks it into the job's work directory.
    package var decompress: Bool
    /// Number of regular files that go in.
    package var fileCount: Int
    /// Plaintext bytes of those files (before tar framing and compression).
    package var bytes: Int64

    /// Creates a planned upload.
    package init(name: String, source: Source, decompress: Bool, fileCount: Int, bytes: Int64) {
        self.name = name
        self.source = source
        self.decompress = decompress
        self.fileCount = fileCount
        self.bytes = bytes
    }
}

/// One node of the plan's DAG: a shared input (uploaded once) or a job.
package struct PlanNode: Hashable, Sendable, Codable, Identifiable {
    /// Which kind of node, with its specification.
    package enum Kind: Hashable, Sendable, Codable {
        /// A shared input uploaded once and attached to the jobs that depend on it.
        case sharedInput(SharedInputSpec)
        /// A job.
        case job(JobSpec)
    }

    /// The node's identity.
    package var id: NodeID
    /// What the node is.
    package var kind: Kind
    /// The stages the node goes through, in order.
    package var stages: [StageKind]
    /// Nodes that must succeed first: the shared inputs it uses and the jobs it `needs`.
    package var dependencies: [NodeID]
    /// What the node uploads (archives of its own inputs; shared inputs are uploaded by their own node).
    package var uploads: [PlannedUpload]
    /// Files already on the platform attached as they are.
    package var existingFiles: [ExistingFile]
    /// A digest of everything that determines the node's result: its specification and its input files' names,
    /// sizes and modification times.
    ///
    /// A changed hash on resume means the node is redone.
    package var contentHash: String

    /// Creates a node.
    package init(
        id: NodeID,
        kind: Kind,
        stages: [StageKind],
        dependencies: [NodeID],
        uploads: [PlannedUpload],
        existingFiles: [ExistingFile],
        contentHash: String
    ) {
        self.id = id
        self.kind = kind
        self.stages = stages
        self.dependencies = dependencies
        self.uploads = uploads
        self.existingFiles = existingFiles
        self.contentHash = contentHash
    }

    /// The node's display name (the job or shared-input name).
    package var name: String {
        switch kind {
        case .sharedInput(let input): input.name
        case .job(let job): job.name
        }
    }

    /// The job specification, for job nodes.
    package var job: JobSpec? {
        if case .job(let job) = kind { return job }
        return nil
    }
}

/// A validated, expanded workflow: a DAG of nodes in an order where every node comes after its dependencies.
package struct Plan: Hashable, Sendable, Codable {
    /// The plan format version.
    package var version: Int
    /// The workflow's name.
    package var workflow: String
    /// The file the workflow came from, as the user named it.
    package var source: String
    /// The absolute directory relative paths were resolved against (where `.interlink/` lives).
    package var baseDirectory: String
    /// Where the jobs run.
    package var platform: PlatformKind
    /// Run-wide settings.
    package var settings: WorkflowSettings
    /// The nodes, topologically ordered (dependencies first), ties in definition order.
    package var nodes: [PlanNode]
    /// The workflow's `slurm:` settings, if any (absent from plans that have none).
    package var slurm: SlurmSettings?

    /// Creates a plan.
    package init(
        workflow: String,
        source: String,
        baseDirectory: String,
        platform: PlatformKind,
        settings: WorkflowSettings,
        nodes: [PlanNode]
    ) {
        self.version = 1
        self.workflow = workflow
        self.source = source
        self.baseDirectory = baseDirectory
        self.platform = platform
        self.settings = settings
        self.nodes = nodes
    }

    /// The node with an identity, if any.
    package func node(_ id: NodeID) -> PlanNode? { nodes.first { $0.id == id } }

    /// The job nodes, in plan order.
    package var jobs: [PlanNode] { nodes.filter { $0.job != nil } }
}
