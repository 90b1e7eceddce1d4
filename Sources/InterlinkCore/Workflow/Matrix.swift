/// A parameter sweep: named axes whose cartesian product, adjusted by `exclude` and `include` entries with GitHub
/// Actions semantics, gives one combination per job.
///
/// - The product runs in declaration order with the first axis varying slowest.
/// - An `exclude` entry removes every product combination whose values equal all of the entry's values.
/// - Then each `include` entry, in order, is merged into every remaining product combination it does not
///   contradict (its axis values equal the combination's, its other keys are added or overwrite values added
///   by earlier includes); an entry that fits no product combination becomes a combination of its own.
package struct Matrix: Hashable, Sendable {
    /// One named axis and its values, as text.
    package struct Axis: Hashable, Sendable {
        /// The axis name, used as `{name}`.
        package var name: String
        /// The values, in order.
        package var values: [String]

        /// Creates an axis.
        package init(name: String, values: [String]) {
            self.name = name
            self.values = values
        }
    }

    /// The axes in declaration order.
    package var axes: [Axis]
    /// Entries merged into, or added to, the combinations.
    package var include: [[String: String]]
    /// Entries whose matching product combinations are removed.
    package var exclude: [[String: String]]

    /// Creates a matrix.
    package init(axes: [Axis], include: [[String: String]] = [], exclude: [[String: String]] = []) {
        self.axes = axes
        self.include = include
        self.exclude = exclude
    }

    /// The number of combinations in the plain cartesian product (0 when there are no axes), `Int.max` when it
    /// does not fit.
    package var productCount: Int {
        guard !axes.isEmpty else { return 0 }
        var count = 1
        for axis in axes {
            let (product, overflow) = count.multipliedReportingOverflow(by: axis.values.count)
            if overflow { return Int.max }
            count = product
        }
        return count
    }

    /// Every combination, in order: the product minus exclusions, then include-only combinations.
    package func combinations() -> [[String: String]] {
        var product: [[String: String]] = axes.isEmpty ? [] : [[:]]
        for axis in axes {
            product = product.flatMap { partial in
                axis.values.map { value in partial.merging([axis.name: value]) { _, new in new } }
            }
        }
        product.removeAll { combination in
            exclude.contains { entry in entry.allSatisfy { combination[$0.key] == $0.value } }
        }
        let axisNames = Set(axes.map(\.name))
        var combinations = product
        var added: [[String: String]] = []
        for entry in include {
            var fitsAny = false
            for index in product.indices {
                let original = product[index]
                let fits = entry.allSatisfy { key, value in !axisNames.contains(key) || original[key] == value }
                guard fits else { continue }
                fitsAny = true
                combinations[index].merge(entry) { _, new in new }
            }
            if !fitsAny { added.append(entry) }
        }
        return combinations + added
    }
}
