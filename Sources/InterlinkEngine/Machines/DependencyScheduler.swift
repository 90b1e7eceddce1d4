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
    /// Each node's position in plan order.
    private let position: [NodeID: Int]
    private let dependencies: [NodeID: [NodeID]]
    /// The nodes that depend on each node (once per listed dependency).
    private let dependents: [NodeID: [NodeID]]
    /// Per node, its listed dependencies that have not succeeded yet.
    private var unmet: [NodeID: Int]
    private var outcomes: [NodeID: Outcome] = [:]
    private var running: Set<NodeID> = []
    private var isStopping = false
    /// Nodes examined so far, over every event (tests bound it: each event examines only the nodes it affects).
    package private(set) var examined = 0

    /// Creates a scheduler for a plan's nodes (in plan order, dependencies first).
    package init(nodes: [PlanNode]) {
        order = nodes.map(\.id)
        position = Dictionary(nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        dependencies = Dictionary(nodes.map { ($0.id, $0.dependencies) }, uniquingKeysWith: { first, _ in first })
        var dependents: [NodeID: [NodeID]] = [:]
        var unmet: [NodeID: Int] = [:]
        for (node, deps) in dependencies {
            unmet[node] = deps.count
            for dependency in deps { dependents[dependency, default: []].append(node) }
        }
        self.dependents = dependents
        self.unmet = unmet
    }

    /// Every node's outcome so far.
    package var results: [NodeID: Outcome] { outcomes }

    /// Handles an event and says what to do.
    ///
    /// `begin` looks at every node once; a finished node looks only at the nodes depending on it (and, when it
    /// failed, at those depending on the nodes it blocks), so a run of n nodes costs O(n + edges) in all.
    package mutating func handle(_ event: Event) -> Action {
        var action = Action()
        var candidates: [NodeID] = []
        switch event {
        case .begin:
            candidates = order
        case .finished(let node, let outcome):
            running.remove(node)
            outcomes[node] = outcome
            if outcome == .succeeded {
                for dependent in dependents[node] ?? [] { unmet[dependent, default: 1] -= 1 }
            }
            candidates = dependents[node] ?? []
        case .stopRequested:
            isStopping = true
        }
        var index = 0
        var seen: Set<NodeID> = []
        while index < candidates.count {
            let node = candidates[index]
            index += 1
            examined += 1
            guard seen.insert(node).inserted, outcomes[node] == nil, !running.contains(node) else { continue }
            let deps = dependencies[node] ?? []
            if let bad = deps.first(where: { outcomes[$0].map { $0 != .succeeded && $0 != .interrupted } ?? false }) {
                outcomes[node] = .blocked(by: bad)
                action.block.append(Blocked(node: node, dependency: bad))
                candidates += dependents[node] ?? []
            } else if !isStopping, (unmet[node] ?? 0) <= 0 {
                running.insert(node)
                action.start.append(node)
            }
        }
        // Plan order, as a full pass over the plan would give.
        action.start.sort { (position[$0] ?? 0) < (position[$1] ?? 0) }
        action.block.sort { (position[$0.node] ?? 0) < (position[$1.node] ?? 0) }
        if running.isEmpty { action.finished = result() }
        return action
    }

    private func result() -> RunResult {
        if order.contains(where: { outcomes[$0] == nil || outcomes[$0] == .interrupted }) { return .interrupted }
        return order.allSatisfy({ outcomes[$0] == .succeeded }) ? .succeeded : .failed
    }
}
