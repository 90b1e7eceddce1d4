extension JobValidator {
    /// The longest job name, in UTF-8 bytes: a file name on Linux file systems, since outputs land in a folder
    /// named after the job.
    package static let maximumNameBytes = 255

    /// The longest command, in UTF-8 bytes: the command is one argument of `bash -c`, and Linux refuses a single
    /// argument of 128 KiB or more (`MAX_ARG_STRLEN`) when the job starts.
    package static let maximumCommandBytes = 128 * 1024 - 1

    /// Why a job name cannot be used as a folder name inside the destination, or nil when it can.
    ///
    /// A job's outputs go to `results/{job}` by default, so a name that is a path (`../x`, `/tmp/x`, `a/b`), a
    /// relative-directory name (`.`, `..`) or one with control characters would write outside the destination
    /// or print as something else.
    ///
    /// - Parameter name: The job name as written.
    /// - Returns: The problem and the help line, or nil for a usable name.
    package static func nameProblem(_ name: String) -> (problem: String, help: String)? {
        // Quoted only for a problem: most names have none.
        var shown: String { TerminalText.quoted(name) }
        if name == "." || name == ".." {
            return ("job name \(shown) is a directory reference", "give the job a plain name such as 'Run_1'")
        }
        if name.utf8.contains(0) {
            return ("job name \(shown) contains a NUL byte", "remove the NUL (\\0) from the name")
        }
        if name.unicodeScalars.contains(where: TerminalText.isControl) {
            return (
                "job name \(shown) contains a control character",
                "use letters, digits, '-', '_', '.' or spaces in job names"
            )
        }
        if name.utf8.contains(UInt8(ascii: "/")) {  // not `contains("/")`, which searches through Foundation
            let kind = name.hasPrefix("/") ? "an absolute path" : "a path"
            return (
                "job name \(shown) is \(kind): outputs would be written outside the destination",
                "use a name without '/', such as '\(Self.suggestedName(for: name))'"
            )
        }
        if name.utf8.count > maximumNameBytes {
            return (
                "job name is \(name.utf8.count) bytes long, over the file system's \(maximumNameBytes)",
                "shorten the name; outputs land in a folder named after the job"
            )
        }
        return nil
    }

    /// Reports each field of `job` that holds a NUL byte, which the operating system would silently cut there.
    ///
    /// - Parameters:
    ///   - job: The job.
    ///   - collector: Where problems go.
    func checkNULBytes(in job: JobSpec, into collector: inout DiagnosticCollector) {
        var label: String { job.name.isEmpty ? "job" : "job \(TerminalText.quoted(job.name))" }
        var fields: [(String, String)] = [("command", job.command), ("analysis", job.analysis.code)]
        fields += [("core type", job.hardware.coreType), ("output destination", job.outputs.destination)]
        for (key, value) in job.environment.sorted(by: { $0.key < $1.key }) {
            fields += [
                ("environment variable name '\(TerminalText.escaped(key))'", key), ("environment variable", value),
            ]
        }
        for input in job.inputs {
            if case .archive(let archive) = input { fields.append(("input directory", archive.directory)) }
        }
        for (field, value) in fields where value.utf8.contains(0) {
            collector.error(
                "\(label): the \(field) contains a NUL byte, which would cut it short",
                help: "remove the NUL (\\0) from the \(field)",
                at: job.origin
            )
        }
    }

    /// A name made from the path's components joined with '_', for the help line.
    private static func suggestedName(for name: String) -> String {
        let parts = name.split(separator: "/").filter { $0 != "." && $0 != ".." }
        let joined = parts.joined(separator: "_")
        return joined.isEmpty ? "Run_1" : TerminalText.escaped(joined)
    }
}
