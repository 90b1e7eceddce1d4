import Foundation
import InterlinkCore
import InterlinkCrypto
import InterlinkSystem
import InterlinkTransfer

/// Times the upload producer (tar + encrypt + SHA-512) over a directory or one file, discarding the parts.
///
/// Usage: `transfer-bench <dir> [--compression none|gzip|zstd] [--key HEX --iv HEX]` or
/// `transfer-bench --file <path>`; `--chunk BYTES` sets the hash/encrypt granule; `--micro` times 512 MiB of raw
/// AES-256-CBC and of streamed SHA-512 and SHA-256 (all libcrypto, through InterlinkCrypto); `--rates MIB` prints
/// one core's AES-256-CBC and SHA-512 rates over MIB MiB in memory, the pipeline's two stages (bench/transfer's
/// limit), each alone and then both at once on two threads; `<dir> --read-only` only reads the tree's tar stream on
/// one thread, as the producer does (what the read costs it, without tar | wc's pipe copies).
@main
struct TransferBench {
    static func main() async throws {
        if CommandLine.arguments.contains("--micro") {
            micro()
            return
        }
        if let index = CommandLine.arguments.firstIndex(of: "--rates") {
            let count = CommandLine.arguments.dropFirst(index + 1).first.flatMap { Int($0) } ?? 512
            rates(mebibytes: count)
            await ratesTogether(mebibytes: count)
            return
        }
        var arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            let value = arguments[index + 1]
            arguments.removeSubrange(index...(index + 1))
            return value
        }
        let compression = option("--compression").flatMap(Compression.init(rawValue:)) ?? Compression.none
        let key = try option("--key").flatMap(Hex.decode).map { try EncryptionKey(bytes: $0) } ?? .random()
        let iv = try option("--iv").flatMap(Hex.decode).map { try CipherBlock(bytes: $0) } ?? .random()
        let file = option("--file")
        let chunk = option("--chunk").flatMap(Int.init) ?? 1 << 20
        let readOnly = arguments.contains("--read-only")
        arguments.removeAll { $0 == "--read-only" }
        let start = ContinuousClock.now
        let producer: UploadPartProducer
        if let file {
            producer = try UploadPartProducer.file(at: file, key: key, iv: iv, chunkSize: chunk)
        } else {
            guard let directory = arguments.first else {
                FileHandle.standardError.write(Data("usage: transfer-bench <dir> | --file <path>\n".utf8))
                exit(64)
            }
            let absolute = LocalFileSystem().absolute(directory, relativeTo: FileManager.default.currentDirectoryPath)
            let manifest = try ArchiveManifest.make(for: ArchiveInput(directory: absolute), in: LocalFileSystem())
            if readOnly {
                try readTar(manifest, chunk: chunk, since: start)
                return
            }
            producer = try UploadPartProducer.archive(
                manifest,
                compression: compression,
                key: key,
                iv: iv,
                name: "bench",
                chunkSize: chunk
            )
        }
        var ciphertext = 0
        while let part = try await producer.nextPart() { ciphertext += part.bytes.count }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard let summary = producer.summary else { exit(1) }
        let mebibytes = Double(summary.plaintextSize) / 1_048_576
        print("plaintext_bytes=\(summary.plaintextSize) ciphertext_bytes=\(ciphertext) parts=\(summary.partCount)")
        print(
            "part_size=\(producer.partSize) seconds=\(String(format: "%.3f", seconds)) mib_per_s=\(String(format: "%.1f", mebibytes / seconds))"
        )
        print("sha512=\(summary.sha512)")
    }
    /// Reads the manifest's tar stream into one chunk buffer and drops it, printing `read_mib_per_s=…`.
    static func readTar(_ manifest: ArchiveManifest, chunk: Int, since start: ContinuousClock.Instant) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        let source = TarArchiveSource(manifest: manifest)
        var total = 0
        while case let count = try source.readFully(into: buffer), count > 0 { total += count }
        print(
            String(
                format: "read_bytes=%d read_mib_per_s=%.1f",
                total,
                Double(total) / 1_048_576 / seconds(since: start)
            )
        )
    }

    /// Prints one core's AES-256-CBC rate and one core's SHA-512 rate (libcrypto, as the pipeline uses them), each
    /// over `mebibytes` MiB of data already in memory, as `aes_mib_per_s=… sha512_mib_per_s=…`.
    static func rates(mebibytes: Int) {
        let chunk = 1 << 20
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
        defer {
            input.deallocate()
            output.deallocate()
        }
        input.initializeMemory(as: UInt8.self, repeating: 7)
        var chain = CBCChain(key: .random(), iv: .random())
        var start = ContinuousClock.now
        for _ in 0..<mebibytes { chain.encrypt(UnsafeRawBufferPointer(input), into: output) }
        let aes = Double(mebibytes) / seconds(since: start)
        var hasher = SHA512()
        start = ContinuousClock.now
        for _ in 0..<mebibytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(input)) }
        let sha = Double(mebibytes) / seconds(since: start)
        _ = hasher.finalize()
        print(String(format: "aes_mib_per_s=%.1f sha512_mib_per_s=%.1f", aes, sha))
    }

    /// Prints the AES-256-CBC and SHA-512 rates measured at the same time on two threads of the blocking executor,
    /// as the pipeline runs them, as `together_aes_mib_per_s=… together_sha512_mib_per_s=…`: on an idle machine
    /// each equals its rate alone; on a loaded one they show what two threads really get.
    static func ratesTogether(mebibytes: Int) async {
        await withTaskExecutorPreference(BlockingExecutor.shared) {
            async let aes = aesRate(mebibytes: mebibytes)
            async let sha = shaRate(mebibytes: mebibytes)
            let (aesRate, shaRate) = await (aes, sha)
            print(String(format: "together_aes_mib_per_s=%.1f together_sha512_mib_per_s=%.1f", aesRate, shaRate))
        }
    }

    private static func aesRate(mebibytes: Int) async -> Double {
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer {
            input.deallocate()
            output.deallocate()
        }
        input.initializeMemory(as: UInt8.self, repeating: 7)
        var chain = CBCChain(key: .random(), iv: .random())
        let start = ContinuousClock.now
        for _ in 0..<mebibytes { chain.encrypt(UnsafeRawBufferPointer(input), into: output) }
        return Double(mebibytes) / seconds(since: start)
    }

    private static func shaRate(mebibytes: Int) async -> Double {
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { input.deallocate() }
        input.initializeMemory(as: UInt8.self, repeating: 7)
        var hasher = SHA512()
        let start = ContinuousClock.now
        for _ in 0..<mebibytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(input)) }
        let rate = Double(mebibytes) / seconds(since: start)
        _ = hasher.finalize()
        return rate
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func micro() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        buffer.initializeMemory(as: UInt8.self, repeating: 7)
        var chain = CBCChain(key: .random(), iv: .random())
        var start = ContinuousClock.now
        for _ in 0..<512 {
            var out = Data()
            chain.encrypt(UnsafeRawBufferPointer(buffer), appendingTo: &out)
        }
        print("aes 512 MiB:", ContinuousClock.now - start)
        var sha512 = SHA512()
        start = ContinuousClock.now
        for _ in 0..<512 { sha512.update(bufferPointer: UnsafeRawBufferPointer(buffer)) }
        print("sha512 512 MiB:", ContinuousClock.now - start, Hex.encode(sha512.finalize()).prefix(10))
        var sha256 = SHA256()
        start = ContinuousClock.now
        for _ in 0..<512 { sha256.update(bufferPointer: UnsafeRawBufferPointer(buffer)) }
        print("sha256 512 MiB:", ContinuousClock.now - start, Hex.encode(sha256.finalize()).prefix(10))
    }
}
