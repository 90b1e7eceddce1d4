/// Builds jobs-CSV rows from a template row, for `make-dirs-csv` and `scan-files`.
package enum JobsCSVGeneration {
    /// One row per run directory: the template with `Directory` and `JobName` replaced and, when
    /// `iterateCommands` is set (or the command holds an `{index}` placeholder), the command iterated to the
    /// directory's number.
    ///
    /// - Parameters:
    ///   - template: The template row.
    ///   - runs: The run directories, in order.
    ///   - iterateCommands: Whether numbers detected in the command follow the directory's number.
    /// - Returns: The rows.
    package static func rows(
        template: JobsCSVRow,
        runs: [RunDirectoryScan.RunDirectory],
        iterateCommands: Bool
    ) -> [JobsCSVRow] {
        let hasPlaceholder = !CommandPattern.placeholders(in: template.command).isEmpty
        return runs.map { run in
            var row = template
            row.origin = nil
            row.directoryLocation = nil
            row.directory = run.path
            row.jobName = run.jobName
            if iterateCommands || hasPlaceholder {
                row.command = CommandPattern.iterate(template.command, index: run.number)
            }
            return row
        }
    }

    /// One row per job of a file scan: the template with `Directory` set to the folder holding the job's files
    /// (the primary's directory, or the closest folder above it that holds every secondary too), `InputFiles`
    /// listing those files relative to it, and `JobName` `<template name>_<i>` (`Job_<i>` when empty).
    ///
    /// - Parameters:
    ///   - template: The template row.
    ///   - result: The scan result.
    /// - Returns: The rows, one per job, in scan order.
    package static func rows(template: JobsCSVRow, scan result: FileScan.Result) -> [JobsCSVRow] {
        let base = template.jobName.isEmpty ? "Job" : template.jobName
        return (result.jobs ?? []).enumerated().map { position, job in
            var directory = job.primaryDirectory
            while !job.inputFiles.allSatisfy({ PathName.relative($0, to: directory) != nil }),
                directory != ".", directory != "/"
            {
                directory = PathName.dirname(directory)
            }
            var row = template
            row.origin = nil
            row.directoryLocation = nil
            row.directory = directory
            row.jobName = "\(base)_\(position + 1)"
            row.inputFiles = job.inputFiles.map { PathName.relative($0, to: directory) ?? $0 }
            return row
        }
    }

    /// A relative `Directory` rewritten to be relative to the folder the CSV is written to.
    ///
    /// Interlink for Swift resolves a CSV's relative paths against the CSV's folder. Absolute paths are kept.
    /// When the CSV is written to the current directory (the usual case) nothing changes.
    ///
    /// - Parameters:
    ///   - directory: The path relative to `currentDirectory`.
    ///   - currentDirectory: The absolute directory the path is relative to now.
    ///   - csvDirectory: The absolute folder the CSV goes to.
    /// - Returns: The path relative to `csvDirectory`, or the absolute path unchanged.
    package static func rebase(_ directory: String, from currentDirectory: String, to csvDirectory: String) -> String {
        guard !PathName.isAbsolute(directory) else { return directory }
        let target = PathName.resolve(directory, against: currentDirectory)
        var up = PathName.normalize(csvDirectory)
        var climbs = 0
        while PathName.relative(target, to: up) == nil, up != "/" {
            up = PathName.dirname(up)
            climbs += 1
        }
        let rest = PathName.relative(target, to: up) ?? target
        let parts = Array(repeating: "..", count: climbs) + (rest == "." ? [] : [rest])
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
