import Foundation

/// `rescale-bench submit <count> <rateScale> <concurrency>`: the submission-rate half of `bench/rescale/run.sh`.
///
/// The storage and workflow halves drive the `rescale-sim` and `rescale-int` binaries from the script; this one needs
/// the emulator in process, so both sides' buckets can be scaled by one factor (see ``SubmitRate``).
@main
struct RescaleBench {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 5, arguments[1] == "submit", let count = Int(arguments[2]), count > 0,
            let rateScale = Double(arguments[3]), rateScale > 0, let concurrency = Int(arguments[4]), concurrency > 0
        else {
            FileHandle.standardError.write(Data("usage: rescale-bench submit count rateScale concurrency\n".utf8))
            exit(64)
        }
        let bench = SubmitRate(count: count, rateScale: rateScale, concurrency: concurrency)
        let result = try await bench.run()
        print(bench.report(result), terminator: "")
    }
}
