import InterlinkCore

/// Decides which nodes of the plan's DAG may start: a node starts once every dependency succeeded, is blocked
/// once any dependency failed or was blocked, and unrelated nodes carry on (a failed job never stops them).
package struct DependencyScheduler: Sendable {
    /// How a node ended.
    package enum Outcome: Hashable, Sendable {
        case succeeded
        case failed
        case blocked(by: NodeID)
        case interrupted
    }

    /// What happened.
    package enum Event: Hashable, Sendable {
        /// The run begins.
        case begin
        /// A started node ended.
        case finished(NodeID, Outcome)
        /// The user asked to stop: start nothing more.
        case stopRequested
    }

    /// What the runner does.
    package struct Action: Hashable, Sendable {
        /// Nodes to start, in plan order.
        package var start: [NodeID] = []
        /// Nodes that will never run, each with the dependency that failed.
        package var block: [Blocked] = []
        /// Set when nothing is running and nothing more will start.
        package var finished: RunResult?
    }

    /// A node blocked by a dependency.
    package struct Blocked: Hashable, Sendable {
        /// The blocked node.
        package var node: NodeID
        /// Its dependency that failed or was blocked.
        package var dependency: NodeID

        /// Creates a blocked entry.
        package init(node: NodeID, dependency: NodeID) {
            self.node = node
            self.dependency = dependency
        }
    }

    private let order: [NodeID]
    private let dependencies: [NodeID: [NodeID]]
    private var outcomes: [NodeID: Outcome] = [:]
    private var running: Set<NodeID> = []
    private var isStopping = false

    /// Creates a scheduler for a plan's nodes (in plan order, dependencies first).
    package init(nodes: [PlanNode]) {
        order = nodes.map(\.id)
        dependencies = Dictionary(nodes.map { ($0.id, $0.dependencies) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every node's outcome so far.
    package var results: [NodeID: Outcome] { outcomes }

    /// Handles an event and says what to do.
    package mutating func handle(_ event: Event) -> Action {
        switch event {
        case .begin:
            break
        case .finished(let node, let outcome):
            running.remove(node)
            outcomes[node] = outcome
        case .stopRequested:
            isStopping = true
        }
        var action = Action()
        var changed = true
        while changed {
            changed = false
            for node in order where outcomes[node] == nil && !running.contains(node) {
                let deps = dependencies[node] ?? []
                if let bad = deps.first(where: { outcomes[$0].map { $0 != .succeeded && $0 != .interrupted } ?? false })
                {
                    outcomes[node] = .blocked(by: bad)
                    action.block.append(Blocked(node: node, dependency: bad))
                    changed = true
                } else if !isStopping, deps.allSatisfy({ outcomes[$0] == .succeeded }) {
                    running.insert(node)
                    action.start.append(node)
                }
            }
        }
        if running.isEmpty { action.finished = result() }
        return action
    }

    private func result() -> RunResult {
        if order.contains(where: { outcomes[$0] == nil || outcomes[$0] == .interrupted }) { return .interrupted }
        return order.allSatisfy({ outcomes[$0] == .succeeded }) ? .succeeded : .failed
    }
}
