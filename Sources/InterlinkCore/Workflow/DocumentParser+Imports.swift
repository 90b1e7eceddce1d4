import Yams

extension DocumentParser {
    /// Expands a `from:` entry: a jobs CSV through the importer, or job scripts found by a glob.
    mutating func imported(_ node: Node, template: JobTemplate, entryInputs: Bool, needs: [String]) -> [JobSpec] {
        guard let pattern = string(node, key: "from") else { return [] }
        let fromLocation = location(of: node)
        var jobs: [JobSpec]
        if pattern.lowercased().hasSuffix(".csv") {
            do throws(DiagnosticsError) {
                jobs = try importer.importJobs(
                    fromCSVAt: fileSystem.absolute(pattern, relativeTo: baseDirectory),
                    location: fromLocation,
                    defaults: template
                )
            } catch {
                diagnostics.append(contentsOf: error.diagnostics)
                return []
            }
        } else {
            guard let files = matches(of: pattern, kind: .file, at: node) else { return [] }
            jobs = files.compactMap { script(at: $0, template: template, entryInputs: entryInputs) }
        }
        guard !needs.isEmpty else { return jobs }
        return jobs.map { job in
            var job = job
            job.needs += needs.filter { !job.needs.contains($0) }
            return job
        }
    }

    /// Expands a `directories:` entry into one job per matching run directory.
    mutating func runDirectories(
        _ node: Node,
        name nameNode: Node?,
        template: JobTemplate,
        entryInputs: Bool,
        needs: [String]
    ) -> [JobSpec] {
        guard let pattern = string(node, key: "directories"),
            let directories = matches(of: pattern, kind: .directory, at: node)
        else {
            return []
        }
        var name = "{dir}"
        if let nameNode { name = string(nameNode, key: "name") ?? name }
        var template = template
        if !entryInputs { template.inputs = [.archive(ArchiveInput(directory: "{path}"))] }
        guard hasCommand(template, job: name, at: location(of: node)) else { return [] }
        return directories.enumerated().map { offset, path in
            let variables = DirectoryPlaceholders.variables(path: path, index: offset + 1)
            let jobName = Placeholder.substitute(name, with: variables)
            let jobNeeds = needs.map { Placeholder.substitute($0, with: variables) }
            return makeJob(template, name: jobName, variables: variables, needs: jobNeeds, origin: location(of: node))
        }
    }

    /// The relative paths matching a pattern below the base directory, reporting a bad or empty pattern.
    private mutating func matches(of pattern: String, kind: PathPattern.Kind, at node: Node) -> [String]? {
        let compiled: PathPattern
        do throws(Glob.SyntaxError) {
            compiled = try PathPattern(pattern)
        } catch {
            diagnostics.error(
                error.description,
                help: "close every '[' and escape a literal '[' with '\\'",
                at: location(of: node)
            )
            return nil
        }
        let found = compiled.matches(in: baseDirectory, kind: kind, fileSystem: fileSystem)
        guard !found.isEmpty else {
            let noun = kind == .file ? "files" : "directories"
            diagnostics.error(
                "no \(noun) match '\(pattern)'",
                help: "the pattern is relative to the workflow's directory '\(baseDirectory)'",
                at: location(of: node)
            )
            return nil
        }
        return found
    }

    /// Reads one job script found by a `from:` glob: its directives win over the entry and the defaults.
    private mutating func script(at relativePath: String, template: JobTemplate, entryInputs: Bool) -> JobSpec? {
        let absolute = PathName.resolve(relativePath, against: baseDirectory)
        let directory = PathName.dirname(path)
        let displayPath = directory == "." ? relativePath : PathName.normalize(PathName.join(directory, relativePath))
        let text: String
        do throws(FileSystemError) {
            text = try fileSystem.readText(at: absolute)
        } catch {
            diagnostics.error(
                "cannot read job script: \(error.reason)",
                help: "check the file's permissions",
                at: SourceLocation(file: displayPath)
            )
            return nil
        }
        let script = JobScriptParser.parse(contents: text, path: displayPath)
        diagnostics.append(contentsOf: script.diagnostics)
        let scriptDirectory = PathName.dirname(relativePath)
        var merged = template.overlaid(by: script.template)
        if !entryInputs {
            merged.inputs = [.archive(ArchiveInput(directory: scriptDirectory))]
            let directoryName = PathName.basename(PathName.resolve(scriptDirectory, against: baseDirectory))
            merged.command = merged.command.map { JobScript.command($0, inDirectoryNamed: directoryName) }
        }
        let fallbackName = scriptDirectory == "." ? Self.stem(of: relativePath) : PathName.basename(scriptDirectory)
        let name = script.name ?? fallbackName
        let origin = SourceLocation(file: displayPath)
        guard hasCommand(merged, job: name, at: origin) else { return nil }
        return makeJob(merged, name: name, needs: [], origin: origin)
    }
}
