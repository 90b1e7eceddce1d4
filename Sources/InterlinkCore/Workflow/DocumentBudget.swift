import Yams

/// Bounds what a parsed document may expand to, so that YAML aliases cannot turn a small file into an enormous one
/// (each alias is a shared copy of its anchor's node: a 1 MiB file can stand for gigabytes once walked).
package struct DocumentBudget: Hashable, Sendable {
    /// The most nodes (scalars, lists and mappings, counting every alias use) a document may expand to.
    package var maximumNodes: Int
    /// The most bytes of scalar text a document may expand to.
    package var maximumTextBytes: Int
    /// The most jobs a workflow may expand to (sweeps included).
    package var maximumJobs: Int

    /// The default: 1,000,000 nodes, 64 MiB of text, 100,000 jobs.
    package static let standard = DocumentBudget(
        maximumNodes: 1_000_000,
        maximumTextBytes: 64 << 20,
        maximumJobs: 100_000
    )

    /// Creates a budget.
    package init(maximumNodes: Int, maximumTextBytes: Int, maximumJobs: Int) {
        self.maximumNodes = maximumNodes
        self.maximumTextBytes = maximumTextBytes
        self.maximumJobs = maximumJobs
    }

    /// What `root` exceeds, or nil when it fits; the walk stops as soon as a limit is passed, so it costs at most
    /// the budget however far the aliases would expand.
    ///
    /// - Parameter root: The composed document.
    /// - Returns: A description of the limit passed, such as "more than 1000000 nodes".
    package func excess(of root: Node) -> String? {
        var nodes = 0
        var bytes = 0
        var stack = [root]
        while let node = stack.popLast() {
            nodes += 1
            if nodes > maximumNodes { return "more than \(maximumNodes) nodes" }
            switch node {
            case .scalar(let scalar):
                bytes += scalar.string.utf8.count
                if bytes > maximumTextBytes { return "more than \(maximumTextBytes >> 20) MiB of text" }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence)
            case .mapping(let mapping):
                for (key, value) in mapping {
                    stack.append(key)
                    stack.append(value)
                }
            case .alias:
                break
            }
        }
        return nil
    }
}
