import InterlinkTransfer
import Testing

@Suite struct RandomDrawTests {
    /// Returns the scripted words in order.
    struct ScriptedGenerator: RandomNumberGenerator {
        var words: [UInt64]

        mutating func next() -> UInt64 { words.removeFirst() }
    }

    @Test func theSuffixTakesEightBytesADrawLowByteFirstAndSkipsBytesOf248AndMore() {
        // Bytes 0, 1, 61, 62, 255 (skipped), 248 (skipped), 247, 25 (characters A, B, 9, A, 9, Z); then zero
        // bytes (A).
        var generator = ScriptedGenerator(words: [0x19F7_F8FF_3E3D_0100, 0, 0, 0])
        let suffix = ObjectNameSuffix.make(using: &generator)
        #expect(suffix == "AB9A9Z" + String(repeating: "A", count: 16))
        #expect(generator.words.count == 1, "three draws for 22 characters with two bytes skipped")
    }
}
