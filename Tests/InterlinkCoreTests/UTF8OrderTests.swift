import Foundation
import InterlinkCore
import Testing

@Suite struct UTF8OrderTests {
    /// Names that differ early, late, by a prefix, by case, past ASCII (where bytewise and Unicode order part), and
    /// long ones beyond the inline small-string size.
    private let names = [
        "", "a", "A", "a/b", "a.b", "a0", "ab", "abc", "abd", "Run_1", "Run_10", "Run_2", "run_1", "é", "e\u{301}", "z",
        "ü", "日本", "日", "\u{10FFFF}", "\u{FFFD}", "~", " ",
        String(repeating: "p", count: 40) + "/x", String(repeating: "p", count: 40) + "/y",
        String(repeating: "p", count: 40),
        "Run_1/small/d3/s_00017", "Run_1/small/d3/s_00107", "Run_1/small/d3/s_0001",
    ]

    @Test func agreesWithTheUTF8ViewsOnEveryPair() {
        for left in names {
            for right in names {
                #expect(
                    UTF8Order.precedes(left, right) == left.utf8.lexicographicallyPrecedes(right.utf8),
                    "\(left.debugDescription) < \(right.debugDescription)"
                )
            }
        }
    }

    @Test func bridgedStringsCompareTheSame() {
        // Strings that come through NSString may keep UTF-16 storage: the fallback answers for them.
        let bridged = names.map { String(NSString(string: $0)) }
        for (left, bridgedLeft) in zip(names, bridged) {
            for right in names {
                #expect(UTF8Order.precedes(bridgedLeft, right) == left.utf8.lexicographicallyPrecedes(right.utf8))
            }
        }
    }

    @Test func sortsBytewiseNotByUnicodeOrNaturalOrder() {
        let sorted = ["Run_2", "Run_10", "e\u{301}", "é", "B", "a"].sorted(by: UTF8Order.precedes)
        // Swift's `==` takes "e\u{301}" and "é" as equal: compare the bytes.
        let expected = ["B", "Run_10", "Run_2", "a", "e\u{301}", "é"]
        #expect(sorted.map { Array($0.utf8) } == expected.map { Array($0.utf8) })
    }
}
