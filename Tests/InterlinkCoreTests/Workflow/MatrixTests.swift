import InterlinkCore
import InterlinkTestSupport
import Testing

@Suite struct MatrixTests {
    /// A random matrix: 1-3 axes of 1-4 values, a few excludes and includes (some fitting, some new).
    static func randomMatrix(_ rng: inout SplitMix64) -> Matrix {
        let axisCount = Int.random(in: 1...3, using: &rng)
        let axes = (0..<axisCount).map { axis in
            Matrix.Axis(name: "a\(axis)", values: (0..<Int.random(in: 1...4, using: &rng)).map { "v\($0)" })
        }
        func randomEntry(_ rng: inout SplitMix64, allowNew: Bool) -> [String: String] {
            var entry: [String: String] = [:]
            for axis in axes where Bool.random(using: &rng) {
                let extra = allowNew && Bool.random(using: &rng) ? ["new"] : []
                entry[axis.name] = (axis.values + extra).randomElement(using: &rng)
            }
            if allowNew, Bool.random(using: &rng) { entry["extra"] = "x\(Int.random(in: 0...9, using: &rng))" }
            return entry
        }
        let excludes = (0..<Int.random(in: 0...2, using: &rng)).map { _ in randomEntry(&rng, allowNew: false) }
            .filter { !$0.isEmpty }
        let includes = (0..<Int.random(in: 0...3, using: &rng)).map { _ in randomEntry(&rng, allowNew: true) }
        return Matrix(axes: axes, include: includes, exclude: excludes)
    }

    @Test func countIsProductMinusExcludedPlusAddedIncludes() {
        var rng = SplitMix64(state: 42)
        for _ in 0..<300 {
            let matrix = Self.randomMatrix(&rng)
            let product = matrix.axes.reduce(1) { $0 * $1.values.count }
            #expect(matrix.productCount == product)
            // An independent oracle: enumerate the product by index arithmetic.
            var kept: [[String: String]] = []
            for index in 0..<product {
                var rest = index
                var combination: [String: String] = [:]
                for axis in matrix.axes.reversed() {
                    combination[axis.name] = axis.values[rest % axis.values.count]
                    rest /= axis.values.count
                }
                let excluded = matrix.exclude.contains { $0.allSatisfy { combination[$0.key] == $0.value } }
                if !excluded { kept.append(combination) }
            }
            let axisNames = Set(matrix.axes.map(\.name))
            let added = matrix.include.filter { entry in
                !kept.contains { combination in
                    entry.allSatisfy { !axisNames.contains($0.key) || combination[$0.key] == $0.value }
                }
            }
            let combinations = matrix.combinations()
            #expect(combinations.count == kept.count + added.count)
            #expect(combinations.count == product - (product - kept.count) + added.count)
        }
    }

    @Test func namesUsingEveryAxisAreUnique() {
        var rng = SplitMix64(state: 7)
        for _ in 0..<200 {
            var matrix = Self.randomMatrix(&rng)
            matrix.include = matrix.include.filter { entry in matrix.axes.allSatisfy { entry[$0.name] != nil } }
            let template = matrix.axes.map { "{\($0.name)}" }.joined(separator: "-")
            let names = matrix.combinations().map { Placeholder.substitute(template, with: $0) }
            let distinctIncludes = Set(matrix.include.map { entry in matrix.axes.map { entry[$0.name] ?? "" } })
            if distinctIncludes.count == matrix.include.count {
                #expect(Set(names).count == names.count, "names: \(names)")
            }
        }
    }

    @Test func includeExtendsMatchingCombinationsWithoutOverwritingAxes() {
        let matrix = Matrix(
            axes: [.init(name: "os", values: ["linux", "mac"]), .init(name: "n", values: ["1", "2"])],
            include: [["os": "linux", "flag": "fast"], ["os": "bsd", "n": "1"], ["flag": "slow", "n": "2"]],
            exclude: [["os": "mac", "n": "1"]]
        )
        let combinations = matrix.combinations()
        #expect(
            combinations == [
                ["os": "linux", "n": "1", "flag": "fast"],
                ["os": "linux", "n": "2", "flag": "slow"],
                ["os": "mac", "n": "2", "flag": "slow"],
                ["os": "bsd", "n": "1"],
            ]
        )
    }

    @Test func placeholdersPadIndexesAndLeaveShellVariablesAlone() {
        let variables = ["index": "7", "mach": "0.3"]
        #expect(Placeholder.substitute("run-{index:03}-{mach}", with: variables) == "run-007-0.3")
        #expect(
            Placeholder.substitute("echo ${mach} {job} {unknown}", with: variables) == "echo ${mach} {job} {unknown}"
        )
        #expect(Placeholder.substitute("awk '{print $1}' {mach}", with: variables) == "awk '{print $1}' 0.3")
        #expect(Placeholder.names(in: "a-{mach}-{index:02}-${HOME}") == ["mach", "index"])
    }
}
