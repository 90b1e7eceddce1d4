import Yams

extension DocumentParser {
    /// Reads `settings:`.
    mutating func settings(_ node: Node) -> WorkflowSettings {
        var settings = WorkflowSettings.default
        guard let pairs = pairs(of: node, key: "settings", allowed: WorkflowKeys.settings, context: "'settings'") else {
            return settings
        }
        for (key, _, value) in pairs {
            switch key {
            case "workers":
                guard let workers = self.pairs(of: value, key: key, allowed: WorkflowKeys.workers, context: "'workers'")
                else {
                    continue
                }
                for (name, _, count) in workers {
                    guard let count = integer(count, key: "workers.\(name)", maximum: WorkflowSettings.maximumWorkers)
                    else { continue }
                    switch name {
                    case "archive": settings.workers.archive = count
                    case "transfer": settings.workers.transfer = count
                    default: settings.workers.api = count
                    }
                }
            case "poll-interval":
                if let seconds = seconds(value, key: key, maximum: WorkflowSettings.maximumPollIntervalSeconds) {
                    settings.pollIntervalSeconds = seconds
                }
            default:
                attempts(value, into: &settings)
            }
        }
        return settings
    }

    private mutating func attempts(_ node: Node, into settings: inout WorkflowSettings) {
        guard let mapping = node.mapping else {
            wrongType(node, key: "attempts", expected: "a mapping of stage names to attempts")
            return
        }
        for (keyNode, value) in mapping {
            let name = keyNode.scalar?.string ?? ""
            guard name == "default" || StageKind(rawValue: name) != nil else {
                diagnostics.error(
                    "unknown stage '\(name)'",
                    help: Suggestion.help(for: name, in: WorkflowKeys.attempts, noun: "stage"),
                    at: location(of: keyNode)
                )
                continue
            }
            guard let count = integer(value, key: "attempts.\(name)", maximum: WorkflowSettings.maximumAttempts) else {
                continue
            }
            if let stage = StageKind(rawValue: name) {
                settings.attempts[stage] = count
            } else {
                settings.defaultAttempts = count
            }
        }
    }
}

extension DocumentParser {
    /// Reads `slurm:`: the partition, account, QOS, extra `sbatch` arguments, work root, submission pace and arrays.
    mutating func slurmSettings(_ node: Node) -> SlurmSettings {
        var slurm = SlurmSettings()
        guard let pairs = pairs(of: node, key: "slurm", allowed: WorkflowKeys.slurm, context: "'slurm'") else {
            return slurm
        }
        for (key, _, value) in pairs {
            switch key {
            case "partition": slurm.partition = string(value, key: "slurm.partition")
            case "account": slurm.account = string(value, key: "slurm.account")
            case "qos": slurm.qos = string(value, key: "slurm.qos")
            case "sbatch-args": slurm.sbatchArguments = strings(value, key: "slurm.sbatch-args") ?? []
            case "work-root": slurm.workRoot = string(value, key: "slurm.work-root")
            case "array": slurm.array = boolean(value, key: "slurm.array")
            default:
                guard let text = value.scalar?.string, let rate = Double(text.trimmingWhitespace()), rate > 0,
                    rate <= SlurmSettings.maximumSubmitRate
                else {
                    diagnostics.error(
                        "'slurm.submit-rate' must be a number of sbatch calls per second above 0 and at most "
                            + "\(Int(SlurmSettings.maximumSubmitRate))",
                        help: "write a rate such as 10 (the default) or 0.5",
                        at: location(of: value)
                    )
                    continue
                }
                slurm.submitRate = rate
            }
        }
        return slurm
    }
}
