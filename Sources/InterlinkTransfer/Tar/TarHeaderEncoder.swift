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
        var name = entry.name
        if entry.kind == .directory, !name.hasSuffix("/") { name += "/" }
        var records: [(String, String)] = []
        let nameBytes = Array(name.utf8)
        if nameBytes.count > 100 { records.append(("path", name)) }
        var linkBytes: [UInt8] = []
        let typeflag: UInt8
        switch entry.kind {
        case .file: typeflag = UInt8(ascii: "0")
        case .directory: typeflag = UInt8(ascii: "5")
        case .symlink(let target):
            typeflag = UInt8(ascii: "2")
            linkBytes = Array(target.utf8)
            if linkBytes.count > 100 { records.append(("linkpath", target)) }
        }
        if entry.size > maxOctal11 { records.append(("size", String(entry.size))) }
        let (seconds, fraction) = splitTime(entry.modificationTime)
        if let fraction {
            records.append(("mtime", "\(seconds).\(fraction)"))
        } else if seconds < 0 || seconds > maxOctal11 {
            records.append(("mtime", String(seconds)))
        }
        var result: [UInt8] = []
        if !records.isEmpty {
            let body = paxRecords(records)
            let paxName = Array("PaxHeaders/".utf8) + Array(PathName.basename(entry.name).utf8.prefix(80))
            result += ustarBlock(
                name: paxName,
                mode: 0o644,
                size: Int64(body.count),
                mtime: clamp(seconds),
                typeflag: UInt8(ascii: "x"),
                link: []
            )
            result += body
            result += [UInt8](repeating: 0, count: padding(Int64(body.count)))
        }
        result += ustarBlock(
            name: Array(nameBytes.prefix(100)),
            mode: entry.mode & 0o7777,
            size: entry.size > maxOctal11 ? 0 : entry.size,
            mtime: clamp(seconds),
            typeflag: typeflag,
            link: Array(linkBytes.prefix(100))
        )
        return result
    }

    /// How many bytes ``headerBlocks(for:)`` returns for `entry`, worked out without encoding them.
    ///
    /// An upload sizes its archive before its first byte (the part size depends on it): that walk over every entry
    /// should not encode every header a first time.
    ///
    /// - Parameter entry: The member.
    /// - Returns: A multiple of 512: the ustar header, and the pax header with its records when it has one.
    package static func headerSize(for entry: ArchiveManifest.Entry) -> Int {
        var nameLength = entry.name.utf8.count
        if entry.kind == .directory, !entry.name.hasSuffix("/") { nameLength += 1 }
        var body = 0
        if nameLength > 100 { body += recordLength(key: "path", valueLength: nameLength) }
        if case .symlink(let target) = entry.kind, target.utf8.count > 100 {
            body += recordLength(key: "linkpath", valueLength: target.utf8.count)
        }
        if entry.size > maxOctal11 { body += recordLength(key: "size", valueLength: decimalDigits(entry.size)) }
        let (seconds, fraction) = splitTime(entry.modificationTime)
        if let fraction {
            body += recordLength(key: "mtime", valueLength: decimalDigits(seconds) + 1 + fraction.utf8.count)
        } else if seconds < 0 || seconds > maxOctal11 {
            body += recordLength(key: "mtime", valueLength: decimalDigits(seconds))
        }
        guard body > 0 else { return blockSize }
        return 2 * blockSize + body + padding(Int64(body))
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

    /// Encodes pax records `"<len> <key>=<value>\n"`, where `len` counts the whole record including itself.
    static func paxRecords(_ records: [(String, String)]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(records.reduce(0) { $0 + recordLength(key: $1.0, valueLength: $1.1.utf8.count) })
        for (key, value) in records {
            let length = recordLength(key: key, valueLength: value.utf8.count)
            let digits = decimalDigits(Int64(length))
            let start = result.count
            result.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
            var rest = length
            for position in stride(from: start + digits - 1, through: start, by: -1) {
                result[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            result.append(UInt8(ascii: " "))
            result.append(contentsOf: key.utf8)
            result.append(UInt8(ascii: "="))
            result.append(contentsOf: value.utf8)
            result.append(UInt8(ascii: "\n"))
        }
        return result
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

    private static func ustarBlock(
        name: [UInt8],
        mode: UInt32,
        size: Int64,
        mtime: Int64,
        typeflag: UInt8,
        link: [UInt8]
    ) -> [UInt8] {
        // Written in place: a header per file is on the path of every archived byte, so no field goes through a
        // String or an intermediate array.
        [UInt8](unsafeUninitializedCapacity: blockSize) { block, count in
            block.initialize(repeating: 0)
            func put(_ bytes: [UInt8], at offset: Int) {
                for (index, byte) in bytes.enumerated() { block[offset + index] = byte }
            }
            /// `width - 1` zero-padded octal digits of `value` (which fits them) and a NUL.
            func octal(_ value: Int64, width: Int, at offset: Int) {
                var rest = UInt64(clamping: value)
                for position in stride(from: offset + width - 2, through: offset, by: -1) {
                    block[position] = UInt8(ascii: "0") + UInt8(rest & 7)
                    rest >>= 3
                }
                block[offset + width - 1] = 0
            }
            put(name, at: 0)
            octal(Int64(mode), width: 8, at: 100)
            octal(0, width: 8, at: 108)
            octal(0, width: 8, at: 116)
            octal(size, width: 12, at: 124)
            octal(mtime, width: 12, at: 136)
            for position in 148..<156 { block[position] = UInt8(ascii: " ") }
            block[156] = typeflag
            put(link, at: 157)
            for (index, byte) in "ustar\u{0}00".utf8.enumerated() { block[257 + index] = byte }
            octal(0, width: 8, at: 329)
            octal(0, width: 8, at: 337)
            var checksum: Int64 = 0
            for byte in block { checksum += Int64(byte) }
            octal(checksum, width: 7, at: 148)
            block[155] = UInt8(ascii: " ")
            count = blockSize
        }
    }
}
