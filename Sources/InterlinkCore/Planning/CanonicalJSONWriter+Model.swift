// The hashed model types' canonical JSON, written by hand: the members their `Codable` conformances encode
// (optionals only when set), keys in UTF-8 order. `CanonicalJSONWriterTests` holds each equal to the generic encoder.

extension JobSpec: CanonicalJSONWritable {
    /// Appends the job's canonical JSON.
    ///
    /// - Parameter writer: The buffer being written.
    /// - Throws: `EncodingError.invalidValue` for a non-finite walltime.
    package func write(to writer: inout CanonicalJSONWriter) throws {
        try writer.object { writer in
            writer.key("analysis")
            analysis.write(to: &writer)
            writer.key("automations")
            writer.strings(automations)
            writer.key("command")
            writer.string(command)
            writer.key("environment")
            writer.strings(environment)
            writer.key("hardware")
            try hardware.write(to: &writer)
            writer.key("inputs")
            writer.array(inputs) { writer, input in input.write(to: &writer) }
            writer.key("isLowPriority")
            writer.bool(isLowPriority)
            writer.key("license")
            license.write(to: &writer)
            writer.key("name")
            writer.string(name)
            writer.key("needs")
            writer.strings(needs)
            if let orgCode {
                writer.key("orgCode")
                writer.string(orgCode)
            }
            if let origin {
                writer.key("origin")
                try writer.encoded(origin)
            }
            writer.key("outputs")
            outputs.write(to: &writer)
            if let projectID {
                writer.key("projectID")
                writer.string(projectID)
            }
            writer.key("submit")
            writer.string(submit.rawValue)
            writer.key("tags")
            writer.strings(tags)
        }
    }
}

extension AnalysisSpec {
    func write(to writer: inout CanonicalJSONWriter) {
        writer.object { writer in
            writer.key("code")
            writer.string(code)
            if let version {
                writer.key("version")
                writer.string(version)
            }
        }
    }
}

extension HardwareSpec {
    func write(to writer: inout CanonicalJSONWriter) throws {
        try writer.object { writer in
            writer.key("coreType")
            writer.string(coreType)
            writer.key("coresPerSlot")
            writer.int(coresPerSlot)
            writer.key("slots")
            writer.int(slots)
            writer.key("walltime")
            try writer.object { writer in
                writer.key("hours")
                try writer.double(walltime.hours)
            }
        }
    }
}

extension LicenseSpec {
    func write(to writer: inout CanonicalJSONWriter) {
        writer.object { writer in
            if let onDemandSeller {
                writer.key("onDemandSeller")
                writer.string(onDemandSeller)
            }
            writer.key("useRescaleLicense")
            writer.bool(useRescaleLicense)
            if let userDefinedSettings {
                writer.key("userDefinedSettings")
                writer.string(userDefinedSettings)
            }
        }
    }
}

extension InputSpec {
    func write(to writer: inout CanonicalJSONWriter) {
        writer.object { writer in
            switch self {
            case .archive(let archive):
                writer.key("archive")
                archive.write(to: &writer)
            case .existing(let file):
                writer.key("existing")
                file.write(to: &writer)
            case .shared(let name):
                writer.key("shared")
                writer.string(name)
            }
        }
    }
}

extension ArchiveInput {
    func write(to writer: inout CanonicalJSONWriter) {
        writer.object { writer in
            writer.key("absoluteNames")
            writer.bool(absoluteNames)
            writer.key("compression")
            writer.string(compression.rawValue)
            writer.key("decompress")
            writer.bool(decompress)
            writer.key("directory")
            writer.string(directory)
            writer.key("exclude")
            writer.strings(exclude)
            if let files {
                writer.key("files")
                writer.strings(files)
            }
            writer.key("flatten")
            writer.bool(flatten)
            writer.key("include")
            writer.strings(include)
            if let subpath {
                writer.key("subpath")
                writer.string(subpath)
            }
        }
    }
}

extension ExistingFile {
    func write(to writer: inout CanonicalJSONWriter) {
        writer.object { writer in
            writer.key("decompress")
            writer.bool(decompress)
            writer.key("id")
            writer.string(id)
        }
    }
}

extension OutputSpec {
    func write(to writer: inout CanonicalJSONWriter) {
        writer.object { writer in
            writer.key("destination")
            writer.string(destination)
            writer.key("download")
            writer.bool(download)
            writer.key("exclude")
            writer.strings(exclude)
            writer.key("include")
            writer.strings(include)
        }
    }
}

extension SharedInputSpec.Source: CanonicalJSONWritable {
    /// Appends the source's canonical JSON.
    ///
    /// - Parameter writer: The buffer being written.
    package func write(to writer: inout CanonicalJSONWriter) {
        writer.object { writer in
            switch self {
            case .archive(let archive):
                writer.key("archive")
                archive.write(to: &writer)
            case .existing(let file):
                writer.key("existing")
                file.write(to: &writer)
            case .file(let path, let decompress):
                writer.key("file")
                writer.object { writer in
                    writer.key("decompress")
                    writer.bool(decompress)
                    writer.key("path")
                    writer.string(path)
                }
            }
        }
    }
}
