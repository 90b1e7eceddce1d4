import Foundation
import InterlinkCore
import InterlinkCrypto
import InterlinkTransfer
import LocalCloud
import Testing

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
