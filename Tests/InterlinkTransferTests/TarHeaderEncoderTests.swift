import InterlinkCore
import InterlinkTransfer
import Testing

@Suite struct TarHeaderEncoderTests {
    private func entry(
        _ name: String,
        kind: ArchiveManifest.Entry.Kind = .file,
        size: Int64 = 0,
        mode: UInt32 = 0o644,
        time: Double = 1_700_000_000
    ) -> ArchiveManifest.Entry {
        ArchiveManifest.Entry(
            name: name,
            sourcePath: "/src/" + name,
            kind: kind,
            size: size,
            mode: mode,
            modificationTime: time
        )
    }

    /// Members at every boundary a header's size depends on: names and link targets around 100 bytes (in bytes,
    /// not characters), directories whose slash crosses it, sizes around 8 GiB, whole, fractional, negative and huge
    /// mtimes, and pax records whose length gains a digit.
    private var members: [ArchiveManifest.Entry] {
        var result: [ArchiveManifest.Entry] = []
        for length in [1, 99, 100, 101, 150, 255, 989, 990, 991, 995, 996, 997, 998, 999, 1_000, 1_001, 5_000] {
            let name = String(repeating: "n", count: length)
            result.append(entry(name))
            result.append(entry(name, kind: .directory))
            result.append(entry("l", kind: .symlink(target: String(repeating: "t", count: length))))
            result.append(entry(name, time: 1_700_000_000.25))
        }
        for prefix in [49, 50, 51] { result.append(entry(String(repeating: "é", count: prefix))) }
        result.append(entry("Run_1/sub/" + String(repeating: "q", count: 120), time: 12.5))
        result.append(entry("Run_1/dir/", kind: .directory))
        result.append(entry(String(repeating: "w", count: 99) + "/", kind: .directory, time: 3.75))
        for size: Int64 in [0, 1, 511, 512, 0o77777777777, 0o77777777777 + 1, 1 << 40] {
            result.append(entry("f", size: size))
        }
        for time in [
            0, 0.5, 1.000000001, 1_700_000_000.123456789, -1, -0.5, -1_234_567.75, 1e12, 1e12 + 0.5, 8_589_934_592,
        ] {
            result.append(entry("t", time: time))
        }
        return result
    }

    @Test func headerSizeIsTheLengthOfTheEncodedHeader() {
        for member in members {
            let encoded = TarHeaderEncoder.headerBlocks(for: member)
            #expect(
                TarHeaderEncoder.headerSize(for: member) == encoded.count,
                "\(member.name.utf8.count)-byte \(member.kind), size \(member.size), mtime \(member.modificationTime)"
            )
            #expect(encoded.count % TarHeaderEncoder.blockSize == 0)
        }
    }

    /// Every pax record reads back as `"<len> <key>=<value>\n"` with `len` its own length in bytes, and carries the
    /// member's long name, long link target, large size or fractional mtime.
    @Test func paxRecordsCountTheirOwnLengthAndCarryTheValues() throws {
        for member in members {
            let encoded = TarHeaderEncoder.headerBlocks(for: member)
            guard encoded.count > 512 else { continue }
            #expect(encoded[156] == UInt8(ascii: "x"))
            let sizeField = String(decoding: encoded[124..<135], as: UTF8.self)
            let bodySize = try #require(Int(sizeField, radix: 8))
            var body = encoded[512..<(512 + bodySize)]
            var values: [String: [UInt8]] = [:]
            while !body.isEmpty {
                let space = try #require(body.firstIndex(of: UInt8(ascii: " ")))
                let length = try #require(Int(String(decoding: body[body.startIndex..<space], as: UTF8.self)))
                let record = body.prefix(length)
                #expect(record.count == length && record.last == UInt8(ascii: "\n"))
                let equals = try #require(record.firstIndex(of: UInt8(ascii: "=")))
                let key = String(decoding: record[(space + 1)..<equals], as: UTF8.self)
                values[key] = Array(record[(equals + 1)..<(record.endIndex - 1)])
                body = body.dropFirst(length)
            }
            let name = member.kind == .directory && !member.name.hasSuffix("/") ? member.name + "/" : member.name
            #expect(values["path"] == (name.utf8.count > 100 ? Array(name.utf8) : nil))
            if case .symlink(let target) = member.kind, target.utf8.count > 100 {
                #expect(values["linkpath"] == Array(target.utf8))
            } else {
                #expect(values["linkpath"] == nil)
            }
            #expect(values["size"] == (member.size > 0o77777777777 ? Array(String(member.size).utf8) : nil))
            let (seconds, fraction) = TarHeaderEncoder.splitTime(member.modificationTime)
            if let fraction {
                #expect(values["mtime"] == Array("\(seconds).\(fraction)".utf8))
            } else if seconds < 0 || seconds > 0o77777777777 {
                #expect(values["mtime"] == Array(String(seconds).utf8))
            } else {
                #expect(values["mtime"] == nil)
            }
        }
    }

    /// The headers are the bytes of the encoder they replaced (kept here as the reference: strings and arrays per
    /// field), for every boundary member.
    @Test func headersAreTheBytesOfTheStringBasedEncoder() {
        for member in members {
            #expect(
                TarHeaderEncoder.headerBlocks(for: member) == Self.referenceHeader(for: member),
                "\(member.name.utf8.count)-byte \(member.kind), size \(member.size), mtime \(member.modificationTime)"
            )
        }
    }

    private static func referenceHeader(for entry: ArchiveManifest.Entry) -> [UInt8] {
        var name = entry.name
        if entry.kind == .directory, !name.hasSuffix("/") { name += "/" }
        var records: [(String, String)] = []
        if name.utf8.count > 100 { records.append(("path", name)) }
        var link: [UInt8] = []
        var typeflag = UInt8(ascii: entry.kind == .directory ? "5" : "0")
        if case .symlink(let target) = entry.kind {
            typeflag = UInt8(ascii: "2")
            link = Array(target.utf8)
            if link.count > 100 { records.append(("linkpath", target)) }
        }
        if entry.size > 0o77777777777 { records.append(("size", String(entry.size))) }
        let (seconds, fraction) = TarHeaderEncoder.splitTime(entry.modificationTime)
        if let fraction {
            records.append(("mtime", "\(seconds).\(fraction)"))
        } else if seconds < 0 || seconds > 0o77777777777 {
            records.append(("mtime", String(seconds)))
        }
        let mtime = min(max(seconds, 0), 0o77777777777)
        var result: [UInt8] = []
        if !records.isEmpty {
            var body: [UInt8] = []
            for (key, value) in records {
                let payload = Array(" \(key)=\(value)\n".utf8)
                var length = payload.count + 1
                while String(length).utf8.count + payload.count != length {
                    length = String(length).utf8.count + payload.count
                }
                body += Array(String(length).utf8) + payload
            }
            let paxName = Array("PaxHeaders/".utf8) + Array(PathName.basename(entry.name).utf8.prefix(80))
            result += referenceBlock(paxName, 0o644, Int64(body.count), mtime, UInt8(ascii: "x"), [])
            result += body + [UInt8](repeating: 0, count: (512 - body.count % 512) % 512)
        }
        let size = entry.size > 0o77777777777 ? 0 : entry.size
        result += referenceBlock(
            Array(name.utf8.prefix(100)),
            entry.mode & 0o7777,
            size,
            mtime,
            typeflag,
            Array(link.prefix(100))
        )
        return result
    }

    private static func referenceBlock(
        _ name: [UInt8],
        _ mode: UInt32,
        _ size: Int64,
        _ mtime: Int64,
        _ typeflag: UInt8,
        _ link: [UInt8]
    ) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ bytes: [UInt8], at offset: Int) {
            block.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
        }
        func octal(_ value: Int64, _ width: Int) -> [UInt8] {
            Array(String(value, radix: 8).leftPadded(to: width - 1).utf8) + [0]
        }
        put(name, at: 0)
        put(octal(Int64(mode), 8), at: 100)
        put(octal(0, 8), at: 108)
        put(octal(0, 8), at: 116)
        put(octal(size, 12), at: 124)
        put(octal(mtime, 12), at: 136)
        put(Array("        ".utf8), at: 148)
        block[156] = typeflag
        put(link, at: 157)
        put(Array("ustar\u{0}00".utf8), at: 257)
        put(octal(0, 8), at: 329)
        put(octal(0, 8), at: 337)
        put(octal(block.reduce(0) { $0 + Int64($1) }, 7) + [UInt8(ascii: " ")], at: 148)
        return block
    }

    /// The ustar fields, read back independently: zero-padded octal with a NUL, and a checksum that is the sum of
    /// the block's bytes with its own field taken as spaces.
    @Test func ustarFieldsAreZeroPaddedOctalWithAValidChecksum() {
        let member = entry("Run_1/input.dat", size: 70_001, mode: 0o100755, time: 1_700_000_000)
        let block = TarHeaderEncoder.headerBlocks(for: member)
        #expect(block.count == 512)
        func field(_ range: Range<Int>) -> String { String(decoding: block[range], as: UTF8.self) }
        #expect(field(0..<15) == "Run_1/input.dat")
        #expect(block[15..<100].allSatisfy { $0 == 0 })
        #expect(field(100..<108) == "0000755\u{0}")
        #expect(field(108..<116) == "0000000\u{0}")
        #expect(field(116..<124) == "0000000\u{0}")
        #expect(field(124..<136) == String(70_001, radix: 8).leftPadded(to: 11) + "\u{0}")
        #expect(field(136..<148) == String(1_700_000_000, radix: 8).leftPadded(to: 11) + "\u{0}")
        #expect(block[156] == UInt8(ascii: "0"))
        #expect(field(257..<265) == "ustar\u{0}00")
        #expect(field(329..<337) == "0000000\u{0}")
        #expect(field(337..<345) == "0000000\u{0}")
        var sum = 0
        for (index, byte) in block.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
        #expect(field(148..<154) == String(sum, radix: 8).leftPadded(to: 6))
        #expect(block[154] == 0 && block[155] == UInt8(ascii: " "))
    }

    @Test func aFractionalMtimeGetsAPaxRecordBeforeTheUstarHeader() {
        let block = TarHeaderEncoder.headerBlocks(for: entry("a.txt", time: 1_700_000_000.25))
        #expect(block.count == 3 * 512)
        #expect(block[156] == UInt8(ascii: "x"))
        let record = " mtime=1700000000.25\n"
        #expect(
            String(decoding: block[512..<(512 + record.utf8.count + 2)], as: UTF8.self)
                == "\(record.utf8.count + 2)\(record)"
        )
        #expect(block[1024 + 156] == UInt8(ascii: "0"))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
