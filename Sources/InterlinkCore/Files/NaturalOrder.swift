/// Orders names the way people count: `Run_2` before `Run_10`.
package enum NaturalOrder {
    /// Whether `lhs` sorts before `rhs`: digit runs compare by value (then by width, so `Run_7` comes before
    /// `Run_007`), other runs by Unicode scalar value.
    ///
    /// Falls back to plain comparison for a total order.
    package static func areInIncreasingOrder(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.unicodeScalars)
        let b = Array(rhs.unicodeScalars)
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if isDigit(a[i]), isDigit(b[j]) {
                let startA = i
                let startB = j
                while i < a.count, isDigit(a[i]) { i += 1 }
                while j < b.count, isDigit(b[j]) { j += 1 }
                let digitsA = a[startA..<i].drop { $0 == "0" }
                let digitsB = b[startB..<j].drop { $0 == "0" }
                if digitsA.count != digitsB.count { return digitsA.count < digitsB.count }
                for (x, y) in zip(digitsA, digitsB) where x != y { return x.value < y.value }
                if i - startA != j - startB { return i - startA < j - startB }
            } else {
                if a[i] != b[j] { return a[i].value < b[j].value }
                i += 1
                j += 1
            }
        }
        if a.count - i != b.count - j { return a.count - i < b.count - j }
        return lhs < rhs
    }

    /// Sorts strings naturally.
    package static func sorted(_ names: some Sequence<String>) -> [String] {
        names.sorted(by: areInIncreasingOrder)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }
}
