import InterlinkCore
import InterlinkTestSupport
import Testing

/// A spec that would expand past the limits is refused before planning, with the numbers.
@Suite struct ExpansionLimitTests {
    static func plan(_ yaml: String, budget: DocumentBudget = .standard) -> DiagnosticsError? {
        var fileSystem = InMemoryFileSystem(currentDirectory: "/w")
        fileSystem.addFile("/w/mesh/in.txt", contents: "x\n")
        fileSystem.addFile("/w/flow.yaml", contents: yaml)
        do throws(DiagnosticsError) {
            _ = try WorkflowPlanning.plan(path: "flow.yaml", fileSystem: fileSystem, budget: budget)
            return nil
        } catch {
            return error
        }
    }

    @Test func aliasChainsThatExpandPastTheBudgetAreRefusedQuickly() throws {
        // Nine levels of ten aliases each: 10^9 scalars once walked, from a file of about a kilobyte.
        var yaml =
            "version: 1\nx0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for level in 1...9 {
            let previous = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            yaml += "x\(level): &a\(level) [\(previous)]\n"
        }
        yaml += "jobs:\n  - name: a\n    inputs: [mesh]\n    command: ./run.sh\n"
        let clock = ContinuousClock()
        var error: DiagnosticsError?
        let elapsed = clock.measure { error = Self.plan(yaml) }
        let refused = try #require(error)
        #expect(refused.description.contains("flow.yaml: error: the document expands to more than 1000000 nodes"))
        #expect(elapsed < .seconds(5), "the walk must stop at the budget, took \(elapsed)")
    }

    /// A one-sweep workflow whose matrix has `axes` axes of `values` values each.
    static func sweep(axes: Int, values: Int) -> String {
        let list = (1...values).map(String.init).joined(separator: ", ")
        let lines = (1...axes).map { "      a\($0): [\(list)]" }.joined(separator: "\n")
        return """
            version: 1
            jobs:
              - name: "run-{index}"
                inputs: [mesh]
                command: ./run.sh
                matrix:
            \(lines)
            """
    }

    @Test func aMatrixWhoseProductOverflowsIsRefusedWithItsSize() throws {
        let refused = try #require(Self.plan(Self.sweep(axes: 10, values: 100)))
        #expect(refused.description.contains("the matrix expands to more than"), "\(refused)")
        #expect(refused.description.contains("over the limit of 100000"))
        #expect(refused.description.contains("help: use fewer values, exclude combinations, or raise the limit"))
    }

    @Test func aCommandLongerThanOneArgumentMayBeIsRefused() throws {
        let long = String(repeating: "echo x; ", count: 16_384)
        let yaml = "version: 1\njobs:\n  - name: a\n    inputs: [mesh]\n    command: \"\(long)\"\n"
        let refused = try #require(Self.plan(yaml))
        #expect(
            refused.description.contains("flow.yaml:3:5: error: job 'a' has a command of 131072 bytes"),
            "\(refused)"
        )
        let fits = "version: 1\njobs:\n  - name: a\n    inputs: [mesh]\n    command: \"\(long.dropLast(1))\"\n"
        #expect(Self.plan(fits) == nil)
    }

    @Test func theJobLimitCanBeRaisedOrLowered() throws {
        let yaml = Self.sweep(axes: 2, values: 5)
        var budget = DocumentBudget.standard
        budget.maximumJobs = 24
        let refused = try #require(Self.plan(yaml, budget: budget))
        #expect(refused.description.contains("the matrix expands to 25 jobs, over the limit of 24"), "\(refused)")
        budget.maximumJobs = 25
        #expect(Self.plan(yaml, budget: budget) == nil)
    }
}
