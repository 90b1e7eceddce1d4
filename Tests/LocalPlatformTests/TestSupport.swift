import Crypto
import Foundation
import InterlinkCore
import InterlinkTransfer
import LocalCloud
import Testing

extension Tag {
    @Tag static var integration: Self
}

/// A unique temporary directory, created.
func temporaryDirectory(_ label: String = "local") -> String {
    let path = NSTemporaryDirectory() + "interlink-\(label)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Lowercase hex SHA-512 of bytes.
func sha512(_ bytes: [UInt8]) -> String { Hex.encode(SHA512.hash(data: bytes)) }

/// The contents of a file as text; empty when it cannot be read.
func text(at path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

/// Encrypts `plaintext` as a v2 object at `path` (through the real upload producer) and describes it as an input.
func storeInput(
    _ plaintext: [UInt8],
    name: String,
    at path: String,
    decompress: Bool = true,
    sha512 checksum: String? = nil
) async throws -> ExecutionInput {
    let key = EncryptionKey.random()
    let iv = CipherBlock.random()
    let producer = UploadPartProducer(
        source: MemorySource(plaintext),
        key: key,
        iv: iv,
        partSize: 1 << 16,
        path: name,
        chunkSize: 1 << 14
    )
    var object = Data()
    while let part = try await producer.nextPart() { object += part.bytes }
    try object.write(to: URL(fileURLWithPath: path))
    let format = try ObjectFormat.detect(metadata: producer.metadata.pairs, recordIV: nil, path: path)
    return ExecutionInput(
        name: name,
        objectPath: path,
        key: key,
        format: format,
        sha512: checksum ?? sha512(plaintext),
        decryptedSize: Int64(plaintext.count),
        decompress: decompress
    )
}

/// Hand-built ustar archives, independent of our writer, including hostile ones.
enum RawTar {
    static func header(_ name: String, type: Character = "0", size: Int = 0, link: String = "") -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, _ offset: Int) { for (i, b) in text.utf8.enumerated() { block[offset + i] = b } }
        put(name, 0)
        put("0000644", 100)
        put("0000000", 108)
        put("0000000", 116)
        put(String(format: "%011o", size), 124)
        put("00000000000", 136)
        put("        ", 148)
        put(String(type), 156)
        put(link, 157)
        put("ustar", 257)
        put("00", 263)
        let sum = block.reduce(0) { $0 + Int($1) }
        put(String(format: "%06o", sum) + "\0 ", 148)
        return block
    }

    static func file(_ name: String, _ contents: String) -> [UInt8] {
        let data = Array(contents.utf8)
        return header(name, size: data.count) + data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    static func archive(_ members: [UInt8]...) -> [UInt8] {
        members.flatMap { $0 } + [UInt8](repeating: 0, count: 1024)
    }
}

/// Collects the statuses an executor reports.
actor StatusRecorder {
    private(set) var statuses: [JobStatus] = []

    func record(_ status: JobStatus) { statuses.append(status) }
}

/// Whether a process is gone (no such process, or a zombie nobody reaped yet).
func processIsGone(_ pid: pid_t) -> Bool {
    if kill(pid, 0) != 0 { return true }
    let stat = text(at: "/proc/\(pid)/stat")
    guard let close = stat.lastIndex(of: ")") else { return true }
    return stat[stat.index(close, offsetBy: 2)] == "Z"
}
