import InterlinkCore

extension UploadPartProducer {
    /// The producer for an archive input: manifest → tar → optional compression → encryption.
    ///
    /// S comes from ``PartSize`` applied to the uncompressed tar size (exact before any byte is read, and the
    /// same on every run), unless `partSize` is given.
    ///
    /// - Parameters:
    ///   - manifest: The entries, from ``ArchiveManifest/make(for:in:)``.
    ///   - compression: How to compress the tar stream.
    ///   - key: The AES-256 key.
    ///   - iv: IV0.
    ///   - partSize: S to use instead of the table.
    ///   - name: The archive's name, for error messages.
    ///   - chunkSize: The read, hash and encrypt granule in bytes.
    ///   - checkpoint: Resume after this boundary.
    /// - Returns: A producer whose first ``nextPart()`` starts reading.
    /// - Throws: `TransferError` when the archive would exceed the part limit or the compressor cannot start.
    package static func archive(
        _ manifest: ArchiveManifest,
        compression: Compression,
        key: EncryptionKey,
        iv: CipherBlock,
        partSize: Int? = nil,
        name: String,
        chunkSize: Int = 1 << 20,
        resumingFrom checkpoint: ChainCheckpoint? = nil
    ) throws(TransferError) -> UploadPartProducer {
        let tarSize = TarArchiveSource.archiveSize(of: manifest)
        let size = partSize ?? PartSize.forPlaintextSize(tarSize)
        try PartSize.checkLimit(plaintextSize: tarSize, partSize: size, path: name)
        var source: any ByteSource = TarArchiveSource(manifest: manifest)
        if let codec = try compression.makeCompressor() { source = CodecSource(source, codec: codec) }
        return UploadPartProducer(
            source: source,
            key: key,
            iv: iv,
            partSize: size,
            path: name,
            chunkSize: chunkSize,
            resumingFrom: checkpoint
        )
    }

    /// The producer for one plain file (a shared input uploaded as it is, or a benchmark).
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - key: The AES-256 key.
    ///   - iv: IV0.
    ///   - partSize: S to use instead of ``PartSize`` applied to the file's size.
    ///   - chunkSize: The read, hash and encrypt granule in bytes.
    ///   - checkpoint: Resume after this boundary.
    /// - Returns: A producer over the file.
    /// - Throws: `TransferError` when the file cannot be opened or is too large.
    package static func file(
        at path: String,
        key: EncryptionKey,
        iv: CipherBlock,
        partSize: Int? = nil,
        chunkSize: Int = 1 << 20,
        resumingFrom checkpoint: ChainCheckpoint? = nil
    ) throws(TransferError) -> UploadPartProducer {
        let source = try FileSource(path: path)
        let size = partSize ?? PartSize.forPlaintextSize(source.size)
        try PartSize.checkLimit(plaintextSize: source.size, partSize: size, path: path)
        return UploadPartProducer(
            source: source,
            key: key,
            iv: iv,
            partSize: size,
            path: path,
            chunkSize: chunkSize,
            resumingFrom: checkpoint
        )
    }
}
