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
        // Kahn's algorithm, always taking the ready node defined first (a min-heap of definition positions), so the
        // order is stable and each release costs O(log n), even for long chains of `needs:`.
        var ready = PositionHeap()
        for (index, node) in nodes.enumerated() where remaining[node] == 0 { ready.insert(index) }
        var order: [NodeID] = []
        order.reserveCapacity(nodes.count)
        while let index = ready.popMin() {
            let node = nodes[index]
            order.append(node)
            for dependent in dependents[node, default: []] {
                remaining[dependent, default: 0] -= 1
                if remaining[dependent] == 0, let at = position[dependent] { ready.insert(at) }
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

/// A binary min-heap of node positions (their index in definition order).
private struct PositionHeap {
    private var items: [Int] = []

    /// Adds a position.
    mutating func insert(_ value: Int) {
        items.append(value)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the smallest position, or nil when empty.
    mutating func popMin() -> Int? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let smallest = items[0]
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var least = parent
            if left < items.count, items[left] < items[least] { least = left }
            if right < items.count, items[right] < items[least] { least = right }
            if least == parent { break }
            items.swapAt(parent, least)
            parent = least
        }
        return smallest
    }
}
