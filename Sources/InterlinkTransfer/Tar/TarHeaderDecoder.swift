/// Decodes and validates one 512-byte tar header and pax record bodies.
enum TarHeaderDecoder {
    /// Decodes a non-zero header block.
    ///
    /// - Throws: `TransferError` with `.malformedArchive` for a wrong checksum or a bogus numeric field.
    static func decode(_ block: [UInt8], limits: TarLimits) throws(TransferError) -> TarMember {
        let rawName = string(block, 0, 100)
        let magic = Array(block[257..<263])
        let isUstar = magic == Array("ustar\u{0}".utf8)
        var name = rawName
        if isUstar {
            let prefix = string(block, 345, 155)
            if !prefix.isEmpty { name = prefix + "/" + rawName }
        }
        let stored = try number(block, 148, 8, field: "checksum", name: name)
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for (index, byte) in block.enumerated() {
            let value = (148..<156).contains(index) ? UInt8(ascii: " ") : byte
            unsigned += Int64(value)
            signed += Int64(Int8(bitPattern: value))
        }
        guard stored == unsigned || stored == signed else {
            throw TransferError(path: name, reason: .malformedArchive("header checksum mismatch"))
        }
        let size = try number(block, 124, 12, field: "size", name: name)
        let mode = try number(block, 100, 8, field: "mode", name: name)
        let mtime = try number(block, 136, 12, field: "mtime", name: name)
        guard size >= 0 else { throw TransferError(path: name, reason: .malformedArchive("negative size")) }
        let flag = block[156]
        let kind: TarMember.Kind
        switch flag {
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): kind = name.hasSuffix("/") && flag == 0 ? .directory : .file
        case UInt8(ascii: "5"): kind = .directory
        case UInt8(ascii: "2"): kind = .symlink
        case UInt8(ascii: "1"): kind = .hardLink
        case UInt8(ascii: "3"), UInt8(ascii: "4"), UInt8(ascii: "6"): kind = .special
        default: kind = .unsupported(flag)
        }
        return TarMember(
            name: name,
            linkName: string(block, 157, 100),
            kind: kind,
            size: size,
            mode: UInt32(truncatingIfNeeded: mode & 0o7777),
            modificationTime: mtime
        )
    }

    /// Parses pax records `"<len> <key>=<value>\n"` strictly.
    ///
    /// - Throws: `TransferError` with `.malformedArchive` for a record whose length does not add up.
    static func paxRecords(_ body: [UInt8], entry: String) throws(TransferError) -> [String: String] {
        var records: [String: String] = [:]
        var offset = 0
        while offset < body.count {
            guard let space = body[offset...].firstIndex(of: UInt8(ascii: " ")), space - offset <= 20,
                let length = Int(String(decoding: body[offset..<space], as: UTF8.self)), length > 0,
                offset + length <= body.count, body[offset + length - 1] == UInt8(ascii: "\n"),
                let equals = body[(space + 1)..<(offset + length)].firstIndex(of: UInt8(ascii: "="))
            else {
                if body[offset...].allSatisfy({ $0 == 0 }) { break }
                throw TransferError(path: entry, reason: .malformedArchive("malformed pax record"))
            }
            let key = String(decoding: body[(space + 1)..<equals], as: UTF8.self)
            records[key] = String(decoding: body[(equals + 1)..<(offset + length - 1)], as: UTF8.self)
            offset += length
        }
        return records
    }

    private static func string(_ block: [UInt8], _ offset: Int, _ width: Int) -> String {
        String(decoding: block[offset..<offset + width].prefix { $0 != 0 }, as: UTF8.self)
    }

    /// An octal field (spaces and NULs around the digits allowed) or GNU base-256 (high bit of the first byte).
    private static func number(_ block: [UInt8], _ offset: Int, _ width: Int, field: String, name: String)
        throws(TransferError) -> Int64
    {
        let bytes = block[offset..<offset + width]
        if let first = bytes.first, first & 0x80 != 0 {
            guard first == 0x80, bytes.dropFirst().prefix(width - 9).allSatisfy({ $0 == 0 }) else {
                throw TransferError(
                    path: name,
                    reason: .malformedArchive("\(field) in base-256 is negative or too large")
                )
            }
            return bytes.suffix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) } & Int64.max
        }
        let trimmed = bytes.drop { $0 == 0x20 }.prefix { $0 != 0 && $0 != 0x20 }
        let rest = bytes.drop { $0 == 0x20 }.dropFirst(trimmed.count)
        guard rest.allSatisfy({ $0 == 0 || $0 == 0x20 }), trimmed.count <= 21 else {
            throw TransferError(path: name, reason: .malformedArchive("bogus \(field) field"))
        }
        var value: Int64 = 0
        for digit in trimmed {
            guard (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(digit) else {
                throw TransferError(path: name, reason: .malformedArchive("bogus \(field) field"))
            }
            value = value * 8 + Int64(digit - UInt8(ascii: "0"))
        }
        return value
    }
}
