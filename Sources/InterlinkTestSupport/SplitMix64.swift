/// A small seeded generator (SplitMix64), so a randomized test's failure can be reproduced from its seed.
package struct SplitMix64: RandomNumberGenerator {
    /// The generator's state; the seed to begin with.
    package var state: UInt64

    /// Starts from a seed.
    package init(state: UInt64) { self.state = state }

    /// Starts from a seed.
    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
