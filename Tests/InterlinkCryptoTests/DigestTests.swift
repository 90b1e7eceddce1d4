import Foundation
import InterlinkCrypto
import Testing

/// Known answers from FIPS 180-4's examples and RFC 1321's test suite, and the incremental paths against the
/// one-shot `EVP_Digest` path.
@Suite struct DigestTests {
    private static let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)

    @Test func sha256MatchesTheStandardVectors() {
        #expect(hex(SHA256.hash(data: [UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            hex(SHA256.hash(data: Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
        #expect(
            hex(SHA256.hash(data: Self.million)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        )
        var hasher = SHA256()
        for _ in 0..<1000 { hasher.update(data: Self.million[..<1000]) }
        #expect(hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func sha512MatchesTheStandardVectors() {
        #expect(
            hex(SHA512.hash(data: [UInt8]()))
                == "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
        )
        #expect(
            hex(SHA512.hash(data: Data("abc".utf8)))
                == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        )
        let million =
            "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
            + "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"
        #expect(hex(SHA512.hash(data: Self.million)) == million)
        var hasher = SHA512()
        for _ in 0..<1000 { Self.million[..<1000].withUnsafeBytes { hasher.update(bufferPointer: $0) } }
        #expect(hex(hasher.finalize()) == million)
    }

    @Test func md5MatchesRFC1321() {
        let vectors = [
            "": "d41d8cd98f00b204e9800998ecf8427e",
            "a": "0cc175b9c0f1b6a831c399e269772661",
            "abc": "900150983cd24fb0d6963f7d28e17f72",
            "message digest": "f96b697d7cb7938d525a2f31aaf161d0",
            "abcdefghijklmnopqrstuvwxyz": "c3fcd3d76192e4007dfb496cca67e13b",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789": "d174ab98d277d9f5a5611c2c9f419d9f",
            String(repeating: "1234567890", count: 8): "57edf4a22be3c955ac49da2e2107b67a",
        ]
        for (message, digest) in vectors {
            #expect(hex(Insecure.MD5.hash(data: Array(message.utf8))) == digest, "MD5(\"\(message)\")")
        }
    }

    @Test func incrementalHashingEqualsOneShotAtRandomSplits() {
        var generator = SplitMix64(seed: 0x1f2e_3d4c)
        let message = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for _ in 0..<50 {
            var cuts = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                Int.random(in: 0...message.count, using: &generator)
            }
            cuts = [0] + cuts.sorted() + [message.count]
            var sha256 = SHA256()
            var sha512 = SHA512()
            var md5 = Insecure.MD5()
            for (start, end) in zip(cuts, cuts.dropFirst()) {
                message[start..<end].withUnsafeBytes { sha256.update(bufferPointer: $0) }
                sha512.update(data: message[start..<end])
                md5.update(data: Data(message[start..<end]))
            }
            #expect(sha256.finalize() == SHA256.hash(data: message), "cuts \(cuts)")
            #expect(sha512.finalize() == SHA512.hash(data: message), "cuts \(cuts)")
            #expect(md5.finalize() == Insecure.MD5.hash(data: message), "cuts \(cuts)")
        }
    }

    @Test func nonContiguousDataIsHashedRegionByRegion() {
        var data = DispatchData.empty
        for part in ["ab", "", "c"] { Array(part.utf8).withUnsafeBytes { data.append(DispatchData(bytes: $0)) } }
        #expect(data.regions.count > 1)
        #expect(SHA512.hash(data: data) == SHA512.hash(data: Array("abc".utf8)))
    }

    @Test func copiesAreIndependentResumePoints() {
        var prefix = SHA512()
        prefix.update(data: Array("abc".utf8))
        var longer = prefix
        longer.update(data: Array("def".utf8))
        #expect(prefix.finalize() == SHA512.hash(data: Array("abc".utf8)))
        #expect(longer.finalize() == SHA512.hash(data: Array("abcdef".utf8)))
        prefix.update(data: Array("xyz".utf8))
        #expect(prefix.finalize() == SHA512.hash(data: Array("abcxyz".utf8)))
        #expect(longer.finalize() == SHA512.hash(data: Array("abcdef".utf8)), "finalize does not end a hasher")
    }

    @Test func copiesCanBeFedInDifferentTasks() async {
        var start = SHA256()
        start.update(data: Array("shared prefix ".utf8))
        let base = start
        let digests = await withTaskGroup(of: (Int, [UInt8]).self) { group in
            for index in 0..<8 {
                group.addTask {
                    var hasher = base
                    for _ in 0..<100 { hasher.update(data: Array("task \(index) ".utf8)) }
                    return (index, hasher.finalize())
                }
            }
            var digests: [Int: [UInt8]] = [:]
            for await (index, digest) in group { digests[index] = digest }
            return digests
        }
        for index in 0..<8 {
            let message = "shared prefix " + String(repeating: "task \(index) ", count: 100)
            #expect(digests[index] == SHA256.hash(data: Array(message.utf8)), "task \(index)")
        }
        #expect(base.finalize() == SHA256.hash(data: Array("shared prefix ".utf8)))
    }
}

/// Lowercase hex, written here so the tests do not lean on the code under test.
func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

/// A seeded generator (SplitMix64), so a failing split is reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
