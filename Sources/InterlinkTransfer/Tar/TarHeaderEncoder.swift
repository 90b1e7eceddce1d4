import InterlinkCore

/// Encodes the header blocks of one archive member: a POSIX ustar header, preceded by a pax extended header when
/// the name or link target is longer than 100 bytes, the size is 8 GiB or more, or the mtime has a fraction.
///
/// The owner is fixed (uid and gid 0, empty user and group names) so archives do not depend on who made them.
package enum TarHeaderEncoder {
    /// The tar block size.
    package static let blockSize = 512
    /// The largest value an 11-digit octal field holds (8 GiB − 1).
    static let maxOctal11: Int64 = 0o77777777777

    /// The header bytes (a multiple of 512) that precede an entry's data.
    ///
    /// - Parameter entry: The member.
    /// - Returns: The pax header (if any) with its records, then the ustar header.
    package static func headerBlocks(for entry: ArchiveManifest.Entry) -> [UInt8] {
        // One array of the header's final size, written in place: a header per file is on the path of every
        // archived byte, and a tree of small files is mostly headers.
        let layout = Layout(of: entry)
        let total = layout.total
        let (slash, seconds) = (layout.slash, layout.seconds)
        let typeflag: UInt8
        var target: String.UTF8View?
        switch entry.kind {
        case .file: typeflag = UInt8(ascii: "0")
        case .directory: typeflag = UInt8(ascii: "5")
        case .symlink(let link):
            typeflag = UInt8(ascii: "2")
            target = link.utf8
        }
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            buffer.initialize(repeating: 0)
            if layout.body > 0 {
                var writer = BlockWriter(buffer: buffer, offset: blockSize)
                if layout.nameLength > 100 {
                    writer.record("path", valueLength: layout.nameLength) { writer in
                        writer.put(entry.name.utf8)
                        if let slash { writer.put(CollectionOfOne(slash)) }
                    }
                }
                if let target, target.count > 100 {
                    writer.record("linkpath", valueLength: target.count) { $0.put(target) }
                }
                if entry.size > maxOctal11 {
                    writer.record("size", valueLength: decimalDigits(entry.size)) { $0.putDecimal(entry.size) }
                }
                if let fraction = layout.fraction {
                    writer.record("mtime", valueLength: decimalDigits(seconds) + 1 + fraction.utf8.count) { writer in
                        writer.putDecimal(seconds)
                        writer.put(CollectionOfOne(UInt8(ascii: ".")))
                        writer.put(fraction.utf8)
                    }
                } else if seconds < 0 || seconds > maxOctal11 {
                    writer.record("mtime", valueLength: decimalDigits(seconds)) { $0.putDecimal(seconds) }
                }
                // The records written are the ones the layout counted: the header is exactly `total` bytes.
                precondition(writer.offset - blockSize == layout.body)
                ustarBlock(
                    into: buffer,
                    at: 0,
                    name: "PaxHeaders/".utf8,
                    then: PathName.basename(entry.name).utf8.prefix(80),
                    mode: 0o644,
                    size: Int64(writer.offset - blockSize),
                    mtime: clamp(seconds),
                    typeflag: UInt8(ascii: "x"),
                    link: EmptyCollection()
                )
            }
            ustarBlock(
                into: buffer,
                at: total - blockSize,
                name: entry.name.utf8,
                then: slash.map { [$0] } ?? [],
                mode: entry.mode & 0o7777,
                size: entry.size > maxOctal11 ? 0 : entry.size,
                mtime: clamp(seconds),
                typeflag: typeflag,
                link: target ?? "".utf8
            )
            count = total
        }
    }

    /// Writes pax records into a header under construction.
    private struct BlockWriter {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        var offset: Int

        mutating func put(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                buffer[offset] = byte
                offset += 1
            }
        }

        /// `String(value)`'s characters.
        mutating func putDecimal(_ value: Int64) {
            if value < 0 { put(CollectionOfOne(UInt8(ascii: "-"))) }
            let digits = decimalDigits(value) - (value < 0 ? 1 : 0)
            var rest = value.magnitude
            for position in stride(from: offset + digits - 1, through: offset, by: -1) {
                buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            offset += digits
        }

        /// One record `"<len> <key>=<value>\n"`; `value` writes exactly `valueLength` bytes.
        mutating func record(_ key: String, valueLength: Int, value: (inout BlockWriter) -> Void) {
            putDecimal(Int64(recordLength(key: key, valueLength: valueLength)))
            put(CollectionOfOne(UInt8(ascii: " ")))
            put(key.utf8)
            put(CollectionOfOne(UInt8(ascii: "=")))
            value(&self)
            put(CollectionOfOne(UInt8(ascii: "\n")))
        }
    }

    /// How many bytes ``headerBlocks(for:)`` returns for `entry`, worked out without encoding them.
    ///
    /// An upload sizes its archive before its first byte (the part size depends on it): that walk over every entry
    /// should not encode every header a first time.
    ///
    /// - Parameter entry: The member.
    /// - Returns: A multiple of 512: the ustar header, and the pax header with its records when it has one.
    package static func headerSize(for entry: ArchiveManifest.Entry) -> Int { Layout(of: entry).total }

    /// What a member's header is made of, worked out once for both ``headerSize(for:)`` and ``headerBlocks(for:)``.
    private struct Layout {
        /// The slash a directory's name gets when it has none.
        let slash: UInt8?
        /// The name's length in bytes, with that slash.
        let nameLength: Int
        let seconds: Int64
        let fraction: String?
        /// The pax records' bytes (0: no pax header).
        let body: Int

        init(of entry: ArchiveManifest.Entry) {
            slash = entry.kind == .directory && !entry.name.hasSuffix("/") ? UInt8(ascii: "/") : nil
            nameLength = entry.name.utf8.count + (slash == nil ? 0 : 1)
            (seconds, fraction) = splitTime(entry.modificationTime)
            var body = 0
            if nameLength > 100 { body += recordLength(key: "path", valueLength: nameLength) }
            if case .symlink(let target) = entry.kind, target.utf8.count > 100 {
                body += recordLength(key: "linkpath", valueLength: target.utf8.count)
            }
            if entry.size > maxOctal11 { body += recordLength(key: "size", valueLength: decimalDigits(entry.size)) }
            if let fraction {
                body += recordLength(key: "mtime", valueLength: decimalDigits(seconds) + 1 + fraction.utf8.count)
            } else if seconds < 0 || seconds > maxOctal11 {
                body += recordLength(key: "mtime", valueLength: decimalDigits(seconds))
            }
            self.body = body
        }

        /// The header's bytes: the ustar block, after the pax block and its padded records when there are any.
        var total: Int { body == 0 ? blockSize : 2 * blockSize + body + padding(Int64(body)) }
    }

    /// The length of the pax record `"<len> <key>=<value>\n"`, which counts its own digits.
    private static func recordLength(key: String, valueLength: Int) -> Int {
        let payload = 1 + key.utf8.count + 1 + valueLength + 1
        var length = payload + 1
        while decimalDigits(Int64(length)) + payload != length { length = decimalDigits(Int64(length)) + payload }
        return length
    }

    /// How many characters `String(value)` has, a minus sign included.
    private static func decimalDigits(_ value: Int64) -> Int {
        var count = value < 0 ? 2 : 1
        var rest = value.magnitude / 10
        while rest > 0 {
            count += 1
            rest /= 10
        }
        return count
    }

    /// The zero bytes that pad `size` bytes of data to a whole block.
    package static func padding(_ size: Int64) -> Int {
        Int((Int64(blockSize) - size % Int64(blockSize)) % Int64(blockSize))
    }

    /// Whole seconds and, when there is one, the fraction as decimal digits without trailing zeros (ns precision).
    package static func splitTime(_ time: Double) -> (Int64, String?) {
        guard time.isFinite else { return (0, nil) }
        var seconds = Int64(time.rounded(.down))
        var nanoseconds = Int64(((time - Double(seconds)) * 1e9).rounded())
        if nanoseconds >= 1_000_000_000 {
            seconds += 1
            nanoseconds -= 1_000_000_000
        }
        guard nanoseconds > 0 else { return (seconds, nil) }
        var digits = String(nanoseconds)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return (seconds, digits)
    }

    private static func clamp(_ seconds: Int64) -> Int64 { min(max(seconds, 0), maxOctal11) }

    /// Writes one ustar block at `base`: the name is `name` then `then`, cut at 100 bytes, as is the link.
    private static func ustarBlock(
        into buffer: UnsafeMutableBufferPointer<UInt8>,
        at base: Int,
        name: some Sequence<UInt8>,
        then suffix: some Sequence<UInt8>,
        mode: UInt32,
        size: Int64,
        mtime: Int64,
        typeflag: UInt8,
        link: some Sequence<UInt8>
    ) {
        let block = UnsafeMutableBufferPointer(rebasing: buffer[base..<(base + blockSize)])
        var written = 0
        for byte in name.prefix(100) {
            block[written] = byte
            written += 1
        }
        for byte in suffix where written < 100 {
            block[written] = byte
            written += 1
        }
        for (index, byte) in link.prefix(100).enumerated() { block[157 + index] = byte }
        /// `width - 1` zero-padded octal digits of `value` (which fits them) and a NUL.
        func octal(_ value: Int64, width: Int, at offset: Int) {
            var rest = UInt64(clamping: value)
            for position in stride(from: offset + width - 2, through: offset, by: -1) {
                block[position] = UInt8(ascii: "0") + UInt8(rest & 7)
                rest >>= 3
            }
            block[offset + width - 1] = 0
        }
        octal(Int64(mode), width: 8, at: 100)
        octal(0, width: 8, at: 108)
        octal(0, width: 8, at: 116)
        octal(size, width: 12, at: 124)
        octal(mtime, width: 12, at: 136)
        for position in 148..<156 { block[position] = UInt8(ascii: " ") }
        block[156] = typeflag
        for (index, byte) in "ustar\u{0}00".utf8.enumerated() { block[257 + index] = byte }
        octal(0, width: 8, at: 329)
        octal(0, width: 8, at: 337)
        var checksum: Int64 = 0
        for byte in block { checksum += Int64(byte) }
        octal(checksum, width: 7, at: 148)
        block[155] = UInt8(ascii: " ")
    }
}
