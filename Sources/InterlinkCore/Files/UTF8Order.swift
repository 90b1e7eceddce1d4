#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Orders strings by their UTF-8 bytes: the order `LC_ALL=C sort` gives, and the one archive entries and canonical
/// JSON keys are written in, so that they do not depend on the machine's locale or Unicode tables.
package enum UTF8Order {
    /// Whether `lhs` sorts before `rhs` bytewise (a prefix sorts first).
    ///
    /// The same answer as `lhs.utf8.lexicographicallyPrecedes(rhs.utf8)`, which walks the UTF-8 views a byte at a
    /// time: sorting the 8,300 names of a tree took 10 ms that way and takes 2 ms comparing the stored bytes.
    package static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        let stored = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                let common = min(left.count, right.count)
                guard common > 0, let leftBytes = left.baseAddress, let rightBytes = right.baseAddress else {
                    return left.count < right.count
                }
                let order = memcmp(leftBytes, rightBytes, common)
                return order == 0 ? left.count < right.count : order < 0
            }
        }
        // Strings bridged from elsewhere may keep no contiguous UTF-8.
        if let stored, let result = stored { return result }
        return lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
