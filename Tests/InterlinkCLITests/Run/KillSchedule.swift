import Foundation

/// The random moments at which a kill test kills a run, reproducible from one seed.
///
/// The seed comes from `INTERLINK_TEST_SEED` when it is set (to replay a failure), else it is drawn at random;
/// either way the test prints it, and each attempt prints its delay, so a failing attempt can be run again exactly.
/// Each attempt's delay depends only on the seed and the attempt number, not on the order attempts run in.
struct KillSchedule {
    /// The environment variable that replays a schedule.
    static let environmentVariable = "INTERLINK_TEST_SEED"

    /// The seed every delay derives from.
    let seed: UInt64
    /// The delays to choose from, in milliseconds.
    let milliseconds: ClosedRange<Int>

    /// Makes a schedule with the seed from the environment (or a fresh one) and prints it.
    ///
    /// - Parameters:
    ///   - test: The test's name, for the printed line.
    ///   - milliseconds: The delays to choose from.
    ///   - environment: Where `INTERLINK_TEST_SEED` is read.
    init(
        test: String,
        milliseconds: ClosedRange<Int>,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.seed = environment[Self.environmentVariable].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
        self.milliseconds = milliseconds
        print("\(test): seed \(seed); replay with \(Self.environmentVariable)=\(seed)")
    }

    /// The delay before killing attempt `attempt`, in milliseconds (printed with the seed).
    func delay(attempt: Int) -> Int {
        // SplitMix64's finaliser over the seed and the attempt: well spread, and independent of the run order.
        var z = seed &+ UInt64(attempt + 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let delay = milliseconds.lowerBound + Int(z % UInt64(milliseconds.count))
        print("attempt \(attempt): seed \(seed), kill after \(delay) ms")
        return delay
    }

    /// The label for an attempt's expectations: enough to replay it.
    func label(attempt: Int, delay: Int) -> String {
        "kill \(attempt) after \(delay) ms (\(Self.environmentVariable)=\(seed))"
    }
}
