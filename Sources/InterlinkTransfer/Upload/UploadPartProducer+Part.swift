import Foundation

/// A chunk of memory handed to the hashing child task.
///
/// `@unchecked Sendable`: the producer does not write to or free the region until it has awaited the child that
/// reads it, so the child has exclusive read access while it runs.
private struct ChunkView: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
}

extension UploadPartProducer {
    /// Reads, hashes and encrypts one part of S plaintext bytes (fewer in the last part).
    func producePart() async throws(TransferError) -> CiphertextPart {
        if !started {
            started = true
            lookaheadCount = try source.readFully(into: UnsafeMutableRawBufferPointer(rebasing: next[..<chunkSize]))
        }
        let partStart = plaintextOffset
        let output = parts.take()
        var written = 0
        var inPart = 0
        var isLast = false
        while true {
            swap(&current, &next)
            let count = lookaheadCount
            let chunkIsShort = count < min(chunkSize, partSize - inPart)
            inPart += count
            let view = ChunkView(bytes: UnsafeRawBufferPointer(rebasing: current[..<count]))
            let running = hasher
            async let hashed = Self.hash(running, view)
            let aligned = chunkIsShort ? count - count % 16 : count
            chain.encrypt(
                UnsafeRawBufferPointer(rebasing: current[..<aligned]),
                into: UnsafeMutableRawBufferPointer(rebasing: output[written...])
            )
            written += aligned
            var failure: TransferError?
            if chunkIsShort {
                lookaheadCount = 0
            } else {
                let wanted = inPart == partSize ? min(chunkSize, partSize) : min(chunkSize, partSize - inPart)
                do {
                    lookaheadCount = try source.readFully(
                        into: UnsafeMutableRawBufferPointer(rebasing: next[..<wanted])
                    )
                } catch {
                    failure = error
                }
            }
            hasher = await hashed
            if let failure {
                if let base = output.baseAddress { parts.recycle(base) }
                throw failure
            }
            if chunkIsShort || lookaheadCount == 0 {
                isLast = true
                var tail = Array(current[aligned..<count])
                tail += PKCS7.padding(forLength: tail.count)
                tail.withUnsafeBytes {
                    chain.encrypt($0, into: UnsafeMutableRawBufferPointer(rebasing: output[written...]))
                }
                written += tail.count
                break
            }
            if inPart == partSize { break }
        }
        partIndex += 1
        plaintextOffset += Int64(inPart)
        ciphertextOffset += Int64(written)
        precondition(isLast || written == partSize, "a non-final part has exactly S bytes")
        let checkpoint = ChainCheckpoint(
            partIndex: partIndex,
            plaintextOffset: plaintextOffset,
            ciphertextOffset: ciphertextOffset,
            lastCiphertextBlock: chain.chainingBlock
        )
        if isLast {
            finished = true
            summary = UploadSummary(
                plaintextSize: plaintextOffset,
                ciphertextSize: ciphertextOffset,
                partCount: partIndex,
                sha512: Hex.encode(hasher.finalize())
            )
        }
        return CiphertextPart(
            number: partIndex,
            bytes: parts.wrap(output, count: written),
            plaintextRange: partStart..<plaintextOffset,
            checkpoint: checkpoint,
            isLast: isLast
        )
    }

    private static func hash(_ hasher: SHA512Hasher, _ view: ChunkView) async -> SHA512Hasher {
        var hasher = hasher
        hasher.update(bufferPointer: view.bytes)
        return hasher
    }
}
