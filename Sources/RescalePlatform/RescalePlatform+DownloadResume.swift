import Foundation
import InterlinkCrypto
import InterlinkStorage
import InterlinkSystem
import InterlinkTransfer

/// How an encrypted object is read: one CBC chain (v0, v2) or v1 parts, each in ranges of at most 8 MiB.
enum DownloadLayout {
    /// v0 and v2: one CBC chain from the object's IV, read in ranges of `rangeSize` bytes (a multiple of 16).
    case chained(iv: CipherBlock, rangeSize: Int64)
    /// v1: parts with keys of their own, read in ranges of `rangeSize` bytes (a multiple of 16) that may end inside
    /// a part or span parts, so a range never holds a whole part (up to 64 MiB).
    case perPart(V1PartDecryptor, rangeSize: Int64)

    /// The range size, whatever the object's part size: 8 MiB (as `aws s3 cp` reads), so a download holds about
    /// (W + 1) ranges of 8 MiB however large the file's parts were (32–64 MiB above 100 MiB).
    static let rangeSize: Int64 = 8 << 20

    /// The ciphertext bytes of one range.
    var rangeSize: Int64 {
        switch self {
        case .chained(_, let rangeSize), .perPart(_, let rangeSize): rangeSize
        }
    }

    /// The plaintext bytes written before range `index`: CBC keeps lengths; a v1 part's padding is not written.
    func plaintext(before index: Int) -> Int64 {
        switch self {
        case .chained(_, let rangeSize): Int64(index) * rangeSize
        case .perPart(let parts, let rangeSize):
            V1StreamDecryptor.plaintextOffset(atCiphertext: Int64(index) * rangeSize, parts: parts)
        }
    }

    /// How many whole ranges a prefix of `length` plaintext bytes holds.
    func ranges(in length: Int64) -> Int {
        switch self {
        case .chained(_, let rangeSize): Int(length / rangeSize)
        case .perPart(let parts, let rangeSize):
            Int(V1StreamDecryptor.ciphertextOffset(keeping: length, parts: parts) / rangeSize)
        }
    }
}

extension RescalePlatform {
    /// How many whole ranges an earlier attempt left in `partial`, never the last one (whose padding is checked
    /// only when it is read); 0 when there is no such file.
    ///
    /// - Parameters:
    ///   - partial: The `<path>.partial` file.
    ///   - layout: How the object is read.
    ///   - rangeCount: The object's number of ranges.
    /// - Returns: The ranges that can be kept.
    static func completeRanges(in partial: String, layout: DownloadLayout, rangeCount: Int) -> Int {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: partial),
            (attributes[.type] as? FileAttributeType) == .typeRegular,
            let length = (attributes[.size] as? NSNumber)?.int64Value, length > 0
        else { return 0 }
        return min(layout.ranges(in: length), rangeCount - 1)
    }

    /// The decryptor for a download that starts at `start`: from the beginning, or after the kept prefix of
    /// `partial`, whose plaintext is hashed again, with the ciphertext block before the first missing range (read
    /// from storage) as the chaining block, unless that range starts a v1 part (whose IV is derived).
    func streamDecryptor(
        _ layout: DownloadLayout,
        key: EncryptionKey,
        resumingAt start: DownloadCheckpoint,
        partial: String,
        target: StorageTarget,
        name: String
    ) async throws -> any ObjectStreamDecryptor {
        let offset = Int64(start.rangesDone) * layout.rangeSize
        guard offset > 0 else {
            switch layout {
            case .chained(let iv, _): return CBCStreamDecryptor(key: key, iv: iv, path: name)
            case .perPart(let parts, _):
                return V1StreamDecryptor(parts: parts, objectSize: start.objectSize, path: name)
            }
        }
        func blockBefore() async throws -> CipherBlock {
            let block = try await target.store.read(start.key, range: (offset - 16)...(offset - 1))
            return try Self.mapTransfer { () throws(TransferError) in
                try CipherBlock(bytes: Array(block.readableBytesView))
            }
        }
        var hasher = SHA512()
        try await withTaskExecutorPreference(BlockingExecutor.shared) {
            try Self.readPrefix(of: partial, length: start.bytesWritten) { hasher.update(data: $0) }
        }
        switch layout {
        case .chained:
            let block = try await blockBefore()
            return CBCStreamDecryptor(key: key, resumingAt: offset, previousBlock: block, hasher: hasher, path: name)
        case .perPart(let parts, _):
            let startsAPart = offset % Int64(parts.encryptedPartSize) == 0
            return V1StreamDecryptor(
                parts: parts,
                objectSize: start.objectSize,
                resumingAt: offset,
                previousBlock: startsAPart ? nil : try await blockBefore(),
                hasher: hasher,
                path: name
            )
        }
    }

    /// Reads the first `length` bytes of a file in chunks of at most 1 MiB.
    private static func readPrefix(of path: String, length: Int64, _ body: (Data) -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TransferError(path: path, reason: .sizeMismatch(expected: length, actual: 0))
        }
        defer { try? handle.close() }
        var remaining = length
        while remaining > 0 {
            try Task.checkCancellation()
            guard let chunk = try handle.read(upToCount: Int(min(remaining, 1 << 20))), !chunk.isEmpty else {
                throw TransferError(path: path, reason: .sizeMismatch(expected: length, actual: length - remaining))
            }
            body(chunk)
            remaining -= Int64(chunk.count)
        }
    }
}

extension TransferError {
    /// Whether the finished file failed its size or SHA-512 check.
    var isVerificationFailure: Bool {
        switch reason {
        case .checksumMismatch, .sizeMismatch: true
        default: false
        }
    }
}
