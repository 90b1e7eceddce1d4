import Yams

extension DocumentParser {
    /// Expands a sweep entry into one job per matrix combination.
    mutating func sweep(
        _ node: Node,
        name nameNode: Node?,
        template: JobTemplate,
        needs: [String],
        origin: SourceLocation
    ) -> [JobSpec] {
        guard let nameNode else {
            diagnostics.error(
                "sweep has no 'name'",
                help: "add a name template such as 'name: run-{index}'",
                at: origin
            )
            return []
        }
        guard let name = string(nameNode, key: "name"), let matrix = matrix(node) else { return [] }
        let count = matrix.productCount
        guard count <= budget.maximumJobs else {
            let shown = count == Int.max ? "more than \(Int.max)" : "\(count)"
            diagnostics.error(
                "the matrix expands to \(shown) jobs, over the limit of \(budget.maximumJobs)",
                help: "use fewer values, exclude combinations, or raise the limit with --max-jobs",
                at: location(of: node)
            )
            return []
        }
        let combinations = matrix.combinations()
        guard !combinations.isEmpty else {
            diagnostics.error(
                "the matrix has no combinations left",
                help: "remove 'exclude' entries or add values; every combination is excluded",
                at: location(of: node)
            )
            return []
        }
        guard hasCommand(template, job: name, at: origin) else { return [] }
        return combinations.enumerated().map { offset, combination in
            var variables = combination
            variables["index"] = String(offset + 1)
            let jobName = Placeholder.substitute(name, with: variables)
            let jobNeeds = needs.map { Placeholder.substitute($0, with: variables) }
            return makeJob(template, name: jobName, variables: variables, needs: jobNeeds, origin: origin)
        }
    }

    /// Reads `matrix:`: axes of scalar values plus `include` and `exclude` lists.
    mutating func matrix(_ node: Node) -> Matrix? {
        guard let mapping = node.mapping else {
            wrongType(node, key: "matrix", expected: "a mapping of axis names to lists of values")
            return nil
        }
        var matrix = Matrix(axes: [])
        var isValid = true
        var entryNodes: [(key: String, node: Node)] = []
        for (keyNode, value) in mapping {
            guard let axis = keyNode.scalar?.string, !axis.isEmpty else {
                diagnostics.error(
                    "axis names must be text",
                    help: "write a name such as 'mach:'",
                    at: location(of: keyNode)
                )
                isValid = false
                continue
            }
            if WorkflowKeys.matrixReserved.contains(axis) {
                entryNodes.append((axis, value))
                continue
            }
            if axis == "index" {
                diagnostics.error(
                    "'index' is reserved",
                    help: "rename the axis; '{index}' is the job's position",
                    at: location(of: keyNode)
                )
                isValid = false
                continue
            }
            guard let sequence = value.sequence else {
                wrongType(
                    value,
                    key: "matrix.\(axis)",
                    expected: "a list of values",
                    help: "write the values as a list such as [1, 2, 3]"
                )
                isValid = false
                continue
            }
            if sequence.isEmpty {
                diagnostics.error(
                    "matrix axis '\(axis)' has no values",
                    help: "give it at least one value, or remove it",
                    at: location(of: value)
                )
                isValid = false
            }
            var values: [String] = []
            for item in sequence {
                if let text = sweepValue(item, key: "matrix.\(axis)") { values.append(text) } else { isValid = false }
            }
            matrix.axes.append(Matrix.Axis(name: axis, values: values))
        }
        let axisNames = matrix.axes.map(\.name)
        for (key, value) in entryNodes {
            guard let entries = sweepEntries(value, key: key, axisNames: key == "exclude" ? axisNames : nil) else {
                isValid = false
                continue
            }
            if key == "include" { matrix.include = entries } else { matrix.exclude = entries }
        }
        if matrix.axes.isEmpty, matrix.include.isEmpty, isValid {
            diagnostics.error(
                "the matrix has no axes",
                help: "add an axis such as 'mach: [0.3, 0.5]'",
                at: location(of: node)
            )
            return nil
        }
        return isValid ? matrix : nil
    }

    private mutating func sweepValue(_ node: Node, key: String) -> String? {
        guard let scalar = node.scalar, !Self.isNull(scalar) else {
            diagnostics.error(
                "'\(key)' values must be scalars, found \(Self.kindName(of: node))",
                help: "write a number or a text; lists and mappings cannot be substituted",
                at: location(of: node)
            )
            return nil
        }
        return scalar.string
    }

    private mutating func sweepEntries(_ node: Node, key: String, axisNames: [String]?) -> [[String: String]]? {
        guard let sequence = node.sequence else {
            wrongType(node, key: "matrix.\(key)", expected: "a list of mappings")
            return nil
        }
        var entries: [[String: String]] = []
        var isValid = true
        for item in sequence {
            guard let mapping = item.mapping else {
                wrongType(item, key: "matrix.\(key)", expected: "a mapping of axis names to values")
                isValid = false
                continue
            }
            var entry: [String: String] = [:]
            for (keyNode, value) in mapping {
                let name = keyNode.scalar?.string ?? ""
                if let axisNames, !axisNames.contains(name) {
                    diagnostics.error(
                        "'exclude' names unknown axis '\(name)'",
                        help: Suggestion.closest(to: name, in: axisNames).map { "did you mean '\($0)'?" }
                            ?? "use one of the axes: \(axisNames.joined(separator: ", "))",
                        at: location(of: keyNode)
                    )
                    isValid = false
                    continue
                }
                if let text = sweepValue(value, key: "matrix.\(key).\(name)") {
                    entry[name] = text
                } else {
                    isValid = false
                }
            }
            entries.append(entry)
        }
        return isValid ? entries : nil
    }
}
