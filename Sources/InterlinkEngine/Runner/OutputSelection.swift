import Foundation
import InterlinkCore

/// Chooses which outputs of a job to download and where each one goes: inside the job's
/// destination, at the output's relative path when that stays inside, else at its name; later duplicates get the
/// file id appended.
package enum OutputSelection {
    /// One output with its local path.
    package struct Placement: Hashable, Sendable {
        /// The output.
        package var output: RemoteOutput
        /// The path relative to the destination directory (the download step's item).
        package var relativePath: String
        /// The absolute local path.
        package var path: String
    }

    /// The job's destination directory: the template with `{job}` replaced, resolved against the base directory.
    package static func destination(of job: JobSpec, baseDirectory: String) -> String {
        let template = job.outputs.destination.replacingOccurrences(of: "{job}", with: job.name)
        return PathName.resolve(template, against: baseDirectory)
    }

    /// The outputs to download with their local paths, in output order.
    package static func placements(of outputs: [RemoteOutput], for job: JobSpec, baseDirectory: String) -> [Placement] {
        let include = job.outputs.include.compactMap { try? Glob($0) }
        let exclude = job.outputs.exclude.compactMap { try? Glob($0) }
        let destination = destination(of: job, baseDirectory: baseDirectory)
        var taken: Set<String> = []
        var placements: [Placement] = []
        for output in outputs {
            let candidate = output.relativePath.isEmpty ? output.name : output.relativePath
            var relative = PathName.staysInside(candidate) && !PathName.isAbsolute(candidate) ? candidate : output.name
            guard PathName.staysInside(relative), !relative.isEmpty else { continue }
            guard include.isEmpty || include.contains(where: { $0.matchesFile(relative) }) else { continue }
            guard !exclude.contains(where: { $0.matchesFile(relative) }) else { continue }
            if taken.contains(relative) { relative += ".\(output.id)" }
            taken.insert(relative)
            placements.append(
                Placement(output: output, relativePath: relative, path: PathName.join(destination, relative))
            )
        }
        return placements
    }
}
