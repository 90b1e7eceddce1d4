/// One member header as ``TarReader`` decodes it, with pax and GNU long-name records applied.
package struct TarMember: Hashable, Sendable {
    /// The member type.
    package enum Kind: Hashable, Sendable {
        case file
        case directory
        case symlink
        case hardLink
        /// Character or block device, or FIFO.
        case special
        /// Any other type flag (sparse, multi-volume, …).
        case unsupported(UInt8)
    }

    /// The name as stored.
    package var name: String
    /// The link target for symlinks and hard links.
    package var linkName: String
    /// What it is.
    package var kind: Kind
    /// Data bytes that follow the header.
    package var size: Int64
    /// Permission bits.
    package var mode: UInt32
    /// Modification time in whole seconds.
    package var modificationTime: Int64
}

/// Limits that keep a hostile archive from exhausting memory or disk.
package struct TarLimits: Hashable, Sendable {
    /// The largest pax or GNU long-name record body, in bytes.
    package var maxMetadataSize: Int64 = 1 << 20
    /// The largest single member, in bytes.
    package var maxEntrySize: Int64 = 1 << 40

    /// The defaults: 1 MiB of metadata per member, 1 TiB per member.
    package init() {}
}

/// Reads tar members from a stream: POSIX ustar, pax (`x` and `g`), and GNU tar's long names (`L` and `K`).
package final class TarReader {
    private let source: any ByteSource
    private let limits: TarLimits
    private var block = [UInt8](repeating: 0, count: 512)
    private var dataRemaining: Int64 = 0
    private var dataPadding = 0
    private var ended = false

    /// Reads from `source` (already decompressed).
    package init(_ source: any ByteSource, limits: TarLimits = TarLimits()) {
        self.source = source
        self.limits = limits
    }

    /// The next member, or nil at the end of the archive; skips any unread data of the previous member.
    ///
    /// - Throws: `TransferError` with `.malformedArchive` for bad checksums, bogus numbers, oversized records or a
    ///   truncated stream.
    package func next() throws(TransferError) -> TarMember? {
        try skipData()
        var overrides: [String: String] = [:]
        var longName: String?
        var longLink: String?
        while !ended {
            guard try readBlock(), block.contains(where: { $0 != 0 }) else {
                ended = true
                return nil
            }
            var member = try TarHeaderDecoder.decode(block, limits: limits)
            switch member.kind {
            case .unsupported(UInt8(ascii: "x")), .unsupported(UInt8(ascii: "g")):
                let body = try readMetadata(member)
                let records = try TarHeaderDecoder.paxRecords(body, entry: member.name)
                if member.kind == .unsupported(UInt8(ascii: "x")) { overrides.merge(records) { $1 } }
            case .unsupported(UInt8(ascii: "L")):
                longName = String(decoding: try readMetadata(member).prefix { $0 != 0 }, as: UTF8.self)
            case .unsupported(UInt8(ascii: "K")):
                longLink = String(decoding: try readMetadata(member).prefix { $0 != 0 }, as: UTF8.self)
            default:
                if let name = overrides["path"] ?? longName { member.name = name }
                if let link = overrides["linkpath"] ?? longLink { member.linkName = link }
                if let text = overrides["size"] {
                    guard let size = Int64(text), size >= 0 else {
                        throw malformed(member.name, "bad pax size '\(text)'")
                    }
                    member.size = size
                }
                if let text = overrides["mtime"], let seconds = Int64(text.prefix { $0 != "." }) {
                    member.modificationTime = seconds
                }
                guard member.size <= limits.maxEntrySize else {
                    throw malformed(member.name, "size \(member.size) is over the limit of \(limits.maxEntrySize)")
                }
                // POSIX: links and directories carry no data whatever their size field says.
                let carriesData = ![.directory, .symlink, .hardLink].contains(member.kind)
                dataRemaining = carriesData ? member.size : 0
                dataPadding = TarHeaderEncoder.padding(dataRemaining)
                return member
            }
        }
        return nil
    }

    /// Reads the current member's data.
    ///
    /// - Returns: Bytes written into `buffer`; 0 when the member's data is exhausted.
    /// - Throws: `TransferError` when the stream ends early.
    package func readData(into buffer: UnsafeMutableRawBufferPointer) throws(TransferError) -> Int {
        guard dataRemaining > 0 else { return 0 }
        let wanted = Int(min(Int64(buffer.count), dataRemaining))
        let count = try source.readFully(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted]))
        guard count == wanted else { throw malformed("data", "the archive ends inside a member") }
        dataRemaining -= Int64(count)
        return count
    }

    private func skipData() throws(TransferError) {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { scratch.deallocate() }
        while try readData(into: scratch) > 0 {}
        var padding = dataPadding
        dataPadding = 0
        while padding > 0 {
            let count = try source.readFully(into: UnsafeMutableRawBufferPointer(rebasing: scratch[..<padding]))
            guard count > 0 else { throw malformed("data", "the archive ends inside padding") }
            padding -= count
        }
    }

    private func readMetadata(_ member: TarMember) throws(TransferError) -> [UInt8] {
        guard member.size <= limits.maxMetadataSize else {
            throw malformed(
                member.name,
                "a \(member.size)-byte metadata record is over the limit of \(limits.maxMetadataSize)"
            )
        }
        var body = [UInt8](repeating: 0, count: Int(member.size) + TarHeaderEncoder.padding(member.size))
        let count = try body.withUnsafeMutableBytes { (buffer) -> Result<Int, TransferError> in
            do throws(TransferError) { return .success(try source.readFully(into: buffer)) } catch {
                return .failure(error)
            }
        }.get()
        guard count == body.count else { throw malformed(member.name, "the archive ends inside a metadata record") }
        return Array(body[..<Int(member.size)])
    }

    /// Reads one block; false at a clean end of stream.
    private func readBlock() throws(TransferError) -> Bool {
        let count = try block.withUnsafeMutableBytes { (buffer) -> Result<Int, TransferError> in
            do throws(TransferError) { return .success(try source.readFully(into: buffer)) } catch {
                return .failure(error)
            }
        }.get()
        if count == 0 { return false }
        guard count == 512 else { throw malformed("header", "the archive ends inside a header") }
        return true
    }

    private func malformed(_ name: String, _ text: String) -> TransferError {
        TransferError(path: name, reason: .malformedArchive(text))
    }
}
