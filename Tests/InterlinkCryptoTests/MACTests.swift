import InterlinkCrypto
import Testing

/// HMAC-SHA256 against RFC 4231 and HKDF-SHA256 against RFC 5869.
@Suite struct MACTests {
    @Test(arguments: [
        // RFC 4231 test cases 1, 2, 3, 4, 6 and 7 (case 5 truncates its output).
        (
            [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        (
            Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        (
            [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        (
            Array(1...25), [UInt8](repeating: 0xcd, count: 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        (
            [UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        (
            [UInt8](repeating: 0xaa, count: 131),
            Array(
                ("This is a test using a larger than block-size key and a larger than block-size data. The key needs"
                    + " to be hashed before being used by the HMAC algorithm.").utf8
            ),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ])
    func hmacSHA256MatchesRFC4231(key: [UInt8], message: [UInt8], code: String) {
        #expect(hex(HMAC<SHA256>.authenticationCode(for: message, using: key)) == code)
    }

    @Test func hmacTakesAnEmptyKeyAndAnEmptyMessage() {
        // HMAC pads the key with zeros to a block, so an empty key equals a key of zeros.
        let empty = HMAC<SHA256>.authenticationCode(for: [UInt8](), using: [UInt8]())
        #expect(empty == HMAC<SHA256>.authenticationCode(for: [UInt8](), using: [UInt8](repeating: 0, count: 32)))
        #expect(hex(empty) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func hkdfSHA256MatchesRFC5869() {
        // Test case 1.
        let first = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: [UInt8](repeating: 0x0b, count: 22),
            salt: Array(0x00...0x0c) as [UInt8],
            info: Array(0xf0...0xf9) as [UInt8],
            outputByteCount: 42
        )
        #expect(
            hex(first)
                == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
        )
        // Test case 3: no salt and no info, the way the v1 format calls it (empty salt).
        let third = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: [UInt8](repeating: 0x0b, count: 22),
            salt: [UInt8](),
            info: [UInt8](),
            outputByteCount: 42
        )
        #expect(
            hex(third)
                == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"
        )
    }
}
