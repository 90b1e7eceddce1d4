// Hand-written Codable for the model's enums with associated values: the synthesized form (`{"archive":{"_0":…}}`)
// is not a format anyone should have to read or put in a JSON Schema. Each case encodes as an object with a `type`
// discriminator and named fields.

extension InputSpec {
    private enum CodingKeys: String, CodingKey {
        case archive
        case shared
        case existing
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let archive = try container.decodeIfPresent(ArchiveInput.self, forKey: .archive) {
            self = .archive(archive)
        } else if let name = try container.decodeIfPresent(String.self, forKey: .shared) {
            self = .shared(name: name)
        } else {
            self = .existing(try container.decode(ExistingFile.self, forKey: .existing))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .archive(let archive): try container.encode(archive, forKey: .archive)
        case .shared(let name): try container.encode(name, forKey: .shared)
        case .existing(let file): try container.encode(file, forKey: .existing)
        }
    }
}

extension SharedInputSpec.Source {
    private enum CodingKeys: String, CodingKey {
        case archive
        case file
        case existing
    }

    private struct LocalFile: Codable {
        var path: String
        var decompress: Bool
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let archive = try container.decodeIfPresent(ArchiveInput.self, forKey: .archive) {
            self = .archive(archive)
        } else if let file = try container.decodeIfPresent(LocalFile.self, forKey: .file) {
            self = .file(path: file.path, decompress: file.decompress)
        } else {
            self = .existing(try container.decode(ExistingFile.self, forKey: .existing))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .archive(let archive): try container.encode(archive, forKey: .archive)
        case .file(let path, let decompress):
            try container.encode(LocalFile(path: path, decompress: decompress), forKey: .file)
        case .existing(let file): try container.encode(file, forKey: .existing)
        }
    }
}

extension PlannedUpload.Source {
    private enum CodingKeys: String, CodingKey {
        case archive
        case file
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let archive = try container.decodeIfPresent(ArchiveInput.self, forKey: .archive) {
            self = .archive(archive)
        } else {
            self = .file(path: try container.decode(String.self, forKey: .file))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .archive(let archive): try container.encode(archive, forKey: .archive)
        case .file(let path): try container.encode(path, forKey: .file)
        }
    }
}

extension PlanNode.Kind {
    private enum CodingKeys: String, CodingKey {
        case job
        case sharedInput = "shared-input"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let job = try container.decodeIfPresent(JobSpec.self, forKey: .job) {
            self = .job(job)
        } else {
            self = .sharedInput(try container.decode(SharedInputSpec.self, forKey: .sharedInput))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .job(let job): try container.encode(job, forKey: .job)
        case .sharedInput(let input): try container.encode(input, forKey: .sharedInput)
        }
    }
}

extension WorkflowSettings {
    private enum CodingKeys: String, CodingKey {
        case workers
        case pollIntervalSeconds
        case attempts
        case defaultAttempts
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        workers = try container.decode(WorkerLimits.self, forKey: .workers)
        pollIntervalSeconds = try container.decode(Double.self, forKey: .pollIntervalSeconds)
        defaultAttempts = try container.decode(Int.self, forKey: .defaultAttempts)
        let raw = try container.decode([String: Int].self, forKey: .attempts)
        attempts = Dictionary(
            uniqueKeysWithValues: raw.compactMap { key, value in
                StageKind(rawValue: key).map { ($0, value) }
            }
        )
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(workers, forKey: .workers)
        try container.encode(pollIntervalSeconds, forKey: .pollIntervalSeconds)
        try container.encode(defaultAttempts, forKey: .defaultAttempts)
        let raw = Dictionary(uniqueKeysWithValues: attempts.map { ($0.key.rawValue, $0.value) })
        try container.encode(raw, forKey: .attempts)
    }
}
