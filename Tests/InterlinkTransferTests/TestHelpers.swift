import Foundation
import InterlinkTestSupport
import InterlinkTransfer
import Testing

/// A unique temporary directory, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "interlink-transfer-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func sub(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = sub(name)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }
}

struct ToolResult {
    var status: Int32
    var output: Data
    var errors: String
}

/// Runs a program with an argument array, optionally feeding stdin from a file, off the cooperative pool.
func runTool(_ arguments: [String], stdinFile: String? = nil, directory: String? = nil) async throws -> ToolResult {
    let result = try await ChildProcess.run("/usr/bin/env", arguments, inputFile: stdinFile, directory: directory)
    return ToolResult(status: result.status, output: result.stdout, errors: result.stderrText)
}

/// Deterministic pseudo-random bytes (a 64-bit LCG), so failures reproduce.
func patternBytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    var bytes = [UInt8](repeating: 0, count: count)
    for index in 0..<count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        bytes[index] = UInt8(truncatingIfNeeded: state >> 33)
    }
    return bytes
}

/// Drains a producer into its parts.
func collectParts(_ producer: UploadPartProducer) async throws -> [CiphertextPart] {
    var parts: [CiphertextPart] = []
    while let part = try await producer.nextPart() { parts.append(part) }
    return parts
}

let toyKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
let toyIV = "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"

func makeKey(_ hex: String = toyKey) throws -> EncryptionKey {
    try EncryptionKey(bytes: Hex.decode(hex) ?? [])
}

func makeIV(_ hex: String = toyIV) throws -> CipherBlock {
    try CipherBlock(bytes: Hex.decode(hex) ?? [])
}
