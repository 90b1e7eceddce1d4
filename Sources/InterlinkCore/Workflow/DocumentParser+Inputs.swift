import Yams

extension DocumentParser {
    /// Reads a job's `inputs:` list.
    ///
    /// Archive directories stay unresolved because they may hold placeholders.
    mutating func inputs(_ node: Node, sharedNames: Set<String>) -> [InputSpec]? {
        guard let sequence = node.sequence else {
            wrongType(
                node,
                key: "inputs",
                expected: "a list of inputs",
                help: "write each input as a list item such as '- directory: case'"
            )
            return nil
        }
        var result: [InputSpec] = []
        for item in sequence {
            if let scalar = item.scalar, !Self.isNull(scalar) {
                result.append(.archive(ArchiveInput(directory: scalar.string)))
                continue
            }
            guard let mapping = item.mapping else {
                wrongType(item, key: "inputs", expected: "a directory or a mapping")
                continue
            }
            if mapping["shared"] != nil {
                guard
                    let pairs = pairs(
                        of: item,
                        key: "inputs",
                        allowed: WorkflowKeys.sharedReference,
                        context: "a shared input reference"
                    ),
                    let valueNode = pairs.first?.value, let name = string(valueNode, key: "shared")
                else { continue }
                if sharedNames.contains(name) {
                    result.append(.shared(name: name))
                } else {
                    let help =
                        Suggestion.closest(to: name, in: sharedNames.sorted()).map { "did you mean '\($0)'?" }
                        ?? "declare it under 'shared-inputs:' at the top of the workflow"
                    diagnostics.error("unknown shared input '\(name)'", help: help, at: location(of: valueNode))
                }
            } else if mapping["file-id"] != nil {
                if let file = existingFile(item) { result.append(.existing(file)) }
            } else if mapping["directory"] != nil {
                if let archive = archiveInput(item, context: "an input") { result.append(.archive(archive)) }
            } else {
                diagnostics.error(
                    "an input needs 'directory', 'shared' or 'file-id'",
                    help: "write '- directory: <dir>', '- shared: <name>' or '- file-id: <id>'",
                    at: location(of: item)
                )
            }
        }
        return result
    }

    /// Reads `shared-inputs:`: a mapping of names to a directory archive, a single file or an existing file id.
    mutating func sharedInputs(_ node: Node) -> [SharedInputSpec] {
        guard let mapping = node.mapping else {
            wrongType(node, key: "shared-inputs", expected: "a mapping of names to inputs")
            return []
        }
        var result: [SharedInputSpec] = []
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string, !name.isEmpty else {
                diagnostics.error(
                    "shared input names must be text",
                    help: "write a name such as 'mesh:'",
                    at: location(of: keyNode)
                )
                continue
            }
            let origin = location(of: keyNode)
            if let scalar = value.scalar, !Self.isNull(scalar) {
                let archive = ArchiveInput(directory: PathName.resolve(scalar.string, against: baseDirectory))
                result.append(SharedInputSpec(name: name, source: .archive(archive), origin: origin))
            } else if value.mapping?["file-id"] != nil {
                if let file = existingFile(value) {
                    result.append(SharedInputSpec(name: name, source: .existing(file), origin: origin))
                }
            } else if value.mapping?["file"] != nil {
                guard
                    let pairs = pairs(
                        of: value,
                        key: name,
                        allowed: WorkflowKeys.sharedFile,
                        context: "shared input '\(name)'"
                    )
                else {
                    continue
                }
                var path: String?
                var decompress = true
                for (key, _, item) in pairs {
                    if key == "file" {
                        path = string(item, key: key)
                    } else {
                        decompress = boolean(item, key: key) ?? true
                    }
                }
                if let path {
                    let source = SharedInputSpec.Source.file(
                        path: fileSystem.absolute(path, relativeTo: baseDirectory),
                        decompress: decompress
                    )
                    result.append(SharedInputSpec(name: name, source: source, origin: origin))
                }
            } else if value.mapping?["directory"] != nil {
                if var archive = archiveInput(value, context: "shared input '\(name)'") {
                    archive.directory = fileSystem.absolute(archive.directory, relativeTo: baseDirectory)
                    result.append(SharedInputSpec(name: name, source: .archive(archive), origin: origin))
                }
            } else {
                diagnostics.error(
                    "shared input '\(name)' needs 'directory', 'file' or 'file-id'",
                    help: "write 'directory: <dir>', 'file: <path>' or 'file-id: <id>'",
                    at: location(of: value)
                )
            }
        }
        return result
    }

    private mutating func existingFile(_ node: Node) -> ExistingFile? {
        guard
            let pairs = pairs(
                of: node,
                key: "file-id",
                allowed: WorkflowKeys.existingFile,
                context: "an existing file input"
            )
        else {
            return nil
        }
        var file = ExistingFile(id: "")
        for (key, _, value) in pairs {
            if key == "file-id" {
                file.id = string(value, key: key) ?? ""
            } else {
                file.decompress = boolean(value, key: key) ?? true
            }
        }
        guard !file.id.trimmingWhitespace().isEmpty else {
            diagnostics.error(
                "'file-id' is empty",
                help: "write the Rescale file id, such as 'file-id: aBcDeF'",
                at: location(of: node)
            )
            return nil
        }
        return file
    }

    private mutating func archiveInput(_ node: Node, context: String) -> ArchiveInput? {
        guard let pairs = pairs(of: node, key: "directory", allowed: WorkflowKeys.archiveInput, context: context) else {
            return nil
        }
        var archive = ArchiveInput(directory: "")
        var isValid = true
        for (key, _, value) in pairs {
            switch key {
            case "directory": archive.directory = string(value, key: key) ?? ""
            case "include": archive.include = globs(value, key: key) ?? []
            case "exclude": archive.exclude = globs(value, key: key) ?? []
            case "flatten": archive.flatten = boolean(value, key: key) ?? false
            case "subpath": archive.subpath = string(value, key: key)
            case "decompress": archive.decompress = boolean(value, key: key) ?? true
            case "files": archive.files = strings(value, key: key)
            default:
                guard let text = string(value, key: key) else { continue }
                guard let compression = Compression(rawValue: text) else {
                    diagnostics.error(
                        "unknown compression '\(text)'",
                        help: Suggestion.help(for: text, in: Compression.allCases.map(\.rawValue), noun: "compression"),
                        at: location(of: value)
                    )
                    isValid = false
                    continue
                }
                archive.compression = compression
            }
        }
        if archive.directory.trimmingWhitespace().isEmpty {
            diagnostics.error(
                "'directory' is empty",
                help: "name the directory to archive, relative to the workflow",
                at: location(of: node)
            )
            isValid = false
        }
        return isValid ? archive : nil
    }
}
