/// Writes a job as a `#RESCALE_` job script (Interlink's "save as SGE"), which ``JobScriptParser`` reads back to
/// the same job.
///
/// Walltime is written as whole hours rounded up (at least 1) and slots as at least 1. Unlike upstream, the
/// environment and license settings are kept. A one-line command is also written as `#RESCALE_COMMAND`; a
/// multi-line command is written only as the script body, which is the command when there is no directive.
package enum JobScriptWriter {
    /// The script text for a job.
    ///
    /// - Parameter job: The job.
    /// - Returns: The script, ending with a newline.
    package static func script(for job: JobSpec) -> String {
        var lines = ["#!/bin/bash", "# Job script for '\(job.name)', written by rescale-int"]
        func add(_ directive: ScriptDirective, _ value: String) { lines.append("\(directive.rawValue) \(value)") }
        add(.name, oneLine(job.name))
        add(.analysis, oneLine(job.analysis.code))
        if let version = job.analysis.version, !version.isEmpty { add(.analysisVersion, oneLine(version)) }
        add(.cores, oneLine(job.hardware.coreType))
        add(.coresPerSlot, String(max(job.hardware.coresPerSlot, 1)))
        add(.slots, String(max(job.hardware.slots, 1)))
        add(.walltime, String(job.hardware.walltime.apiHours))
        let tags = job.tags.map(oneLine).filter { !$0.isEmpty && !$0.contains(",") }
        if !tags.isEmpty { add(.tags, tags.joined(separator: ",")) }
        if let project = job.projectID, !project.isEmpty { add(.projectID, oneLine(project)) }
        if job.license.useRescaleLicense { add(.useRescaleLicense, "true") }
        if let settings = job.license.userDefinedSettings, !settings.isEmpty {
            add(.userDefinedLicenseSettings, oneLine(settings))
        }
        for automation in job.automations { add(.automation, oneLine(automation)) }
        for (name, value) in job.environment.sorted(by: { $0.key < $1.key }) {
            lines.append("\(ScriptDirective.environmentPrefix)\(name) \(oneLine(value))")
        }
        let command = job.command.trimmingWhitespace()
        if !command.contains("\n") { add(.command, command) }
        lines += ["", "# The command"]
        lines += command.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0).trimmingWhitespace()
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingWhitespace()
    }
}
