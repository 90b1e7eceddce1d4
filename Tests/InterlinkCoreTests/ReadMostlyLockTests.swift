import Foundation
import Testing

@testable import InterlinkCore

/// ``ReadMostlyLock``: readers see whole writes only, and every write lands.
@Suite struct ReadMostlyLockTests {
    @Test func concurrentReadersSeeWholeWritesAndEveryWriteLands() async {
        // The two halves of the value are always written together: a reader that sees them differ saw half a write.
        let lock = ReadMostlyLock((left: 0, right: 0))
        let torn = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var torn = 0
                    for step in 0..<2_000 {
                        if (step + task) % 10 == 0 {
                            lock.write { value in
                                value.left += 1
                                value.right += 1
                            }
                        } else {
                            torn += lock.read { value in value.left == value.right ? 0 : 1 }
                        }
                    }
                    return torn
                }
            }
            return await group.reduce(0, +)
        }
        #expect(torn == 0)
        #expect(lock.read { $0.left } == 8 * 200)
        #expect(lock.read { $0.right } == 8 * 200)
    }

    @Test func aReadReturnsWhatItsBodyReturnsAndAWriteToo() {
        let lock = ReadMostlyLock(["a": 1])
        #expect(lock.read { $0["a"] } == 1)
        let old = lock.write { value -> Int? in
            defer { value["a"] = 2 }
            return value["a"]
        }
        #expect(old == 1)
        #expect(lock.read { $0["a"] } == 2)
    }
}
