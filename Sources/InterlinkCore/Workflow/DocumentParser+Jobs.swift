import Yams

extension DocumentParser {
    /// Reads one entry of `jobs:` (an inline job, a sweep, an import or run directories) into its jobs.
    mutating func jobEntry(_ node: Node, sharedNames: Set<String>, defaults: JobTemplate) -> [JobSpec] {
        guard let mapping = node.mapping else {
            wrongType(node, key: "jobs", expected: "a job mapping", help: "start the job with '- name:'")
            return []
        }
        let allowed: [String]
        let context: String
        if mapping["matrix"] != nil {
            (allowed, context) = (WorkflowKeys.sweepJob, "a sweep")
        } else if mapping["from"] != nil {
            (allowed, context) = (WorkflowKeys.importJobs, "an import")
        } else if mapping["directories"] != nil {
            (allowed, context) = (WorkflowKeys.directoryJobs, "a run-directory entry")
        } else {
            (allowed, context) = (WorkflowKeys.inlineJob, "a job")
        }
        let discriminators = ["matrix", "from", "directories"].filter { mapping[$0] != nil }
        if discriminators.count > 1 {
            diagnostics.error(
                "'\(discriminators[0])' and '\(discriminators[1])' cannot be used in one job entry",
                help: "split them into separate entries",
                at: location(of: node)
            )
            return []
        }
        guard let pairs = pairs(of: node, key: "jobs", allowed: allowed, context: context) else { return [] }
        let values = Dictionary(pairs.map { ($0.key, $0.value) }) { first, _ in first }
        let template = defaults.overlaid(by: jobFields(pairs, sharedNames: sharedNames))
        var needs: [String] = []
        if let node = values["needs"] { needs = strings(node, key: "needs") ?? [] }
        let origin = location(of: node)
        if let matrix = values["matrix"] {
            return sweep(matrix, name: values["name"], template: template, needs: needs, origin: origin)
        }
        if let from = values["from"] {
            return imported(from, template: template, entryInputs: values["inputs"] != nil, needs: needs)
        }
        if let pattern = values["directories"] {
            return runDirectories(
                pattern,
                name: values["name"],
                template: template,
                entryInputs: values["inputs"] != nil,
                needs: needs
            )
        }
        guard let nameNode = values["name"], let name = string(nameNode, key: "name") else {
            if values["name"] == nil {
                diagnostics.error("job has no 'name'", help: "add 'name: <job name>' to this job", at: origin)
            }
            return []
        }
        guard hasCommand(template, job: name, at: origin) else { return [] }
        return [makeJob(template, name: name, needs: needs, origin: origin)]
    }

    /// Reports a job without a command; true when there is one.
    mutating func hasCommand(_ template: JobTemplate, job: String, at origin: SourceLocation) -> Bool {
        guard (template.command ?? "").trimmingWhitespace().isEmpty else { return true }
        diagnostics.error(
            "job '\(job)' has no 'command'",
            help: "add 'command: <shell command>' here or under 'defaults:'",
            at: origin
        )
        return false
    }

    /// Materializes a template with the parser's directories.
    func makeJob(
        _ template: JobTemplate,
        name: String,
        variables: [String: String] = [:],
        needs: [String],
        origin: SourceLocation
    ) -> JobSpec {
        template.makeJob(
            name: name,
            variables: variables,
            baseDirectory: baseDirectory,
            homeDirectory: fileSystem.homeDirectory,
            needs: needs,
            origin: origin
        )
    }
}
