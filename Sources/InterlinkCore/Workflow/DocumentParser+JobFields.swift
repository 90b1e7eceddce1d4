import Yams

extension DocumentParser {
    /// Reads the job fields shared by `defaults:` and every job entry into a template; other keys are skipped.
    ///
    /// - Parameters:
    ///   - pairs: The entry's accepted pairs.
    ///   - sharedNames: The names `shared-inputs:` declares, for checking `shared:` references.
    /// - Returns: The template the fields describe.
    mutating func jobFields(_ pairs: [(key: String, keyNode: Node, value: Node)], sharedNames: Set<String>)
        -> JobTemplate
    {
        var template = JobTemplate()
        for (key, _, value) in pairs {
            switch key {
            case "analysis": template.analysisCode = string(value, key: key)
            case "analysis-version": template.analysisVersion = string(value, key: key)
            case "core-type": template.coreType = string(value, key: key)
            case "cores-per-slot":
                template.coresPerSlot = integer(value, key: key, maximum: HardwareSpec.maximumCoresPerSlot)
            case "slots": template.slots = integer(value, key: key, maximum: HardwareSpec.maximumSlots)
            case "walltime": template.walltime = walltime(value, key: key)
            case "command": template.command = string(value, key: key)
            case "env": template.environment.merge(stringMap(value, key: key) ?? [:]) { _, new in new }
            case "license": license(value, into: &template)
            case "project-id": template.projectID = string(value, key: key)
            case "org-code": template.orgCode = string(value, key: key)
            case "tags": template.tags = strings(value, key: key)
            case "low-priority": template.isLowPriority = boolean(value, key: key)
            case "submit": template.submit = submitMode(value)
            case "automations": template.automations = strings(value, key: key)
            case "inputs": template.inputs = inputs(value, sharedNames: sharedNames)
            case "outputs": outputs(value, into: &template)
            default: continue
            }
        }
        return template
    }

    private mutating func license(_ node: Node, into template: inout JobTemplate) {
        guard let pairs = pairs(of: node, key: "license", allowed: WorkflowKeys.license, context: "'license'") else {
            return
        }
        for (key, _, value) in pairs {
            switch key {
            case "use-rescale-license": template.useRescaleLicense = boolean(value, key: key)
            case "on-demand-seller": template.onDemandSeller = string(value, key: key)
            case "user-defined-settings": template.userDefinedLicenseSettings = string(value, key: key)
            default: template.environment.merge(stringMap(value, key: "license.env") ?? [:]) { _, new in new }
            }
        }
    }

    private mutating func submitMode(_ node: Node) -> SubmitMode? {
        if let scalar = node.scalar, scalar.style == .plain {
            switch scalar.string {
            case "true", "True", "TRUE": return .submit
            case "false", "False", "FALSE": return .createOnly
            default: break
            }
        }
        guard let text = string(node, key: "submit") else { return nil }
        guard let mode = SubmitMode(rawValue: text) else {
            diagnostics.error(
                "unknown submit mode '\(text)'",
                help: Suggestion.help(
                    for: text,
                    in: ["true", "false"] + SubmitMode.allCases.map(\.rawValue),
                    noun: "submit mode"
                ),
                at: location(of: node)
            )
            return nil
        }
        return mode
    }

    private mutating func outputs(_ node: Node, into template: inout JobTemplate) {
        guard let pairs = pairs(of: node, key: "outputs", allowed: WorkflowKeys.outputs, context: "'outputs'") else {
            return
        }
        for (key, _, value) in pairs {
            switch key {
            case "include": template.outputInclude = globs(value, key: "outputs.include")
            case "exclude": template.outputExclude = globs(value, key: "outputs.exclude")
            case "destination": template.outputDestination = string(value, key: "outputs.destination")
            default: template.outputDownload = boolean(value, key: "outputs.download")
            }
        }
    }
}
