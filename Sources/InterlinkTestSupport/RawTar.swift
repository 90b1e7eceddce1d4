import Foundation

/// Hand-built ustar archives, independent of our writer, including hostile ones no honest tool would make.
package enum RawTar {
    /// One 512-byte ustar header with a valid checksum.
    ///
    /// - Parameters:
    ///   - name: The member's name.
    ///   - type: The type flag (`0` file, `2` symlink, `5` directory, `x` pax).
    ///   - size: The size written in octal, unless `sizeField` or `sizeBytes` overrides it.
    ///   - link: The link target.
    ///   - sizeField: Text written as the size field instead.
    ///   - sizeBytes: Raw bytes written over the size field (base-256 sizes).
    /// - Returns: The header block.
    package static func header(
        _ name: String,
        type: Character = "0",
        size: Int = 0,
        link: String = "",
        sizeField: String? = nil,
        sizeBytes: [UInt8]? = nil
    )
        -> [UInt8]
    {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, _ offset: Int) { for (i, b) in text.utf8.enumerated() { block[offset + i] = b } }
        put(name, 0)
        put("0000644", 100)
        put("0000000", 108)
        put("0000000", 116)
        put(sizeField ?? String(format: "%011o", size), 124)
        if let sizeBytes { for (i, b) in sizeBytes.enumerated() { block[124 + i] = b } }
        put("00000000000", 136)
        put("        ", 148)
        put(String(type), 156)
        put(link, 157)
        put("ustar", 257)
        put("00", 263)
        let sum = block.reduce(0) { $0 + Int($1) }
        put(String(format: "%06o", sum) + "\0 ", 148)
        return block
    }

    /// A file member: its header, contents and padding to 512 bytes.
    package static func file(_ name: String, _ contents: String) -> [UInt8] {
        let data = Array(contents.utf8)
        return header(name, size: data.count) + data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    /// A pax extended header carrying `records`, padded to 512 bytes.
    package static func pax(_ records: [UInt8]) -> [UInt8] {
        header("PaxHeaders/x", type: "x", size: records.count) + records
            + [UInt8](repeating: 0, count: (512 - records.count % 512) % 512)
    }

    /// The two zero blocks that end an archive.
    package static let end = [UInt8](repeating: 0, count: 1024)

    /// Members followed by the end-of-archive blocks.
    package static func archive(_ members: [UInt8]...) -> [UInt8] {
        members.flatMap { $0 } + end
    }
}
