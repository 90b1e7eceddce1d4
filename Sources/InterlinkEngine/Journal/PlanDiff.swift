import InterlinkCore

/// How a node of a new plan compares with a previous run.
package enum NodeChange: String, Hashable, Sendable, Codable {
    /// Not in the previous run.
    case new
    /// In the previous run with a different content hash: redone from scratch.
    case changed
    /// Same content hash: its journaled progress is kept.
    case unchanged
    /// In the previous run, gone from the new plan.
    case removed
}

/// Compares a plan with a previous run (what `plan` shows and what resume acts on; state is matched by node id, never by position).
package enum PlanDiff {
    /// Each node's change, keyed by node id: the new plan's nodes plus the previous run's removed ones.
    ///
    /// - Parameters:
    ///   - plan: The new plan.
    ///   - previous: The previous run's content hash per node (from its journal's ``RunState`` or frozen plan).
    /// - Returns: The change of every node in either.
    package static func changes(of plan: Plan, against previous: [NodeID: String]) -> [NodeID: NodeChange] {
        var changes: [NodeID: NodeChange] = [:]
        for node in plan.nodes {
            changes[node.id] =
                switch previous[node.id] {
                case nil: .new
                case node.contentHash: .unchanged
                default: .changed
                }
        }
        for node in previous.keys where changes[node] == nil { changes[node] = .removed }
        return changes
    }

    /// Each node's change against a previous run's journal state.
    package static func changes(of plan: Plan, against state: RunState) -> [NodeID: NodeChange] {
        changes(of: plan, against: state.nodes.mapValues(\.contentHash))
    }

    /// Each node's change against a previous run's frozen plan.
    package static func changes(of plan: Plan, against previous: Plan) -> [NodeID: NodeChange] {
        changes(
            of: plan,
            against: Dictionary(previous.nodes.map { ($0.id, $0.contentHash) }, uniquingKeysWith: { a, _ in a })
        )
    }
}
