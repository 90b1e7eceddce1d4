import InterlinkCore

/// The plan as a Graphviz digraph: one node per plan node, an edge from each dependency to what needs it.
enum PlanGraph {
    /// Renders the digraph.
    ///
    /// - Parameter plan: The plan.
    /// - Returns: `digraph "<workflow>" { … }` ending in a newline.
    static func dot(_ plan: Plan) -> String {
        var lines = ["digraph \(quoted(plan.workflow)) {", "  rankdir=LR;", "  node [fontname=\"Helvetica\"];"]
        for node in plan.nodes {
            let stages = node.stages.map(\.rawValue).joined(separator: " ")
            let label = stages.isEmpty ? node.name : "\(node.name)\n\(stages)"
            let shape = node.job == nil ? "folder" : "box"
            lines.append("  \(quoted(node.id.rawValue)) [label=\(quoted(label)), shape=\(shape)];")
        }
        for node in plan.nodes {
            for dependency in node.dependencies {
                lines.append("  \(quoted(dependency.rawValue)) -> \(quoted(node.id.rawValue));")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A DOT string literal: quotes and backslashes escaped, newlines as `\n`.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result + "\""
    }
}
