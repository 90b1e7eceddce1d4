import Crypto
import Foundation
import InterlinkTransfer
import Testing

@Suite struct SHA512HasherTests {
    @Test func matchesSwiftCryptoForAnySplit() {
        let bytes = (0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 17) }
        let expected = Array(SHA512.hash(data: bytes))
        for split in [0, 1, 127, 128, 129, 65_536, 100_003] {
            var hasher = SHA512Hasher()
            hasher.update(data: bytes[..<split])
            hasher.update(data: bytes[split...])
            #expect(hasher.finalize() == expected, "split at \(split)")
        }
        #expect(SHA512Hasher.hash([UInt8]()) == Array(SHA512.hash(data: [UInt8]())))
    }

    @Test func copiesAreIndependentAndFinalizeDoesNotConsume() {
        var prefix = SHA512Hasher()
        prefix.update(data: Array("abc".utf8))
        var longer = prefix
        longer.update(data: Array("def".utf8))
        #expect(prefix.finalize() == Array(SHA512.hash(data: Array("abc".utf8))))
        #expect(longer.finalize() == Array(SHA512.hash(data: Array("abcdef".utf8))))
        prefix.update(data: Array("xyz".utf8))
        #expect(prefix.finalize() == Array(SHA512.hash(data: Array("abcxyz".utf8))))
    }
}
