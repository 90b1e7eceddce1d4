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

    /// The zero bytes that pad `size` bytes of data to a whole block.
    package static func padding(_ size: Int64) -> Int {
        Int((Int64(blockSize) - size % Int64(blockSize)) % Int64(blockSize))
    }

    /// Encodes pax records `"<len> <key>=<value>\n"`, where `len` counts the whole record including itself.
    static func paxRecords(_ records: [(String, String)]) -> [UInt8] {
        var result: [UInt8] = []
        for (key, value) in records {
            let payload = Array(" \(key)=\(value)\n".utf8)
            var length = payload.count + 1
            while String(length).utf8.count + payload.count != length {
                length = String(length).utf8.count + payload.count
            }
            result += Array(String(length).utf8) + payload
        }
        return result
    }

    /// Whole seconds and, when there is one, the fraction as decimal digits without trailing zeros (ns precision).
    static func splitTime(_ time: Double) -> (Int64, String?) {
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
        var block = [UInt8](repeating: 0, count: blockSize)
        func put(_ bytes: [UInt8], at offset: Int) {
            for (index, byte) in bytes.enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int64, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(name, at: 0)
        put(octal(Int64(mode), width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        put(octal(size, width: 12), at: 124)
        put(octal(mtime, width: 12), at: 136)
        put([UInt8](repeating: UInt8(ascii: " "), count: 8), at: 148)
        block[156] = typeflag
        put(link, at: 157)
        put(Array("ustar\u{0}00".utf8), at: 257)
        put(octal(0, width: 8), at: 329)
        put(octal(0, width: 8), at: 337)
        let checksum = block.reduce(0) { $0 + Int64($1) }
        put(octal(checksum, width: 7) + [UInt8(ascii: " ")], at: 148)
        return block
    }
}
