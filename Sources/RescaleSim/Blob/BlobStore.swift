import Foundation
import InterlinkCrypto

/// The emulator's blob data: containers, committed block blobs, and staged (uncommitted) blocks.
package actor BlobStore {
    /// A committed blob.
    package struct Blob: Sendable {
        /// The content.
        package var bytes: [UInt8]
        /// User metadata, names as sent.
        package var metadata: [(String, String)]
        /// The committed blocks (id and size) when written by Put Block List; one implicit block for Put Blob.
        package var blocks: [(id: String, size: Int)]
        /// The quoted entity tag.
        package var etag: String
        /// When it was last written.
        package var lastModified: Date
        /// When it was first created.
        package var created: Date
        /// The stored Content-MD5 property (base64), if any.
        package var contentMD5: String?
    }

    struct Container {
        var blobs: [String: Blob] = [:]
        var staged: [String: [String: [UInt8]]] = [:]
    }

    private var containers: [String: Container] = [:]
    private var etagCounter: UInt64 = 0x8DC0_0000_0000_0000

    /// Creates an empty store.
    package init() {}

    /// Creates a container; creating an existing one fails with `ContainerAlreadyExists`.
    package func createContainer(_ name: String) throws {
        guard containers[name] == nil else {
            throw BlobError("ContainerAlreadyExists", 409, "The specified container already exists.")
        }
        containers[name] = Container()
    }

    /// A committed blob, for tests and handlers.
    package func blob(_ name: String, in container: String) throws -> Blob {
        guard let holder = containers[container] else { throw BlobError.containerNotFound }
        guard let blob = holder.blobs[name] else { throw BlobError.blobNotFound }
        return blob
    }

    /// Whether a committed blob exists.
    func exists(_ name: String, in container: String) throws -> Bool {
        guard let holder = containers[container] else { throw BlobError.containerNotFound }
        return holder.blobs[name] != nil
    }

    /// Put Blob: replaces the blob, discards staged blocks, stores an MD5 of the content.
    func putBlob(_ name: String, in container: String, bytes: [UInt8], metadata: [(String, String)]) throws -> Blob {
        guard containers[container] != nil else { throw BlobError.containerNotFound }
        let md5 = Data(Insecure.MD5.hash(data: bytes)).base64EncodedString()
        let blob = makeBlob(name, in: container, bytes: bytes, metadata: metadata, blocks: [], md5: md5)
        containers[container]?.staged[name] = nil
        return blob
    }

    /// Put Block: stages a block; all block ids of one blob (staged and committed) must have the same length.
    func putBlock(_ id: String, of name: String, in container: String, bytes: [UInt8]) throws {
        guard let holder = containers[container] else { throw BlobError.containerNotFound }
        let known = (holder.staged[name]?.keys.map(\.count) ?? []) + (holder.blobs[name]?.blocks.map(\.id.count) ?? [])
        if let length = known.first, length != id.count {
            throw BlobError("InvalidBlobOrBlock", 400, "The specified blob or block content is invalid.")
        }
        guard (holder.staged[name]?.count ?? 0) < 100_000 || holder.staged[name]?[id] != nil else {
            throw BlobError(
                "BlockCountExceedsLimit",
                409,
                "The uncommitted block count cannot exceed the maximum limit of 100,000 blocks."
            )
        }
        containers[container]?.staged[name, default: [:]][id] = bytes
    }

    /// Put Block List: resolves each entry, builds the blob, replaces its metadata, discards the other staged blocks.
    func commit(
        _ entries: [BlobXML.ListEntry],
        of name: String,
        in container: String,
        metadata: [(String, String)],
        contentMD5: String?
    ) throws -> Blob {
        guard let holder = containers[container] else { throw BlobError.containerNotFound }
        guard entries.count <= 50_000 else { throw BlobError.invalidBlockList }
        let staged = holder.staged[name] ?? [:]
        var committed: [String: [UInt8]] = [:]
        if let existing = holder.blobs[name] {
            var offset = 0
            for block in existing.blocks {
                committed[block.id] = Array(existing.bytes[offset..<offset + block.size])
                offset += block.size
            }
        }
        var bytes: [UInt8] = []
        var blocks: [(id: String, size: Int)] = []
        for entry in entries {
            let found: [UInt8]?
            let id: String
            switch entry {
            case .latest(let value):
                id = value
                found = staged[value] ?? committed[value]
            case .committed(let value):
                id = value
                found = committed[value]
            case .uncommitted(let value):
                id = value
                found = staged[value]
            }
            guard let found else { throw BlobError.invalidBlockList }
            bytes += found
            blocks.append((id, found.count))
        }
        let blob = makeBlob(name, in: container, bytes: bytes, metadata: metadata, blocks: blocks, md5: contentMD5)
        containers[container]?.staged[name] = nil
        return blob
    }

    /// Get Block List: the committed and staged blocks of a blob.
    func blockList(of name: String, in container: String) throws -> (
        committed: [(String, Int)], staged: [(String, Int)]
    ) {
        guard let holder = containers[container] else { throw BlobError.containerNotFound }
        let committed = holder.blobs[name]?.blocks.map { ($0.id, $0.size) }
        let staged = holder.staged[name].map { $0.map { ($0.key, $0.value.count) }.sorted { $0.0 < $1.0 } }
        guard committed != nil || staged != nil else { throw BlobError.blobNotFound }
        return (committed ?? [], staged ?? [])
    }

    private func makeBlob(
        _ name: String,
        in container: String,
        bytes: [UInt8],
        metadata: [(String, String)],
        blocks: [(id: String, size: Int)],
        md5: String?
    ) -> Blob {
        etagCounter += 1
        let now = Date()
        let created = containers[container]?.blobs[name]?.created ?? now
        let etag = "\"0x\(String(etagCounter, radix: 16, uppercase: true))\""
        let blob = Blob(
            bytes: bytes,
            metadata: metadata,
            blocks: blocks,
            etag: etag,
            lastModified: now,
            created: created,
            contentMD5: md5
        )
        containers[container]?.blobs[name] = blob
        return blob
    }
}
