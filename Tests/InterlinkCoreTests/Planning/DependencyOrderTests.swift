import Testing

@testable import InterlinkCore

/// The topological order of a plan's nodes: dependencies first, ties in definition order, and linear in practice.
@Suite struct DependencyOrderTests {
    private func ids(_ names: [String]) -> [NodeID] { names.map { NodeID(rawValue: $0) } }

    @Test func tiesKeepDefinitionOrderAndDependenciesComeFirst() throws {
        // d needs b and c; b needs a; c is free; e needs d. Definition order: e, d, c, b, a.
        let graph = DependencyGraph(
            nodes: ids(["e", "d", "c", "b", "a"]),
            dependencies: [
                NodeID(rawValue: "d"): ids(["b", "c"]),
                NodeID(rawValue: "b"): ids(["a"]),
                NodeID(rawValue: "e"): ids(["d", "gone"]),
            ]
        )
        let order = try graph.topologicalOrder().get()
        #expect(order == ids(["c", "a", "b", "d", "e"]))
    }

    @Test func aLongChainDefinedBackwardsIsOrderedQuickly() throws {
        // 20,000 nodes, each needing the one defined after it: every step releases one node, the case a re-sorted
        // ready list made quadratic.
        let count = 20_000
        let names = (0..<count).map { "n\($0)" }
        var dependencies: [NodeID: [NodeID]] = [:]
        for index in 0..<(count - 1) {
            dependencies[NodeID(rawValue: names[index])] = [NodeID(rawValue: names[index + 1])]
        }
        let graph = DependencyGraph(nodes: ids(names), dependencies: dependencies)
        let clock = ContinuousClock()
        let start = clock.now
        let order = try graph.topologicalOrder().get()
        #expect(order == ids(names.reversed()))
        #expect(clock.now - start < .seconds(5))
    }

    @Test func aCycleIsStillReported() {
        let graph = DependencyGraph(
            nodes: ids(["a", "b", "c"]),
            dependencies: [NodeID(rawValue: "a"): ids(["b"]), NodeID(rawValue: "b"): ids(["a"])]
        )
        guard case .failure(let error) = graph.topologicalOrder() else {
            Issue.record("a cycle must fail")
            return
        }
        #expect(error.cycles.count == 1)
    }
}
