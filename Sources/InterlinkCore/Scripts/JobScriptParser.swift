/// Reads SGE `#$` and rescale-cli `#RESCALE_` directives from a job script, reporting what
/// upstream ignores silently: malformed values are errors with their line and column, near-miss directives
/// (indented, wrong case, unknown names) are warnings.
///
/// `#$` values fill a field only while it is still empty (first wins); `#RESCALE_` directives overwrite (last
/// wins) except tags and automations, which accumulate. Lines that are neither comments nor directives are the
/// body, which is the command when there is no `#RESCALE_COMMAND`.
package enum JobScriptParser {
    /// The longest line a script may have, in bytes.
    package static let maximumLineBytes = 64 * 1024

    /// Reads a script; never throws, problems are in the result's `diagnostics`.
    ///
    /// In ``JobScript/Mode/compat`` mode the values rescale-cli accepts are read as it reads them, each with a
    /// warning at its line instead of an error: the leading digits of a count or walltime (`16abc` is 16, `1.5`
    /// is 1 hour, `24:00:00` is 24 hours), and a value it ignores (`eight`, `-1`, `TRUE`, a bad `#RESCALE_ENV_`
    /// name) is ignored.
    ///
    /// - Parameters:
    ///   - contents: The script text.
    ///   - path: The path as the user named it, for diagnostics.
    ///   - mode: Strict (malformed values are errors) or rescale-cli compatible.
    /// - Returns: What the directives set, with diagnostics.
    package static func parse(contents: String, path: String, mode: JobScript.Mode = .strict) -> JobScript {
        var script = JobScript(path: path)
        script.mode = mode
        let lines = contents.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (offset, rawLine) in lines.enumerated() {
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : String(rawLine)
            let at = SourceLocation(file: path, line: offset + 1, column: 1)
            guard line.utf8.count <= maximumLineBytes else {
                script.diagnostics.append(.error("line is longer than 64 KiB", help: "split the line", at: at))
                continue
            }
            if line.hasPrefix("#$ -l ") {
                readResources(line, at: at, into: &script)
            } else if line.hasPrefix("#$ -N ") {
                let name = String(line.dropFirst(6)).trimmingWhitespace()
                if script.name == nil, !name.isEmpty { script.name = name }
            } else if line.hasPrefix("#$ -pe smp ") {
                let text = String(line.dropFirst(11)).trimmingWhitespace()
                if let cores = Int(text), cores > 0, text.allSatisfy(\.isASCII) {
                    if script.coresPerSlot == nil { script.coresPerSlot = cores }
                } else {
                    script.diagnostics.append(
                        .warning(
                            "'#$ -pe smp \(text)' is not a whole number of cores and is ignored",
                            help: "write '#RESCALE_CORES_PER_SLOT <n>' to set the cores per slot",
                            at: at.column(12)
                        )
                    )
                }
            } else {
                let trimmed = line.trimmingWhitespace()
                if !trimmed.isEmpty, !trimmed.hasPrefix("#") { script.bodyLines.append(trimmed) }
                readDirective(line, trimmed: trimmed, at: at, into: &script)
            }
        }
        return script
    }

    /// Reads `#$ -l key=value,…`: each `rescale_*` key fills its field only while the field is empty.
    private static func readResources(_ line: String, at: SourceLocation, into script: inout JobScript) {
        var column = 7
        for piece in line.dropFirst(6).split(separator: ",", omittingEmptySubsequences: false) {
            defer { column += piece.unicodeScalars.count + 1 }
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let key = String(piece[..<equals]).trimmingWhitespace()
            let rawValue = piece[piece.index(after: equals)...]
            let value = String(rawValue).trimmingWhitespace()
            let leading = rawValue.unicodeScalars.prefix { $0.properties.isWhitespace }.count
            let valueAt = at.column(column + piece[..<equals].unicodeScalars.count + 1 + leading)
            switch key {
            case "rescale_code": if script.analysisCode == nil { script.analysisCode = value }
            case "rescale_coretype": if script.coreType == nil { script.coreType = value }
            case "rescale_name": if script.name == nil { script.name = value }
            case "rescale_cores" where script.mode == .compat:
                // rescale-cli takes only a whole number > 0 here and ignores anything else.
                if let cores = Int(value), cores > 0, value.allSatisfy(\.isASCII) {
                    if script.coresPerSlot == nil { script.coresPerSlot = cores }
                } else {
                    script.diagnostics.append(ScriptValues.ignored("rescale_cores", value, at: valueAt))
                }
            case "rescale_walltime" where script.mode == .compat:
                if let hours = Int(value), hours > 0, value.allSatisfy(\.isASCII) {
                    if script.walltime == nil {
                        script.walltime = ScriptValues.compatWalltime(
                            hours,
                            what: "rescale_walltime",
                            at: valueAt,
                            into: &script.diagnostics
                        )
                    }
                } else {
                    script.diagnostics.append(ScriptValues.ignored("rescale_walltime", value, at: valueAt))
                }
            case "rescale_cores":
                let cores = ScriptValues.count(value, what: "rescale_cores", at: valueAt, into: &script.diagnostics)
                if script.coresPerSlot == nil, let cores { script.coresPerSlot = cores }
                if cores == nil { script.invalidDirectives.insert(.coresPerSlot) }
            case "rescale_walltime":
                let walltime = ScriptValues.walltime(
                    value,
                    what: "rescale_walltime",
                    at: valueAt,
                    into: &script.diagnostics
                )
                if script.walltime == nil, let walltime { script.walltime = walltime }
                if walltime == nil { script.invalidDirectives.insert(.walltime) }
            default: continue
            }
        }
    }
}

extension SourceLocation {
    /// This location at another column of the same line.
    func column(_ column: Int) -> SourceLocation { SourceLocation(file: file, line: line, column: column) }
}
