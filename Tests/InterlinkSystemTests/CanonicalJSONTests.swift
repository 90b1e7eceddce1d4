import Foundation
import InterlinkCore
import Testing

/// Content hashes are SHA-256 of ``CanonicalJSON``; it must write exactly what `JSONEncoder` wrote before it, or
/// every journaled job would look changed after an upgrade.
@Suite struct CanonicalJSONTests {
    static func foundation(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    @Test(arguments: [
        "examples/yaml-sweep/workflow.yaml", "examples/dag-shared/workflow.yaml", "examples/sge-scripts/workflow.yaml",
        "workflows/sweep-study.yaml", "workflows/run-directories.yaml",
    ])
    func equalsJSONEncoderOnEveryShippedJobAndSharedInput(path: String) throws {
        let workflow = try ShippedWorkflowTests.load(path)
        #expect(!workflow.jobs.isEmpty)
        for job in workflow.jobs {
            let ours = try CanonicalJSON.encode(job)
            #expect(ours == (try Self.foundation(job)), "\(job.name)")
            #expect(ours.count > 20)
        }
        for shared in workflow.sharedInputs {
            #expect(try CanonicalJSON.encode(shared.source) == (try Self.foundation(shared.source)))
        }
    }

    struct Sample: Codable, Equatable {
        var text: String
        var number: Double
        var float: Float
        var count: Int
        var small: Int8
        var big: UInt64
        var flag: Bool
        var missing: String?
        var list: [String]
        var table: [String: [Int]]
        var nested: [String: Sample]?
    }

    static let strings = [
        "", "plain", "quote \" and backslash \\", "slash / path/to/file", "tab\tnew\nline\r", "\u{0}\u{1}\u{1F}\u{7F}",
        "\u{8}\u{C}", "é ü 日本 🚀", "\u{2028}\u{2029}", "{}[],:",
    ]
    static let numbers: [Double] = [
        0, -0.0, 1, 2.0, 1.5, 0.1, -3.25, 1e20, 1e-7, 123_456_789.125, 1.7976931348623157e308,
    ]

    @Test func equalsJSONEncoderOnScalarsAndContainers() throws {
        for (index, text) in Self.strings.enumerated() {
            let number = Self.numbers[index % Self.numbers.count]
            let inner = Sample(
                text: text,
                number: -number,
                float: Float(number / 3),
                count: -index,
                small: -8,
                big: .max,
                flag: false,
                missing: text,
                list: [],
                table: [:],
                nested: nil
            )
            let sample = Sample(
                text: text,
                number: number,
                float: Float(number),
                count: index * 1_000_003,
                small: Int8(index),
                big: UInt64(index) << 40,
                flag: index.isMultiple(of: 2),
                missing: nil,
                list: Self.strings,
                table: ["b": [1, 2], "a": [], "B": [3], "é": [4], "a b": [5], text: [index]],
                nested: ["z": inner, "": inner, "m/n": inner]
            )
            #expect(try CanonicalJSON.encode(sample) == (try Self.foundation(sample)), "\(text.debugDescription)")
        }
        #expect(try CanonicalJSON.encode([Double]()) == Array("[]".utf8))
        #expect(try CanonicalJSON.encode(["k": Optional<Int>.none]) == (try Self.foundation(["k": Optional<Int>.none])))
    }

    @Test func refusesNonFiniteNumbersLikeJSONEncoder() {
        #expect(throws: EncodingError.self) { try CanonicalJSON.encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try CanonicalJSON.encode(["x": Double.infinity]) }
    }
}
