import Yams

/// The state of one parse of a workflow or job-spec document.
///
/// It knows where the document came from, what it may read, and every problem found so far. Extensions read each
/// part of the format.
struct DocumentParser {
    /// The document's path as the user named it (used in diagnostics).
    let path: String
    /// The absolute directory relative paths resolve against.
    let baseDirectory: String
    /// Where directories and scripts are looked up.
    let fileSystem: any FileSystem
    /// Reads jobs CSVs named by `from:`.
    let importer: any JobImporting
    /// How far the document may expand.
    var budget = DocumentBudget.standard
    /// Everything found so far.
    var diagnostics = DiagnosticCollector()

    /// The 1-based location of a node, or the whole file when the node has none.
    func location(of node: Node) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(file: path) }
        return SourceLocation(file: path, line: mark.line, column: mark.column)
    }

    /// A short description of a node's kind for "expected X, found Y" messages.
    static func kindName(of node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let scalar): isNull(scalar) ? "nothing" : "'\(scalar.string)'"
        }
    }

    /// Whether a scalar is YAML's null.
    static func isNull(_ scalar: Node.Scalar) -> Bool {
        guard scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// Reports that a value has the wrong shape.
    mutating func wrongType(_ node: Node, key: String, expected: String, help: String? = nil) {
        diagnostics.error(
            "'\(key)' must be \(expected), found \(Self.kindName(of: node))",
            help: help ?? "write \(expected) here",
            at: location(of: node)
        )
    }

    /// The pairs of a mapping whose keys are in `allowed`, reporting unknown and non-text keys.
    ///
    /// - Parameters:
    ///   - node: The value that should be a mapping.
    ///   - key: The key that holds it, for messages.
    ///   - allowed: The accepted keys.
    ///   - context: What the mapping is, as in "unknown key 'x' in <context>".
    /// - Returns: The accepted pairs in document order, or nil when the node is not a mapping.
    mutating func pairs(
        of node: Node,
        key: String,
        allowed: [String],
        context: String
    ) -> [(key: String, keyNode: Node, value: Node)]? {
        guard let mapping = node.mapping else {
            wrongType(node, key: key, expected: "a mapping")
            return nil
        }
        var result: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string else {
                diagnostics.error(
                    "keys must be text",
                    help: "write a plain key such as 'name'",
                    at: location(of: keyNode)
                )
                continue
            }
            guard allowed.contains(name) else {
                diagnostics.error(
                    "unknown key '\(name)' in \(context)",
                    help: Suggestion.help(for: name, in: allowed, noun: "key"),
                    at: location(of: keyNode)
                )
                continue
            }
            result.append((name, keyNode, value))
        }
        return result
    }
}
