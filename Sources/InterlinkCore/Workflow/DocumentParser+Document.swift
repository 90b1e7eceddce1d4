import Yams

extension DocumentParser {
    /// Turns a Yams error into a located diagnostic.
    func diagnostic(for error: any Error) -> Diagnostic {
        let help = "fix the syntax at this position (indent with spaces, quote values that contain ': ' or '#')"
        switch error {
        case YamlError.scanner(_, let problem, let mark, _),
            YamlError.parser(_, let problem, let mark, _),
            YamlError.composer(_, let problem, let mark, _):
            return .error(
                "invalid yaml: \(problem)",
                help: help,
                at: SourceLocation(file: path, line: mark.line, column: mark.column)
            )
        case YamlError.duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .error(
                "duplicate key \(keys)",
                help: "keep one of them; a key may appear only once in a mapping",
                at: SourceLocation(file: path, line: context.mark.line, column: context.mark.column)
            )
        case YamlError.reader(let problem, _, _, _):
            return .error(
                "unreadable document: \(problem)",
                help: "save the file as UTF-8",
                at: SourceLocation(file: path)
            )
        default:
            return .error("invalid yaml: \(error)", help: help, at: SourceLocation(file: path))
        }
    }

    /// Reads the whole document.
    mutating func workflow(from root: Node, allowsBareJobs: Bool) -> Workflow {
        let defaultName = Self.stem(of: path)
        var workflow = Workflow(name: defaultName, sourcePath: path, baseDirectory: baseDirectory, jobs: [])
        if allowsBareJobs {
            if root.sequence != nil {
                workflow.jobs = jobs(from: root, sharedNames: [], defaults: JobTemplate())
                return workflow
            }
            if let mapping = root.mapping, mapping["version"] == nil, mapping["jobs"] == nil {
                workflow.jobs = jobEntry(root, sharedNames: [], defaults: JobTemplate())
                return workflow
            }
        }
        guard let pairs = pairs(of: root, key: "document", allowed: WorkflowKeys.document, context: "the workflow")
        else {
            return workflow
        }
        let values = Dictionary(pairs.map { ($0.key, $0.value) }) { first, _ in first }
        if let version = values["version"] {
            if version.scalar?.string != "1" {
                diagnostics.error(
                    "unsupported version '\(version.scalar?.string ?? Self.kindName(of: version))'",
                    help: "write 'version: 1'",
                    at: location(of: version)
                )
            }
        } else {
            diagnostics.error("missing 'version'", help: "start the workflow with 'version: 1'", at: location(of: root))
        }
        if let node = values["name"], let name = string(node, key: "name") { workflow.name = name }
        if let node = values["platform"], let text = string(node, key: "platform") {
            if let platform = PlatformKind(rawValue: text) {
                workflow.platform = platform
            } else {
                diagnostics.error(
                    "unknown platform '\(text)'",
                    help: Suggestion.help(for: text, in: PlatformKind.allCases.map(\.rawValue), noun: "platform"),
                    at: location(of: node)
                )
            }
        }
        if let node = values["settings"] { workflow.settings = settings(node) }
        if let node = values["slurm"] { workflow.slurm = slurmSettings(node) }
        if let node = values["shared-inputs"] { workflow.sharedInputs = sharedInputs(node) }
        var defaults = JobTemplate()
        if let node = values["defaults"],
            let fields = self.pairs(of: node, key: "defaults", allowed: WorkflowKeys.defaults, context: "'defaults'")
        {
            defaults = jobFields(fields, sharedNames: Set(workflow.sharedInputs.map(\.name)))
        }
        if let node = values["jobs"] {
            workflow.jobs = jobs(from: node, sharedNames: Set(workflow.sharedInputs.map(\.name)), defaults: defaults)
        } else {
            diagnostics.error(
                "missing 'jobs'",
                help: "add a 'jobs:' list with at least one job",
                at: location(of: root)
            )
        }
        return workflow
    }

    /// Reads `jobs:`: a list of entries.
    mutating func jobs(from node: Node, sharedNames: Set<String>, defaults: JobTemplate) -> [JobSpec] {
        guard let sequence = node.sequence else {
            wrongType(
                node,
                key: "jobs",
                expected: "a list of jobs",
                help: "write each job as a list item starting with '- name:'"
            )
            return []
        }
        if sequence.isEmpty {
            diagnostics.error("'jobs' is empty", help: "add at least one job", at: location(of: node))
        }
        return sequence.flatMap { jobEntry($0, sharedNames: sharedNames, defaults: defaults) }
    }

    /// The file name without directories or its last extension.
    static func stem(of path: String) -> String {
        let name = PathName.basename(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
